// The URLs Microsoft.Compute hands out for its long-running operations: the Azure-AsyncOperation
// status URL ({"status":"InProgress"} … "Succeeded") and the `?monitor=true` Location URL (202
// while running, then 200 with the operation's result, e.g. a RunCommandResult).
import { ArmError } from './arm-error';
import { apiVersionOf, empty, json, queryParam, type SimReply, type SimRequest } from './http';
import type { AsyncOperationRecord, SimulatorState } from './state';

/** Headers of a 202 Accepted for `op`, with absolute URLs as the ARM contract requires. */
export function computeOperationHeaders(req: SimRequest, location: string, op: AsyncOperationRecord): Record<string, string> {
  const base = `${req.origin}/subscriptions/${req.params.sub}/providers/Microsoft.Compute/locations/${location}/operations/${op.id}`;
  const v = apiVersionOf(req);
  return {
    'azure-asyncoperation': `${base}?p=${op.id}&api-version=${v}`,
    location: `${base}?p=${op.id}&monitor=true&api-version=${v}`,
  };
}

export function getComputeOperation(state: SimulatorState, req: SimRequest): SimReply {
  const op = state.operations.get(req.params.op);
  if (!op) throw new ArmError(404, 'NotFound', `The operation '${req.params.op}' could not be found.`);
  if (queryParam(req, 'monitor') === 'true') {
    if (op.status === 'InProgress') return empty(202, { location: `${req.origin}${req.url.pathname}${req.url.search}` });
    // 200, never 204: the modular compute client rejects a 204 on this final GET.
    return op.result === undefined ? empty(200) : json(200, op.result);
  }
  return json(200, {
    startTime: op.startTime.toISOString(),
    ...(op.endTime ? { endTime: op.endTime.toISOString() } : {}),
    status: op.status,
    name: op.id,
    ...(op.error ? { error: op.error } : {}),
  });
}
