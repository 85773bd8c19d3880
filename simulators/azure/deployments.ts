// Template deployments in a resource group: PUT (preflight, then 201 Accepted + Azure-AsyncOperation
// while the resources are created in the background), GET, HEAD, list, cancel, DELETE (202 +
// Location) and the operationStatuses URL the SDK polls.
import { randomUUID } from 'node:crypto';
import { ArmError, notFound } from './arm-error';
import { apiVersionOf, empty, json, parseJsonBody, type SimReply, type SimRequest } from './http';
import { planDeployment, publicParameters, runDeployment } from './template-deployer';
import { resourceGroupId, type DeploymentRecord, type SimulatorState } from './state';

function isoDuration(ms: number): string {
  return `PT${(ms / 1000).toFixed(3)}S`;
}

const active = (d: DeploymentRecord) => d.provisioningState === 'Accepted' || d.provisioningState === 'Running';

export function deploymentBody(d: DeploymentRecord) {
  const end = d.finishedAt ?? Date.now();
  return {
    id: d.id,
    name: d.name,
    type: 'Microsoft.Resources/deployments',
    properties: {
      templateHash: d.templateHash,
      parameters: d.parameters,
      mode: d.mode,
      provisioningState: d.provisioningState,
      timestamp: d.timestamp.toISOString(),
      duration: isoDuration(end - d.startedAt),
      correlationId: d.correlationId,
      providers: [],
      dependencies: [],
      ...(d.provisioningState === 'Succeeded' ? { outputs: d.outputs ?? {}, outputResources: d.outputResources.map((id) => ({ id })) } : {}),
      ...(d.error ? { error: d.error } : {}),
    },
  };
}

function requireDeployment(state: SimulatorState, req: SimRequest): DeploymentRecord {
  const { sub, rg, name } = req.params;
  state.requireResourceGroup(sub, rg);
  const d = state.findDeployment(sub, rg, name);
  if (!d) throw notFound.deployment(name);
  return d;
}

export function putDeployment(state: SimulatorState, req: SimRequest): SimReply {
  const { sub, rg: rgName, name } = req.params;
  const rg = state.requireWritableResourceGroup(sub, rgName);
  const body = parseJsonBody(req);
  if (body.__invalid) throw new ArmError(400, 'InvalidRequestContent', 'The request content was invalid and could not be deserialized.');
  const existing = state.findDeployment(sub, rg.name, name);
  if (existing && active(existing)) {
    throw new ArmError(
      409,
      'DeploymentActiveAndUneditable',
      `Unable to edit or replace deployment '${name}': previous deployment from '${existing.timestamp.toISOString()}' is still active (expiration time is '${new Date(existing.timestamp.getTime() + 14 * 86400_000).toISOString()}'). Please see https://aka.ms/arm-deploy for usage details.`,
    );
  }
  const plan = planDeployment(state, rg, name, body);
  const now = Date.now();
  const record: DeploymentRecord = {
    id: `${resourceGroupId(sub, rg.name)}/providers/Microsoft.Resources/deployments/${name}`,
    subscriptionId: sub,
    resourceGroup: rg.name,
    name,
    provisioningState: 'Accepted',
    mode: plan.mode,
    correlationId: randomUUID(),
    templateHash: plan.templateHash,
    timestamp: new Date(now),
    startedAt: now,
    parameters: publicParameters(plan),
    outputResources: existing?.outputResources ?? [],
    runs: (existing?.runs ?? 0) + 1,
    abort: new AbortController(),
  };
  state.putDeployment(record);
  void runDeployment(state, record, plan);
  const statusUrl = `${req.origin}${record.id}/operationStatuses/${randomUUID()}?api-version=${apiVersionOf(req)}`;
  return json(existing ? 200 : 201, deploymentBody(record), { 'azure-asyncoperation': statusUrl });
}

export function getDeployment(state: SimulatorState, req: SimRequest): SimReply {
  return json(200, deploymentBody(requireDeployment(state, req)));
}

export function headDeployment(state: SimulatorState, req: SimRequest): SimReply {
  const { sub, rg, name } = req.params;
  return empty(state.findResourceGroup(sub, rg) && state.findDeployment(sub, rg, name) ? 204 : 404);
}

export function listDeployments(state: SimulatorState, req: SimRequest): SimReply {
  const { sub, rg } = req.params;
  state.requireResourceGroup(sub, rg);
  return json(200, { value: state.deploymentsIn(sub, rg).map(deploymentBody) });
}

/** The Azure-AsyncOperation URL of a deployment PUT: Running until the deployment is terminal. */
export function getDeploymentOperationStatus(state: SimulatorState, req: SimRequest): SimReply {
  const d = requireDeployment(state, req);
  const status = active(d) ? 'Running' : d.provisioningState;
  return json(200, { status, ...(d.error ? { error: d.error } : {}) });
}

export function cancelDeployment(state: SimulatorState, req: SimRequest): SimReply {
  const d = requireDeployment(state, req);
  if (!active(d)) {
    throw new ArmError(409, 'DeploymentCannotBeCancelled', `The deployment '${d.name}' cannot be cancelled because it is in '${d.provisioningState}' state.`);
  }
  d.abort.abort();
  return empty(204);
}

export function deleteDeployment(state: SimulatorState, req: SimRequest): SimReply {
  const { sub, rg, name } = req.params;
  state.requireResourceGroup(sub, rg);
  const d = state.findDeployment(sub, rg, name);
  if (!d) return empty(204);
  if (active(d)) {
    throw new ArmError(409, 'DeploymentActive', `The deployment '${name}' is active and cannot be deleted. Cancel it first or wait for it to finish.`);
  }
  // Deleting a deployment removes its history entry, never the resources it created.
  state.removeDeployment(d);
  const op = state.startOperation();
  state.finishOperation(op);
  return empty(202, { location: `${req.origin}/subscriptions/${sub}/operationresults/${op.id}?api-version=${apiVersionOf(req)}` });
}
