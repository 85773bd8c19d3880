// The console's only way to the server: a typed client over the OpenAPI document (openapi-fetch for
// requests, openapi-react-query for the TanStack Query hooks). Sends the session cookie and, on
// writes, the CSRF header; turns every problem+json answer into an ApiError whose per-field messages
// forms show next to their inputs. The session token itself never reaches JavaScript (HttpOnly cookie).
import createFetchClient, { type Middleware } from 'openapi-fetch';
import createQueryHooks from 'openapi-react-query';
import type { paths } from './schema.gen';

export interface FieldError {
  field: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fieldErrors: FieldError[] = [],
    readonly requestId?: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The message for one form field (`name`, or a nested one such as `publicFields.clientId`). */
  forField(field: string): string | undefined {
    return this.fieldErrors.find((e) => e.field === field)?.message;
  }
}

/** Any error as one sentence for a person (network failures included). */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof TypeError) return 'The server could not be reached. Check your connection and try again.';
  return err instanceof Error ? err.message : String(err);
}

export function csrfToken(): string | undefined {
  return document.cookie
    .split('; ')
    .find((c) => c.startsWith('tenantry_csrf='))
    ?.slice('tenantry_csrf='.length);
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const csrf: Middleware = {
  onRequest({ request }) {
    const token = csrfToken();
    if (token && WRITES.has(request.method)) request.headers.set('X-CSRF-Token', token);
    return request;
  },
};

const problems: Middleware = {
  async onResponse({ response }) {
    if (response.ok) return response;
    const text = await response.clone().text();
    let body: { title?: string; detail?: string; errors?: FieldError[]; requestId?: string } = {};
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      // not JSON (a proxy's error page): fall back to the status text
    }
    const retryAfter = Number(response.headers.get('Retry-After')) || undefined;
    throw new ApiError(response.status, body.detail ?? body.title ?? (response.statusText || `HTTP ${response.status}`), body.errors ?? [], body.requestId, retryAfter);
  },
};

// Absolute, so the same client works in the browser and under jsdom (Node's fetch refuses relative URLs).
const baseUrl = `${globalThis.location?.origin ?? 'http://localhost'}/api`;

// fetch is looked up per call (not captured once), so test interceptors installed later still apply.
export const fetchClient = createFetchClient<paths>({ baseUrl, credentials: 'same-origin', fetch: (request) => globalThis.fetch(request) });
fetchClient.use(csrf, problems);

/** Typed TanStack Query hooks: `$api.useQuery('get', '/tenants/{tenantId}', {params: {path: {tenantId}}})`. */
export const $api = createQueryHooks(fetchClient);

/**
 * A key for one user intent (a form submission), reused when the same submission is retried, so a
 * double click or a lost answer never creates twice. Works outside secure contexts too.
 */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `web-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
