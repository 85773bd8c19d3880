// Talking to a test stack's API like a client does.
import type { TestStack } from './stack';

export interface Reply<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export async function call<T = any>(
  stack: Pick<TestStack, 'baseUrl'>,
  method: string,
  path: string,
  opts: { body?: unknown; token?: string; headers?: Record<string, string>; rawBody?: string } = {},
): Promise<Reply<T>> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.body !== undefined || opts.rawBody !== undefined) headers['content-type'] ??= 'application/json';
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  const res = await fetch(`${stack.baseUrl}${path}`, {
    method,
    headers,
    body: opts.rawBody ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)),
  });
  const text = await res.text();
  let body: any = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON */
  }
  return { status: res.status, body, headers: res.headers };
}

export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 30_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}

let counter = 0;
export function uniqueSlug(prefix = 'org'): string {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}-${Math.random().toString(36).slice(2, 6)}`;
}

export interface SignedUp {
  tenantId: string;
  userId: string;
  email: string;
  password: string;
  slug: string;
  token: string;
}

/** Signs up a new organization through the API, waits until it is active and signs in. */
export async function signUpActive(stack: Pick<TestStack, 'baseUrl'>, opts: { plan?: string; slug?: string } = {}): Promise<SignedUp> {
  const slug = opts.slug ?? uniqueSlug();
  const email = `${slug}@example.com`;
  const password = 'a-long-enough-password';
  const res = await call(stack, 'POST', '/api/auth/signup', {
    body: { email, password, name: 'Owner', organization: `Org ${slug}`, subdomain: slug, plan: opts.plan },
  });
  if (res.status !== 202) throw new Error(`signup answered ${res.status}: ${JSON.stringify(res.body)}`);
  await waitFor('tenant active', async () => (await call(stack, 'GET', `/api/auth/signup/${res.body.workflowId}`)).body?.status === 'active');
  const login = await call(stack, 'POST', '/api/auth/login', { body: { email, password } });
  const me = await call(stack, 'GET', '/api/me', { token: login.body.token });
  return { tenantId: res.body.tenantId, userId: me.body.user.id, email, password, slug, token: login.body.token };
}
