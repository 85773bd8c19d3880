// Property-based fuzzing of every route (fast-check): path parameters, query strings, bodies and
// headers drawn from a mix of real ids, near-valid values shaped by each route's own schema, and
// junk (unicode, huge numbers, wrong types, prototype keys, malformed JSON), sent as the owner, an
// operator, an API key, garbage credentials and nobody. The property: never a 5xx, and every error
// is a problem document. Provisioning is disabled in this stack (the Docker provider's first step
// fails at once), so near-valid orders exercise the whole API path without starting containers.
import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/activity';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { apiRoutes } from '../../api/app';
import type { AnyRoute } from '../../api/route';
import { createApiKey, createSite, createUser } from '../helpers/api';
import { call, signUpActive, type SignedUp } from '../helpers/http';
import { startStack, type TestStack } from '../helpers/stack';

let stack: TestStack;
let org: SignedUp;
let tokens: Record<'owner' | 'operator' | 'key', string>;
/** Sessions for the sign-out route, so fuzzing it never signs the fuzzer itself out. */
const spareSessions: string[] = [];
const ids: Record<string, string> = {};
const statuses = new Map<string, Map<number, number>>();

beforeAll(async () => {
  stack = await startStack('api_fuzz', {
    wrapProviders: (p) => ({
      ...p,
      docker: { ...p.docker!, prepare: async () => { throw ApplicationFailure.create({ message: 'provisioning is disabled in the fuzz stack', nonRetryable: true }); } },
    }),
  });
  const [t, operator] = await Promise.all([signUpActive(stack), createUser(stack, { operator: true })]);
  org = t;
  const key = await createApiKey(stack, org.token, org.tenantId, { role: 'admin' });
  // The key the routes point at is not the one the fuzzer uses (revoking it must not stop the run).
  const target = await createApiKey(stack, org.token, org.tenantId, { role: 'viewer' });
  tokens = { owner: org.token, operator: operator.token, key: key.key };
  for (let i = 0; i < 12; i++) spareSessions.push((await call(stack, 'POST', '/api/auth/login', { body: { email: org.email, password: org.password } })).body.token);
  const site = await createSite(stack, org);
  const instanceId = randomUUID();
  await stack.db.instance.create({
    data: { id: instanceId, tenantId: org.tenantId, siteId: site, name: 'fixture', provider: 'docker', template: 'demo-app', size: 'small', region: 'local', spec: { vcpu: 0.25, memoryMb: 256 }, phase: 'failed', workflowId: `instance-${instanceId}` },
  });
  const partner = await call(stack, 'POST', '/api/admin/partners', { token: operator.token, body: { slug: 'fuzz-msp', name: 'Fuzz MSP' } });
  Object.assign(ids, { tenantId: org.tenantId, instanceId, userId: org.userId, keyId: target.id, partnerId: partner.body.id, siteId: site, workflowId: `tenant-${org.slug}`, slug: org.slug });
}, 180_000);
afterAll(async () => {
  await stack?.close();
});

const junk = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.constantFrom('', ' ', '..', '%', '%00', '\u0000', 'null', 'undefined', '-1', '0', '1e309', 'NaN', '__proto__', 'constructor', 'a'.repeat(300), '9'.repeat(40), '../../etc/passwd', "' OR 1=1 --", '<script>'),
);
// Lazy: the ids exist only once the fixtures are made.
const realId = () =>
  fc.nat().map((i) => {
    const v = Object.values(ids);
    return v[i % v.length];
  });
const paramValue = fc.oneof({ weight: 3, arbitrary: realId() }, { weight: 2, arbitrary: fc.uuid() }, { weight: 2, arbitrary: junk });
const enums = fc.constantFrom('docker', 'orka', 'azure', 'owner', 'admin', 'member', 'viewer', 'ping', 'sysinfo', 'running', 'stopped', 'hour', 'day', 'top_up', 'adjustment', 'trial', 'pro', 'partner_admin', 'small', 'Standard_B2s', 'eastus', 'demo-app');
const scalar = fc.oneof(junk, enums, realId(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.emailAddress(), fc.date({ noInvalidDate: true }).map((d) => d.toISOString()));
const fieldValue = fc.oneof(
  { weight: 6, arbitrary: scalar },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.constantFrom('tenantId', 'clientId', 'subscriptionId', 'x', '__proto__'), fc.oneof(fc.uuid(), junk)) },
);

const label = fc.stringMatching(/^[a-z][a-z0-9-]{0,14}[a-z0-9]$/);
const text = fc.string({ minLength: 1, maxLength: 30 });
const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined, freq: 1 });
/** A fixture id by name, or (less often) any other real id. */
const idOf = (name: string) => fc.oneof({ weight: 3, arbitrary: fc.constant(null).map(() => ids[name]) }, { weight: 1, arbitrary: realId() });
const roles = fc.constantFrom('owner', 'admin', 'member', 'viewer');
const signupBody = () => fc.record({ email: fc.emailAddress(), password: fc.string({ minLength: 10, maxLength: 20 }), name: text, organization: text, subdomain: label, plan: opt(fc.constantFrom('trial', 'standard', 'pro', 'platinum')) });
/** Near-valid bodies per route, so fuzzing reaches past validation into the handlers. */
const SAMPLES: Partial<Record<string, () => fc.Arbitrary<Record<string, unknown>>>> = {
  'post /auth/signup': signupBody,
  'post /partners/{partnerId}/tenants': signupBody,
  'post /auth/login': () => fc.record({ email: fc.oneof(fc.emailAddress(), fc.constant('nobody@example.com')), password: text }),
  'post /tenants/{tenantId}/plan': () => fc.record({ plan: fc.constantFrom('trial', 'standard', 'pro', 'enterprise', 'platinum') }),
  'patch /tenants/{tenantId}/members/{userId}': () => fc.record({ role: opt(roles), siteId: opt(fc.oneof(idOf('siteId'), fc.constant(null))) }),
  'post /tenants/{tenantId}/invitations': () => fc.record({ email: fc.emailAddress(), role: roles, siteId: opt(idOf('siteId')), expiresInDays: opt(fc.integer({ min: -2, max: 40 })) }),
  'post /invitations/lookup': () => fc.record({ token: fc.stringMatching(/^inv_[A-Za-z0-9_-]{43}$/) }),
  'post /invitations/accept': () => fc.record({ token: fc.stringMatching(/^inv_[A-Za-z0-9_-]{43}$/), name: opt(text), password: opt(fc.string({ minLength: 10, maxLength: 20 })) }),
  'post /tenants/{tenantId}/sites': () => fc.record({ name: text }),
  'post /tenants/{tenantId}/api-keys': () => fc.record({ name: text, role: opt(roles), siteId: opt(fc.oneof(idOf('siteId'), fc.constant(null))), expiresInDays: opt(fc.integer({ min: 0, max: 4000 })) }),
  'post /tenants/{tenantId}/credentials': () =>
    fc.record({ provider: fc.constantFrom('azure', 'docker', 'orka'), name: text, publicFields: fc.record({ tenantId: fc.uuid(), clientId: fc.uuid(), subscriptionId: fc.oneof(fc.uuid(), junk) }), secret: text }),
  'post /tenants/{tenantId}/instances': () =>
    fc.record({
      name: label,
      provider: fc.constantFrom('docker', 'orka', 'azure'),
      template: opt(fc.constantFrom('demo-app', 'sonoma', 'openclaw', 'nope')),
      size: opt(fc.constantFrom('small', 'medium', 'standard', 'Standard_B1s', 'huge')),
      region: opt(fc.constantFrom('local', 'eastus', 'orka-default', 'mars')),
      siteId: opt(fc.oneof(idOf('siteId'), fc.constant(null))),
      credentialId: opt(fc.oneof(realId(), fc.uuid(), fc.constant(null))),
    }),
  'post /instances/{instanceId}/commands': () => fc.record({ command: fc.constantFrom('ping', 'sysinfo', 'uptime', 'disk', 'processes', 'rm') }),
  'post /tenants/{tenantId}/billing/estimate': () => fc.record({ provider: fc.constantFrom('docker', 'orka', 'azure'), size: opt(fc.constantFrom('small', 'medium', 'standard', 'large', 'Standard_B4ms', 'x')), hours: opt(fc.double({ min: -1, max: 10_000, noNaN: true })), count: opt(fc.integer({ min: 0, max: 101 })) }),
  'post /admin/tenants/{tenantId}/credits': () => fc.record({ credits: opt(fc.double({ min: -1e10, max: 1e10, noNaN: true })), amountMicro: opt(fc.oneof(fc.integer(), fc.bigInt({ min: -(10n ** 16n), max: 10n ** 16n }).map(String))), description: opt(text), reason: opt(fc.constantFrom('top_up', 'adjustment', 'gift')) }),
  'post /admin/tenants/{tenantId}/suspend': () => fc.record({ reason: text }),
  'post /admin/partners': () => fc.record({ slug: label, name: text }),
  'post /admin/partners/{partnerId}/members': () => fc.record({ email: fc.oneof(fc.emailAddress(), fc.constant('')), role: fc.constantFrom('partner_admin', 'partner_viewer', 'owner') }),
  'put /admin/tenants/{tenantId}/partner': () => fc.record({ partnerId: fc.oneof(idOf('partnerId'), fc.uuid(), fc.constant(null)) }),
};

function nearValid(sample: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<Record<string, unknown>> {
  return fc.oneof(
    sample,
    sample.chain((obj) => {
      const keys = Object.keys(obj);
      if (!keys.length) return fc.constant(obj);
      return fc.tuple(fc.constantFrom(...keys), fieldValue).map(([k, v]) => ({ ...obj, [k]: v }));
    }),
  );
}

function keysOf(schema: z.ZodType | undefined): string[] {
  if (!schema) return [];
  try {
    const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, unknown> };
    return Object.keys(json.properties ?? {});
  } catch {
    return [];
  }
}

interface Input {
  params: Record<string, string>;
  query: Record<string, string>;
  body: { kind: 'json'; value: unknown } | { kind: 'raw'; text: string; type: string } | { kind: 'none' };
  auth: string;
  headers: Record<string, string>;
}

function inputFor(r: AnyRoute): fc.Arbitrary<Input> {
  const paramNames = [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
  const bodyKeys = keysOf(r.body);
  const queryKeys = keysOf(r.query);
  const params = fc.record(Object.fromEntries(paramNames.map((p) => [p, p in ids ? fc.oneof({ weight: 3, arbitrary: fc.constant(ids[p]) }, { weight: 2, arbitrary: paramValue }) : paramValue])));
  const query = fc.dictionary(fc.constantFrom(...queryKeys, 'x', 'limit', 'cursor'), fc.oneof(junk, enums, realId(), fc.integer({ min: -5, max: 500 }).map(String), fc.date({ noInvalidDate: true }).map((d) => d.toISOString())), { maxKeys: 4 });
  const shaped = fc.dictionary(fc.constantFrom(...bodyKeys, 'unexpected', '__proto__', 'constructor'), fieldValue, { maxKeys: bodyKeys.length + 2 });
  const sample = SAMPLES[`${r.method} ${r.path}`];
  const body = fc.oneof(
    { weight: sample ? 8 : 0, arbitrary: sample ? nearValid(sample()).map((value) => ({ kind: 'json' as const, value })) : fc.constant({ kind: 'none' as const }) },
    { weight: 4, arbitrary: shaped.map((value) => ({ kind: 'json' as const, value })) },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((value) => ({ kind: 'json' as const, value })) },
    { weight: 1, arbitrary: fc.tuple(fc.oneof(junk, fc.constantFrom('{"a":', '[1,2', '{"name": "x", }', 'null', '"str"', '{"__proto__": {"admin": true}}')), fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded')).map(([text, type]) => ({ kind: 'raw' as const, text, type })) },
    { weight: 1, arbitrary: fc.constant({ kind: 'none' as const }) },
  );
  const auth = fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom('owner', 'operator', 'key') },
    { weight: 1, arbitrary: fc.constantFrom('none', 'Bearer ', 'Bearer ts_garbage', 'Bearer tk_garbage', 'Basic YTpi', `Bearer tk_${'0'.repeat(12)}_${'A'.repeat(43)}`) },
  );
  const headers = fc.record(
    {
      'idempotency-key': fc.oneof(fc.string({ maxLength: 30 }), fc.constant('a'.repeat(250)), fc.uuid()),
      'last-event-id': fc.oneof(fc.string({ maxLength: 10 }), fc.bigInt({ min: -1n, max: 10n ** 20n }).map(String)),
      'x-request-id': fc.string({ maxLength: 80 }),
    },
    { requiredKeys: [] },
  );
  return fc.record({ params, query, body, auth, headers });
}

async function send(r: AnyRoute, input: Input): Promise<{ status: number; contentType: string | null; body: string }> {
  let path = r.path;
  for (const [name, value] of Object.entries(input.params)) {
    let encoded: string;
    try {
      encoded = encodeURIComponent(value);
    } catch {
      encoded = 'x'; // a lone surrogate cannot even be sent
    }
    path = path.replace(`{${name}}`, encoded || '%20');
  }
  const qs = new URLSearchParams(input.query).toString();
  const headers: Record<string, string> = { ...input.headers };
  let auth = input.auth in tokens ? `Bearer ${tokens[input.auth as keyof typeof tokens]}` : input.auth === 'none' ? undefined : input.auth;
  if (r.path === '/auth/logout' && input.auth !== 'key' && input.auth in tokens) auth = `Bearer ${spareSessions.pop() ?? 'ts_spent'}`;
  if (auth) headers.authorization = auth;
  let body: string | undefined;
  if (input.body.kind === 'json') {
    body = JSON.stringify(input.body.value);
    headers['content-type'] = 'application/json';
  } else if (input.body.kind === 'raw') {
    body = input.body.text;
    headers['content-type'] = input.body.type;
  }
  const method = r.method.toUpperCase();
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), 20_000);
  try {
    const res = await fetch(`${stack.baseUrl}/api${path}${qs ? `?${qs}` : ''}`, { method, headers, body: method === 'GET' ? undefined : body, signal: ctrl.signal });
    const contentType = res.headers.get('content-type');
    // Event streams stay open: the status and headers are the answer.
    const text = contentType?.startsWith('text/event-stream') ? '' : await res.text();
    if (contentType?.startsWith('text/event-stream')) await res.body?.cancel();
    return { status: res.status, contentType, body: text };
  } finally {
    clearTimeout(timer);
  }
}

/** Slow routes (each starts a workflow or hashes a password) get fewer runs. */
const SLOW = new Set(['post /auth/signup', 'post /auth/login', 'post /invitations/accept', 'post /partners/{partnerId}/tenants', 'post /tenants/{tenantId}/credentials/{credentialId}/validate', 'get /tenants/{tenantId}/database/metrics']);

describe('fuzzing every route', () => {
  const routes = apiRoutes({ config: { api: { publicUrl: 'http://x' } } } as never);
  it.each(routes.map((r) => [`${r.method.toUpperCase()} ${r.path}`, r] as const))('%s never answers 5xx', async (name, r) => {
    const seen = new Map<number, number>();
    statuses.set(name, seen);
    await fc.assert(
      fc.asyncProperty(inputFor(r), async (input) => {
        const res = await send(r, input);
        seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
        if (res.status >= 500) return false;
        if (res.status >= 400 && !res.contentType?.includes('application/problem+json')) return false;
        return true;
      }),
      { numRuns: SLOW.has(`${r.method} ${r.path}`) ? 12 : 40, endOnFailure: true },
    );
    expect([...seen.keys()].every((s) => s < 500)).toBe(true);
  }, 120_000);

  it('malformed JSON, oversized bodies and bad encodings are 4xx problems too', async () => {
    const big = JSON.stringify({ name: 'x'.repeat(300_000) });
    for (const [rawBody, type] of [['{"name": ', 'application/json'], [big, 'application/json'], ['\u0000\u0001', 'application/json'], ['{}', 'application/json; charset=latin-9']] as const) {
      const res = await call(stack, 'POST', `/api/tenants/${org.tenantId}/sites`, { token: org.token, rawBody, headers: { 'content-type': type } });
      expect(res.status, rawBody.slice(0, 20)).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    const badPath = await fetch(`${stack.baseUrl}/api/instances/%E0%A4%A`, { headers: { authorization: `Bearer ${org.token}` } });
    expect(badPath.status).toBe(400);
  });

  it('reached deep answers, not only refusals (the fuzzer stayed signed in)', async () => {
    for (const t of Object.values(tokens)) expect((await call(stack, 'GET', '/api/me', { token: t })).status).toBe(200);
    const all = new Map<number, number>();
    for (const m of statuses.values()) for (const [s, n] of m) all.set(s, (all.get(s) ?? 0) + n);
    const ok = [...all].filter(([s]) => s < 300).reduce((n, [, c]) => n + c, 0);
    expect(ok).toBeGreaterThan(100);
    for (const s of [400, 401, 404]) expect(all.get(s) ?? 0).toBeGreaterThan(0);
    expect([...all.keys()].filter((s) => s >= 500)).toEqual([]);
  });
});
