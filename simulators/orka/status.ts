// Error bodies as the Orka 3 API Server sends them: Kubernetes `Status` objects; clients read `message`.
export type StatusReason =
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Invalid'
  | 'InternalError'
  | 'Timeout'
  | 'ServiceUnavailable';

export class SimError extends Error {
  constructor(
    readonly code: number,
    readonly reason: StatusReason,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export function statusBody(err: SimError) {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: err.message,
    reason: err.reason,
    details: err.details,
    code: err.code,
  };
}

export const notFound = (kind: string, name: string) =>
  new SimError(404, 'NotFound', `${kind}.orka.macstadium.com "${name}" not found`, { name, kind });
