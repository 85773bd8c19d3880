// The API as component tests see it: msw handlers whose paths and bodies are typed by the generated
// schema, so a fixture that no longer matches what the server answers fails to compile.
import { http, HttpResponse, type DefaultBodyType, type PathParams, type StrictRequest } from 'msw';
import { setupServer } from 'msw/node';
import type { paths } from '../api/schema.gen';
import type { Answer } from '../api/types';

export const server = setupServer();

export const ORIGIN = 'http://localhost:3000';
const url = (path: string) => `${ORIGIN}/api${path.replace(/\{(\w+)\}/g, ':$1')}`;

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type PathsWith<M extends Method> = { [P in keyof paths]: paths[P][M] extends undefined | never ? never : P }[keyof paths];
type Resolver<P extends keyof paths, M extends Method> =
  | Answer<P, M>
  | ((info: { request: StrictRequest<DefaultBodyType>; params: PathParams; body: unknown }) => Answer<P, M> | Response | Promise<Answer<P, M> | Response>);

/** Answers `method path` with a typed body (or a function of the request returning one, or any Response). */
export function answer<M extends Method, P extends PathsWith<M>>(method: M, path: P, resolver: Resolver<P, M>, opts: { status?: number } = {}) {
  return http[method](url(path), async ({ request, params }) => {
    const body = request.method === 'GET' || request.method === 'DELETE' ? undefined : await request.clone().json().catch(() => undefined);
    const out = typeof resolver === 'function' ? await (resolver as (i: unknown) => unknown)({ request, params, body }) : resolver;
    if (out instanceof Response) return out;
    if (out === undefined) return new HttpResponse(null, { status: opts.status ?? 204 });
    return HttpResponse.json(out as Record<string, unknown>, { status: opts.status ?? 200 });
  });
}

/** A problem+json answer, as the API sends errors. */
export function problem(status: number, detail: string, errors: { field: string; message: string }[] = []) {
  return HttpResponse.json({ type: 'about:blank', title: detail, status, detail, requestId: 'req-test', errors }, { status, headers: { 'Content-Type': 'application/problem+json' } });
}

/** Records the requests a handler saw, for asserting what the console sent. */
export function recorder() {
  const seen: { method: string; path: string; body: unknown; headers: Headers }[] = [];
  server.events.on('request:start', async ({ request }) => {
    const u = new URL(request.url);
    const body = request.method === 'GET' ? undefined : await request.clone().json().catch(() => undefined);
    seen.push({ method: request.method, path: u.pathname + u.search, body, headers: request.headers });
  });
  return seen;
}
