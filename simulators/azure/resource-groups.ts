// Resource groups: PUT (200/201, not an LRO), GET, HEAD, PATCH (tags), list, and DELETE as a
// long-running operation (202 + Location; the Location URL answers 202 until everything inside is
// gone, then 200), which also cancels running deployments and deletes every resource inside.
import { ArmError } from './arm-error';
import { normalizeLocation, REGIONS } from './cloud-catalog';
import { apiVersionOf, empty, json, parseJsonBody, type SimReply, type SimRequest } from './http';
import { destroyVm } from './vm-lifecycle';
import { resourceGroupId, type ResourceGroupRecord, type SimulatorState } from './state';

const RG_NAME = /^[-\w._()]{1,90}$/;

export function resourceGroupBody(rg: ResourceGroupRecord) {
  return {
    id: resourceGroupId(rg.subscriptionId, rg.name),
    name: rg.name,
    type: 'Microsoft.Resources/resourceGroups',
    location: rg.location,
    tags: rg.tags,
    properties: { provisioningState: rg.provisioningState },
  };
}

function tagsOf(value: unknown): Record<string, string> {
  if (!value || typeof value !== 'object') return {};
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
}

export function putResourceGroup(state: SimulatorState, req: SimRequest): SimReply {
  const { sub, rg: name } = req.params;
  if (!RG_NAME.test(name) || name.endsWith('.')) {
    throw new ArmError(400, 'InvalidResourceGroup', `The provided resource group name '${name}' has these invalid characters: '${name.replace(/[-\w._()]/g, '')}'. The name can only be a letter, digit, '-', '.', '_', '(', ')' and cannot end with '.'.`);
  }
  const body = parseJsonBody(req);
  if (body.__invalid) throw new ArmError(400, 'InvalidRequestContent', 'The request content was invalid and could not be deserialized.');
  if (typeof body.location !== 'string' || !body.location) throw new ArmError(400, 'LocationRequired', 'The location property is required for this definition.');
  const location = normalizeLocation(body.location);
  if (!(REGIONS as readonly string[]).includes(location)) {
    throw new ArmError(400, 'LocationNotAvailableForResourceGroup', `The provided location '${body.location}' is not available for resource group. List of available regions is '${REGIONS.join(',')}'.`);
  }
  const existing = state.findResourceGroup(sub, name);
  if (existing) {
    if (existing.provisioningState === 'Deleting') {
      throw new ArmError(409, 'ResourceGroupBeingDeleted', `The resource group '${existing.name}' is in deprovisioning state and cannot perform this operation.`);
    }
    if (existing.location !== location) {
      throw new ArmError(409, 'InvalidResourceGroupLocation', `Invalid resource group location '${location}'. The Resource group already exists in location '${existing.location}'.`);
    }
    existing.tags = tagsOf(body.tags);
    return json(200, resourceGroupBody(existing));
  }
  const rg: ResourceGroupRecord = { subscriptionId: sub, name, location, tags: tagsOf(body.tags), provisioningState: 'Succeeded' };
  state.putResourceGroup(rg);
  return json(201, resourceGroupBody(rg));
}

export function getResourceGroup(state: SimulatorState, req: SimRequest): SimReply {
  return json(200, resourceGroupBody(state.requireResourceGroup(req.params.sub, req.params.rg)));
}

export function headResourceGroup(state: SimulatorState, req: SimRequest): SimReply {
  return empty(state.findResourceGroup(req.params.sub, req.params.rg) ? 204 : 404);
}

export function patchResourceGroup(state: SimulatorState, req: SimRequest): SimReply {
  const rg = state.requireWritableResourceGroup(req.params.sub, req.params.rg);
  const body = parseJsonBody(req);
  if (body.tags !== undefined) rg.tags = tagsOf(body.tags);
  return json(200, resourceGroupBody(rg));
}

export function listResourceGroups(state: SimulatorState, req: SimRequest): SimReply {
  const value = [...state.resourceGroups.values()].filter((rg) => rg.subscriptionId === req.params.sub).map(resourceGroupBody);
  return json(200, { value });
}

export function deleteResourceGroup(state: SimulatorState, req: SimRequest): SimReply {
  const { sub } = req.params;
  const rg = state.requireResourceGroup(sub, req.params.rg);
  const op = state.startOperation();
  const location = `${req.origin}/subscriptions/${sub}/operationresults/${op.id}?api-version=${apiVersionOf(req)}`;
  if (rg.provisioningState !== 'Deleting') {
    rg.provisioningState = 'Deleting';
    void (async () => {
      try {
        for (const d of state.deploymentsIn(sub, rg.name)) d.abort.abort();
        await state.delay(state.settings.operationDurationMs);
        for (const vm of [...state.vms.values()]) if (vm.subscriptionId === sub && vm.resourceGroup.toLowerCase() === rg.name.toLowerCase()) await destroyVm(state, vm);
        for (const r of state.resourcesIn(sub, rg.name)) state.removeResource(r.id);
        for (const d of state.deploymentsIn(sub, rg.name)) state.removeDeployment(d);
        state.removeResourceGroup(sub, rg.name);
        state.finishOperation(op);
      } catch (err) {
        if (!state.lifetime.signal.aborted) state.finishOperation(op, { error: { code: 'InternalServerError', message: (err as Error).message } });
      }
    })();
  } else {
    // A second DELETE joins the deletion in progress.
    void (async () => {
      while (state.findResourceGroup(sub, rg.name) && !state.lifetime.signal.aborted) await state.delay(25).catch(() => undefined);
      state.finishOperation(op);
    })();
  }
  return empty(202, { location });
}

/** The Location URL of an RG (or deployment) deletion: 202 while running, 200 when done. */
export function getOperationResult(state: SimulatorState, req: SimRequest): SimReply {
  const op = state.operations.get(req.params.op);
  if (!op) throw new ArmError(404, 'NotFound', `The operation '${req.params.op}' could not be found.`);
  if (op.status === 'InProgress') return empty(202, { location: `${req.origin}${req.url.pathname}${req.url.search}` });
  if (op.status === 'Failed') return json(500, { error: op.error });
  return empty(200);
}

export function listResourcesInGroup(state: SimulatorState, req: SimRequest): SimReply {
  const { sub, rg } = req.params;
  state.requireResourceGroup(sub, rg);
  const value = state.resourcesIn(sub, rg).map((r) => ({ id: r.id, name: r.name, type: r.type, location: r.location, tags: r.tags }));
  return json(200, { value });
}
