// Everything the simulated cloud knows: identities, subscriptions, resource groups, resources,
// template deployments, VM runtimes and async operations. In memory; one per simulator.
import { randomUUID } from 'node:crypto';
import { ArmError, notFound, type ArmErrorDetail } from './arm-error';
import type { GuestApp } from './guest-app';

export interface ServicePrincipal {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  subscriptionIds: string[];
}

export interface SubscriptionRecord {
  subscriptionId: string;
  tenantId: string;
  displayName: string;
  state: 'Enabled' | 'Disabled';
}

export interface ResourceGroupRecord {
  subscriptionId: string;
  name: string;
  location: string;
  tags: Record<string, string>;
  provisioningState: 'Succeeded' | 'Deleting';
}

/** Any ARM resource (network, disks, extensions, VMs); VMs also have a VmRuntime. */
export interface ResourceRecord {
  id: string;
  subscriptionId: string;
  resourceGroup: string;
  type: string;
  name: string;
  location: string;
  apiVersion?: string;
  tags?: Record<string, string>;
  sku?: unknown;
  kind?: string;
  properties: Record<string, unknown>;
}

export type PowerState = 'starting' | 'running' | 'stopping' | 'stopped' | 'deallocating' | 'deallocated';

export interface VmRuntime {
  id: string;
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  location: string;
  computerName: string;
  adminUsername: string;
  vmSize: string;
  vcpu: number;
  memoryMb: number;
  privateIp: string;
  powerState: PowerState;
  provisioningState: 'Creating' | 'Updating' | 'Succeeded' | 'Deleting';
  bootedAt: number;
  /** The operation in flight (start, deallocate, ...), refused concurrently like ARM's 409. */
  busy?: string;
  /** Installed by a CustomScript extension. */
  app?: GuestApp;
  /** When the first-boot install finishes (epoch ms; Infinity = never). */
  appInstalledAt?: number;
  extensions: { name: string; type: string }[];
}

export type DeploymentState = 'Accepted' | 'Running' | 'Succeeded' | 'Failed' | 'Canceled';

export interface DeploymentRecord {
  id: string;
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  provisioningState: DeploymentState;
  mode: string;
  correlationId: string;
  templateHash: string;
  timestamp: Date;
  startedAt: number;
  finishedAt?: number;
  /** As ARM returns them: SecureString values are never echoed. */
  parameters: Record<string, { type: string; value?: unknown }>;
  outputs?: Record<string, { type: string; value: unknown }>;
  outputResources: string[];
  error?: ArmErrorDetail;
  /** How many times this deployment was (re)run by a PUT. */
  runs: number;
  abort: AbortController;
}

export interface AsyncOperationRecord {
  id: string;
  status: 'InProgress' | 'Succeeded' | 'Failed' | 'Canceled';
  startTime: Date;
  endTime?: Date;
  error?: ArmErrorDetail;
  /** Body of the final GET on the Location URL (e.g. a RunCommandResult). */
  result?: unknown;
}

export interface SimulatorSettings {
  deploymentDurationMs: number;
  operationDurationMs: number;
  installDelayMs: number;
  appStartDelayMs: number;
  /** Regional vCPU quota per subscription. */
  coreQuota: Map<string, number>;
  defaultCoreQuota: number;
  /** `${size}|${region}` (lower case) offered nowhere. */
  unavailableSkus: Set<string>;
}

export interface DeploymentFailurePlan {
  code: string;
  message: string;
  atResourceType: string;
}

const lc = (s: string) => s.toLowerCase();

export function resourceGroupId(sub: string, rg: string): string {
  return `/subscriptions/${sub}/resourceGroups/${rg}`;
}

/** `Microsoft.Compute/virtualMachines/extensions` + `vm1/ext` → `/providers/Microsoft.Compute/virtualMachines/vm1/extensions/ext`. */
export function resourceIdFor(sub: string, rg: string, type: string, name: string): string {
  const [namespace, ...types] = type.split('/');
  const names = name.split('/');
  if (types.length !== names.length) throw new ArmError(400, 'InvalidTemplate', `The resource name '${name}' does not match the segments of type '${type}'.`);
  return `${resourceGroupId(sub, rg)}/providers/${namespace}/${types.map((t, i) => `${t}/${names[i]}`).join('/')}`;
}

export class SimulatorState {
  readonly principals: ServicePrincipal[] = [];
  readonly subscriptions = new Map<string, SubscriptionRecord>();
  readonly tokens = new Map<string, { principal: ServicePrincipal; expiresAt: number }>();
  readonly resourceGroups = new Map<string, ResourceGroupRecord>();
  readonly resources = new Map<string, ResourceRecord>();
  readonly vms = new Map<string, VmRuntime>();
  readonly deployments = new Map<string, DeploymentRecord>();
  readonly operations = new Map<string, AsyncOperationRecord>();
  readonly deploymentFailures: DeploymentFailurePlan[] = [];
  /** Aborted when the simulator stops: every pending timer rejects. */
  readonly lifetime = new AbortController();
  private nextPrivateIp = 4;

  constructor(readonly settings: SimulatorSettings) {}

  addServicePrincipal(): ServicePrincipal {
    const subscriptionId = randomUUID();
    const principal: ServicePrincipal = {
      tenantId: randomUUID(),
      clientId: randomUUID(),
      clientSecret: `sim~${randomUUID().replace(/-/g, '')}`,
      subscriptionIds: [subscriptionId],
    };
    this.principals.push(principal);
    this.subscriptions.set(subscriptionId, {
      subscriptionId,
      tenantId: principal.tenantId,
      displayName: `Simulated subscription ${this.subscriptions.size + 1}`,
      state: 'Enabled',
    });
    return principal;
  }

  /** Waits `ms`, rejecting if `signal` (or the simulator's lifetime) aborts first. */
  delay(ms: number, signal?: AbortSignal): Promise<void> {
    const signals = [this.lifetime.signal, ...(signal ? [signal] : [])];
    return new Promise((resolve, reject) => {
      const aborted = signals.find((s) => s.aborted);
      if (aborted) return reject(aborted.reason);
      const timer = setTimeout(() => {
        signals.forEach((s) => s.removeEventListener('abort', onAbort));
        resolve();
      }, ms);
      function onAbort(this: AbortSignal) {
        clearTimeout(timer);
        signals.forEach((s) => s.removeEventListener('abort', onAbort));
        reject(this.reason);
      }
      signals.forEach((s) => s.addEventListener('abort', onAbort));
    });
  }

  allocatePrivateIp(): string {
    return `10.0.0.${this.nextPrivateIp++}`;
  }

  // Resource groups --------------------------------------------------------------------------

  findResourceGroup(sub: string, rg: string): ResourceGroupRecord | undefined {
    return this.resourceGroups.get(`${sub}/${lc(rg)}`);
  }

  requireResourceGroup(sub: string, rg: string): ResourceGroupRecord {
    const found = this.findResourceGroup(sub, rg);
    if (!found) throw notFound.resourceGroup(rg);
    return found;
  }

  /** A resource group that accepts new content (exists, not being deleted). */
  requireWritableResourceGroup(sub: string, rg: string): ResourceGroupRecord {
    const found = this.requireResourceGroup(sub, rg);
    if (found.provisioningState === 'Deleting') {
      throw new ArmError(409, 'ResourceGroupBeingDeleted', `The resource group '${found.name}' is in deprovisioning state and cannot perform this operation.`);
    }
    return found;
  }

  putResourceGroup(rg: ResourceGroupRecord): void {
    this.resourceGroups.set(`${rg.subscriptionId}/${lc(rg.name)}`, rg);
  }

  removeResourceGroup(sub: string, rg: string): void {
    this.resourceGroups.delete(`${sub}/${lc(rg)}`);
  }

  resourcesIn(sub: string, rg: string): ResourceRecord[] {
    const prefix = lc(resourceGroupId(sub, rg)) + '/';
    return [...this.resources.values()].filter((r) => lc(r.id).startsWith(prefix));
  }

  // Resources --------------------------------------------------------------------------------

  findResource(id: string): ResourceRecord | undefined {
    return this.resources.get(lc(id));
  }

  putResource(r: ResourceRecord): void {
    this.resources.set(lc(r.id), r);
  }

  removeResource(id: string): void {
    this.resources.delete(lc(id));
  }

  findVm(id: string): VmRuntime | undefined {
    return this.vms.get(lc(id));
  }

  putVm(vm: VmRuntime): void {
    this.vms.set(lc(vm.id), vm);
  }

  removeVm(id: string): void {
    this.vms.delete(lc(id));
  }

  /** Another resource whose definition mentions `id` (ARM refuses to delete what is in use). */
  findUser(id: string): ResourceRecord | undefined {
    const needle = lc(id);
    for (const r of this.resources.values()) {
      if (lc(r.id) === needle || lc(r.id).startsWith(needle + '/')) continue;
      const text = lc(JSON.stringify(r.properties));
      if (text.includes(`"${needle}"`) || text.includes(`"${needle}/`)) return r;
    }
    return undefined;
  }

  coresInUse(sub: string, region: string): number {
    let used = 0;
    for (const vm of this.vms.values()) if (vm.subscriptionId === sub && vm.location === region) used += vm.vcpu;
    return used;
  }

  // Deployments ------------------------------------------------------------------------------

  findDeployment(sub: string, rg: string, name: string): DeploymentRecord | undefined {
    return this.deployments.get(`${sub}/${lc(rg)}/${lc(name)}`);
  }

  putDeployment(d: DeploymentRecord): void {
    this.deployments.set(`${d.subscriptionId}/${lc(d.resourceGroup)}/${lc(d.name)}`, d);
  }

  removeDeployment(d: DeploymentRecord): void {
    this.deployments.delete(`${d.subscriptionId}/${lc(d.resourceGroup)}/${lc(d.name)}`);
  }

  deploymentsIn(sub: string, rg: string): DeploymentRecord[] {
    return [...this.deployments.values()].filter((d) => d.subscriptionId === sub && lc(d.resourceGroup) === lc(rg));
  }

  // Async operations -------------------------------------------------------------------------

  startOperation(): AsyncOperationRecord {
    // Finished operations stay pollable for an hour, then go (a long-running sandbox stays small).
    const cutoff = Date.now() - 3600_000;
    for (const [id, old] of this.operations) if (old.endTime && old.endTime.getTime() < cutoff) this.operations.delete(id);
    const op: AsyncOperationRecord = { id: randomUUID(), status: 'InProgress', startTime: new Date() };
    this.operations.set(op.id, op);
    return op;
  }

  finishOperation(op: AsyncOperationRecord, outcome: { error?: ArmErrorDetail; result?: unknown; canceled?: boolean } = {}): void {
    op.status = outcome.canceled ? 'Canceled' : outcome.error ? 'Failed' : 'Succeeded';
    op.error = outcome.error;
    op.result = outcome.result;
    op.endTime = new Date();
  }
}
