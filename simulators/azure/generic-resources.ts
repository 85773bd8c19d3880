// Any other resource by id (network, disks, VM extensions): GET, HEAD and DELETE. Deleting what
// another resource still uses fails the way ARM fails (a NIC in use by a VM, an NSG by a NIC, ...);
// deleting what does not exist is 204, per the ARM RPC.
import { ArmError, notFound } from './arm-error';
import { empty, json, type SimReply, type SimRequest } from './http';
import { resourceGroupId, type ResourceRecord, type SimulatorState } from './state';

/** The resource id of a generic route: everything after the resource group, as requested. */
export function resourceIdOf(req: SimRequest): string {
  const tail = req.segments.slice(4).join('/');
  return `${resourceGroupId(req.params.sub, req.params.rg)}/${tail}`;
}

export function resourceBody(r: ResourceRecord) {
  return {
    id: r.id,
    name: r.name.split('/').pop(),
    type: r.type,
    location: r.location,
    ...(r.tags ? { tags: r.tags } : {}),
    ...(r.sku !== undefined ? { sku: r.sku } : {}),
    ...(r.kind !== undefined ? { kind: r.kind } : {}),
    properties: r.properties,
  };
}

function inUseError(r: ResourceRecord, user: ResourceRecord): ArmError {
  const type = r.type.toLowerCase();
  if (type === 'microsoft.network/networksecuritygroups') {
    return new ArmError(400, 'InUseNetworkSecurityGroupCannotBeDeleted', `Network security group ${r.id} cannot be deleted because it is in use by the following resources: ${user.id}.`);
  }
  if (type === 'microsoft.network/publicipaddresses') {
    return new ArmError(400, 'PublicIPAddressCannotBeDeleted', `Public IP address ${r.id} can not be deleted since it is still allocated to resource ${user.id}.`);
  }
  if (type === 'microsoft.network/virtualnetworks') {
    return new ArmError(400, 'InUseSubnetCannotBeDeleted', `Subnet of virtual network ${r.id} is in use by ${user.id} and cannot be deleted.`);
  }
  if (type === 'microsoft.network/networkinterfaces') {
    return new ArmError(400, 'NicInUse', `Network Interface ${r.id} is used by existing resource ${user.id}.`);
  }
  return new ArmError(409, 'OperationNotAllowed', `Resource ${r.id} is in use by ${user.id} and cannot be deleted.`);
}

export function getGenericResource(state: SimulatorState, req: SimRequest): SimReply {
  state.requireResourceGroup(req.params.sub, req.params.rg);
  const id = resourceIdOf(req);
  const r = state.findResource(id);
  if (!r) throw notFound.resource(req.segments.slice(5, -1).join('/'), req.segments[req.segments.length - 1], req.params.rg);
  return json(200, resourceBody(r));
}

export function headGenericResource(state: SimulatorState, req: SimRequest): SimReply {
  return empty(state.findResourceGroup(req.params.sub, req.params.rg) && state.findResource(resourceIdOf(req)) ? 204 : 404);
}

export function deleteGenericResource(state: SimulatorState, req: SimRequest): SimReply {
  state.requireResourceGroup(req.params.sub, req.params.rg);
  const r = state.findResource(resourceIdOf(req));
  if (!r) return empty(204);
  const user = state.findUser(r.id);
  if (user) throw inUseError(r, user);
  for (const child of [...state.resources.values()]) if (child.id.toLowerCase().startsWith(r.id.toLowerCase() + '/')) state.removeResource(child.id);
  state.removeResource(r.id);
  if (r.type.toLowerCase() === 'microsoft.compute/virtualmachines/extensions') {
    const vm = state.findVm(r.id.replace(/\/extensions\/[^/]+$/i, ''));
    if (vm) vm.extensions = vm.extensions.filter((e) => e.name !== r.name.split('/').pop());
  }
  return empty(200);
}
