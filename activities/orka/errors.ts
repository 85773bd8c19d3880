// What can go wrong talking to Orka, as types the provider can act on: authentication (no retry
// helps), not found, conflict, invalid request, server trouble and unreachable (both retryable).
export type OrkaErrorKind = 'authentication' | 'not-found' | 'conflict' | 'invalid' | 'server' | 'unreachable';

export class OrkaApiError extends Error {
  override name = 'OrkaApiError';
  constructor(
    readonly kind: OrkaErrorKind,
    message: string,
    readonly status?: number,
    /** The Kubernetes Status `reason`, when Orka sent one (e.g. AlreadyExists). */
    readonly reason?: string,
  ) {
    super(message);
  }
  /** Retrying the same request later may succeed. */
  get retryable(): boolean {
    return this.kind === 'server' || this.kind === 'unreachable';
  }
}

/** 401 (bad or expired token) or 403 (no access to the namespace). */
export class OrkaAuthenticationError extends OrkaApiError {
  override name = 'OrkaAuthenticationError';
  constructor(message: string, status: number, reason?: string) {
    super('authentication', message, status, reason);
  }
}

export class OrkaNotFoundError extends OrkaApiError {
  override name = 'OrkaNotFoundError';
  constructor(message: string, reason?: string) {
    super('not-found', message, 404, reason);
  }
}

export class OrkaConflictError extends OrkaApiError {
  override name = 'OrkaConflictError';
  constructor(message: string, reason?: string) {
    super('conflict', message, 409, reason);
  }
}

/** 400, 422 and other 4xx: the request itself is wrong; repeating it will not help. */
export class OrkaInvalidRequestError extends OrkaApiError {
  override name = 'OrkaInvalidRequestError';
  constructor(message: string, status: number, reason?: string) {
    super('invalid', message, status, reason);
  }
}

/** 5xx, including a proxy's HTML error page. */
export class OrkaServerError extends OrkaApiError {
  override name = 'OrkaServerError';
  constructor(message: string, status: number, reason?: string) {
    super('server', message, status, reason);
  }
}

/** No HTTP answer at all: connection refused or reset, DNS, or our own timeout. */
export class OrkaUnreachableError extends OrkaApiError {
  override name = 'OrkaUnreachableError';
  constructor(
    message: string,
    readonly timedOut: boolean,
  ) {
    super('unreachable', message);
  }
}

export function errorForStatus(status: number, message: string, reason?: string): OrkaApiError {
  if (status === 401 || status === 403) return new OrkaAuthenticationError(message, status, reason);
  if (status === 404) return new OrkaNotFoundError(message, reason);
  if (status === 409) return new OrkaConflictError(message, reason);
  if (status >= 500) return new OrkaServerError(message, status, reason);
  return new OrkaInvalidRequestError(message, status, reason);
}
