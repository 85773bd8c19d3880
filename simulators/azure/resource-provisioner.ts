// Turns one evaluated template resource into simulated cloud state, type by type: public IPs get
// 127.0.0.1 and a cloudapp FQDN, NICs a private IP, VMs a vmId, an OS disk and a running runtime,
// a CustomScript extension installs the app. Secrets in the definition (adminPassword, customData,
// protectedSettings) are kept out of what ARM would return, as ARM does.
import { randomUUID } from 'node:crypto';
import { ArmError } from './arm-error';
import { findVmSize } from './cloud-catalog';
import { installApp } from './vm-lifecycle';
import { resourceIdFor, type ResourceRecord, type SimulatorState, type VmRuntime } from './state';

export interface EvaluatedResource {
  id: string;
  type: string;
  apiVersion: string;
  name: string;
  location: string;
  tags?: Record<string, string>;
  sku?: unknown;
  kind?: string;
  properties: Record<string, unknown>;
}

interface Scope {
  subscriptionId: string;
  resourceGroup: string;
}

const DNS_LABEL = /^[a-z][a-z0-9-]{1,61}[a-z0-9]$/;
const RESERVED_ADMIN_NAMES = new Set(['admin', 'administrator', 'root', 'guest', 'user', 'test', 'sys', 'support', 'adm']);

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const arr = (v: unknown): Obj[] => (Array.isArray(v) ? v.map(obj) : []);

/** Checks a VM definition the way ARM's preflight does; throws the inner error ARM would report. */
export function validateVmDefinition(name: string, properties: Obj): { size: string; vcpu: number } {
  const size = String(obj(properties.hardwareProfile).vmSize ?? '');
  const found = findVmSize(size);
  if (!found) {
    throw new ArmError(409, 'SkuNotAvailable', `The requested VM size '${size}' for resource '${name}' is not a known size. Please try another size.`);
  }
  const osProfile = obj(properties.osProfile);
  const admin = String(osProfile.adminUsername ?? '');
  if (!admin) throw new ArmError(400, 'InvalidParameter', "Required parameter 'adminUsername' is missing (null).", undefined, 'adminUsername');
  if (RESERVED_ADMIN_NAMES.has(admin.toLowerCase())) throw new ArmError(400, 'InvalidParameter', 'The Admin Username specified is not allowed.', undefined, 'adminUsername');
  const linux = obj(osProfile.linuxConfiguration);
  const keys = arr(obj(linux.ssh).publicKeys);
  if (linux.disablePasswordAuthentication === true) {
    if (keys.length === 0) throw new ArmError(400, 'InvalidParameter', 'Authentication using either SSH or by user name and password must be enabled in Linux profile.', undefined, 'linuxConfiguration');
    for (const k of keys) {
      if (!/^(ssh-rsa|ssh-ed25519|ecdsa-sha2-\S+) [A-Za-z0-9+/=]+/.test(String(k.keyData ?? ''))) {
        throw new ArmError(400, 'InvalidParameter', 'The value of parameter linuxConfiguration.ssh.publicKeys.keyData is invalid.', undefined, 'linuxConfiguration.ssh.publicKeys.keyData');
      }
    }
  } else if (!osProfile.adminPassword) {
    throw new ArmError(400, 'InvalidParameter', "Required parameter 'adminPassword' is missing (null).", undefined, 'adminPassword');
  }
  return { size: found[0], vcpu: found[1].vcpu };
}

function provisionPublicIp(state: SimulatorState, r: EvaluatedResource): Obj {
  const dns = obj(r.properties.dnsSettings);
  const label = dns.domainNameLabel === undefined ? undefined : String(dns.domainNameLabel);
  const props: Obj = { ...r.properties, ipAddress: '127.0.0.1', publicIPAllocationMethod: r.properties.publicIPAllocationMethod ?? 'Dynamic' };
  if (label !== undefined) {
    if (!DNS_LABEL.test(label)) {
      throw new ArmError(400, 'InvalidDomainNameLabel', `The domain name label ${label} is invalid. It must conform to the following regular expression: ^[a-z][a-z0-9-]{1,61}[a-z0-9]$.`);
    }
    for (const other of state.resources.values()) {
      const otherLabel = obj(obj(other.properties).dnsSettings).domainNameLabel;
      if (other.id.toLowerCase() !== r.id.toLowerCase() && other.location === r.location && otherLabel === label) {
        throw new ArmError(400, 'DnsRecordInUse', `DNS record ${label}.${r.location}.cloudapp.azure.com is already used by another public IP.`);
      }
    }
    props.dnsSettings = { ...dns, fqdn: `${label}.${r.location}.cloudapp.azure.com` };
  }
  return props;
}

function provisionNetworkInterface(state: SimulatorState, r: EvaluatedResource, existing?: ResourceRecord): Obj {
  const previous = arr(existing?.properties.ipConfigurations);
  const ipConfigurations = arr(r.properties.ipConfigurations).map((ipc, i) => {
    const props = obj(ipc.properties);
    const privateIPAddress = obj(previous[i]?.properties).privateIPAddress ?? props.privateIPAddress ?? state.allocatePrivateIp();
    for (const ref of [obj(props.subnet).id, obj(props.publicIPAddress).id]) {
      const refId = ref === undefined ? undefined : String(ref);
      if (refId && !state.findResource(refId.replace(/\/subnets\/[^/]+$/i, ''))) {
        throw new ArmError(400, 'InvalidResourceReference', `Resource ${refId} referenced by resource ${r.id} was not found. Please make sure that the referenced resource exists, and that both resources are in the same region.`);
      }
    }
    return { ...ipc, id: `${r.id}/ipConfigurations/${String(ipc.name)}`, properties: { ...props, privateIPAddress, provisioningState: 'Succeeded' } };
  });
  return { ...r.properties, ipConfigurations };
}

async function provisionVm(state: SimulatorState, scope: Scope, r: EvaluatedResource, existing?: ResourceRecord): Promise<Obj> {
  const { size, vcpu } = validateVmDefinition(r.name, r.properties);
  const nics = arr(obj(r.properties.networkProfile).networkInterfaces);
  for (const nic of nics) {
    if (!state.findResource(String(nic.id ?? ''))) {
      throw new ArmError(400, 'InvalidResourceReference', `Resource ${String(nic.id)} referenced by resource ${r.id} was not found.`);
    }
  }
  const storage = obj(r.properties.storageProfile);
  const osDisk = obj(storage.osDisk);
  const previousDisk = obj(obj(obj(existing?.properties.storageProfile).osDisk).managedDisk).id;
  const diskName = String(osDisk.name ?? `${r.name}_OsDisk_1_${randomUUID().replace(/-/g, '')}`);
  const diskId = previousDisk ? String(previousDisk) : resourceIdFor(scope.subscriptionId, scope.resourceGroup, 'Microsoft.Compute/disks', diskName);
  if (!state.findResource(diskId)) {
    state.putResource({
      id: diskId,
      ...scope,
      type: 'Microsoft.Compute/disks',
      name: diskName,
      location: r.location,
      properties: { osType: 'Linux', diskSizeGB: 30, diskState: 'Attached', provisioningState: 'Succeeded' },
    });
  }
  const { adminPassword: _password, customData: _customData, ...osProfile } = obj(r.properties.osProfile);
  const computerName = String(osProfile.computerName ?? r.name);
  const vmId = String(obj(existing?.properties).vmId ?? randomUUID());
  if (!state.findVm(r.id)) {
    const sizeInfo = findVmSize(size)![1];
    const firstNic = nics[0] ? state.findResource(String(nics[0].id)) : undefined;
    const privateIp = String(obj(arr(firstNic?.properties.ipConfigurations)[0]?.properties).privateIPAddress ?? state.allocatePrivateIp());
    const runtime: VmRuntime = {
      id: r.id,
      ...scope,
      name: r.name,
      location: r.location,
      computerName,
      adminUsername: String(osProfile.adminUsername),
      vmSize: size,
      vcpu,
      memoryMb: sizeInfo.memoryMb,
      privateIp,
      powerState: 'running',
      provisioningState: 'Succeeded',
      bootedAt: Date.now(),
      extensions: [],
    };
    state.putVm(runtime);
  }
  return {
    ...r.properties,
    vmId,
    osProfile: { ...osProfile, computerName },
    storageProfile: { ...storage, osDisk: { ...osDisk, name: diskName, osType: 'Linux', managedDisk: { ...obj(osDisk.managedDisk), id: diskId } } },
    timeCreated: existing?.properties.timeCreated ?? new Date().toISOString(),
  };
}

async function provisionExtension(state: SimulatorState, r: EvaluatedResource): Promise<Obj> {
  const vmId = r.id.replace(/\/extensions\/[^/]+$/i, '');
  const vm = state.findVm(vmId);
  if (!vm) throw new ArmError(404, 'ParentResourceNotFound', `Can not perform requested operation on nested resource. Parent resource '${vmId.split('/').pop()}' not found.`);
  const { protectedSettings: _secret, ...props } = r.properties;
  const extType = String(props.type ?? '');
  if (!vm.extensions.some((e) => e.name === r.name)) vm.extensions.push({ name: r.name.split('/').pop()!, type: extType });
  if (extType.toLowerCase() === 'customscript') await installApp(state, vm);
  return props;
}

/** Creates or updates the resource in the simulated cloud; returns what ARM stores for it. */
export async function provisionResource(state: SimulatorState, scope: Scope, r: EvaluatedResource): Promise<ResourceRecord> {
  const existing = state.findResource(r.id);
  const type = r.type.toLowerCase();
  let properties: Obj;
  if (type === 'microsoft.network/publicipaddresses') properties = provisionPublicIp(state, r);
  else if (type === 'microsoft.network/networkinterfaces') properties = provisionNetworkInterface(state, r, existing);
  else if (type === 'microsoft.network/virtualnetworks') {
    properties = { ...r.properties, subnets: arr(r.properties.subnets).map((s) => ({ ...s, id: `${r.id}/subnets/${String(s.name)}` })) };
  } else if (type === 'microsoft.compute/virtualmachines') properties = await provisionVm(state, scope, r, existing);
  else if (type === 'microsoft.compute/virtualmachines/extensions') properties = await provisionExtension(state, r);
  else properties = { ...r.properties };
  const record: ResourceRecord = {
    id: r.id,
    ...scope,
    type: r.type,
    name: r.name,
    location: r.location,
    apiVersion: r.apiVersion,
    tags: r.tags,
    sku: r.sku,
    kind: r.kind,
    properties: {
      ...properties,
      ...(type.startsWith('microsoft.network/') ? { resourceGuid: obj(existing?.properties).resourceGuid ?? randomUUID() } : {}),
      provisioningState: 'Succeeded',
    },
  };
  state.putResource(record);
  return record;
}
