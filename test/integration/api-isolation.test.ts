// The isolation matrix: every route of the API (taken from its declarations, so a new route without
// an entry here fails the test) × every kind of caller — anonymous, another organization's owner and
// API key, another partner's admin, and each role inside the organization (owner, admin, member,
// viewer, a member limited to another site, the partner's admin and viewer, an API key) and an
// operator. Outsiders always get 404 (or 401 without credentials) and nothing of the organization
// in the answer; roles below a route's minimum get 403; roles at or above it get past authorization
// (for routes with a body, an invalid body then answers 400 — proving the check passed without
// changing anything).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRoutes } from '../../api/app';
import type { AnyRoute } from '../../api/route';
import { addMember, createApiKey, createPartner, createSite, createUser, type TestUser } from '../helpers/api';
import { call, signUpActive, type Reply, type SignedUp } from '../helpers/http';
import { startStack, type TestStack } from '../helpers/stack';

type Role = 'viewer' | 'member' | 'admin' | 'owner';
/** What each route needs, written down independently of the route declarations. */
const NEEDS: Record<string, Role | 'public' | 'signed-in' | 'user' | 'operator' | 'partner_viewer' | 'partner_admin' | { role: Role; users: true }> = {
  'post /auth/signup': 'public',
  'get /auth/signup/{workflowId}': 'public',
  'post /auth/login': 'public',
  'post /auth/logout': 'user',
  'get /me': 'signed-in',
  'get /plans': 'public',
  'get /providers': 'signed-in',
  'get /subdomains/{slug}': 'public',
  'post /invitations/lookup': 'public',
  'post /invitations/accept': 'public',
  'get /tenants/{tenantId}': 'viewer',
  'post /tenants/{tenantId}/plan': 'owner',
  'get /tenants/{tenantId}/members': 'viewer',
  'patch /tenants/{tenantId}/members/{userId}': { role: 'admin', users: true },
  'delete /tenants/{tenantId}/members/{userId}': { role: 'admin', users: true },
  'get /tenants/{tenantId}/invitations': 'admin',
  'post /tenants/{tenantId}/invitations': { role: 'admin', users: true },
  'delete /tenants/{tenantId}/invitations/{invitationId}': { role: 'admin', users: true },
  'get /tenants/{tenantId}/sites': 'viewer',
  'post /tenants/{tenantId}/sites': 'admin',
  'get /tenants/{tenantId}/api-keys': { role: 'viewer', users: true },
  'post /tenants/{tenantId}/api-keys': { role: 'viewer', users: true },
  'delete /tenants/{tenantId}/api-keys/{keyId}': { role: 'admin', users: true },
  'get /tenants/{tenantId}/credentials': 'viewer',
  'post /tenants/{tenantId}/credentials': 'admin',
  'post /tenants/{tenantId}/credentials/{credentialId}/validate': 'admin',
  'delete /tenants/{tenantId}/credentials/{credentialId}': 'admin',
  'get /tenants/{tenantId}/instances': 'viewer',
  'post /tenants/{tenantId}/instances': 'member',
  'get /instances/{instanceId}': 'viewer',
  'post /instances/{instanceId}/start': 'member',
  'post /instances/{instanceId}/stop': 'member',
  'post /instances/{instanceId}/restart': 'member',
  'post /instances/{instanceId}/cancel': 'member',
  'delete /instances/{instanceId}': 'member',
  'post /instances/{instanceId}/commands': 'member',
  'get /instances/{instanceId}/metrics': 'viewer',
  'get /instances/{instanceId}/log': 'viewer',
  'get /instances/{instanceId}/events': 'viewer',
  'get /tenants/{tenantId}/database/metrics': 'viewer',
  'get /tenants/{tenantId}/billing': 'viewer',
  'put /tenants/{tenantId}/billing/budget': 'admin',
  'get /tenants/{tenantId}/billing/ledger': 'viewer',
  'get /tenants/{tenantId}/billing/usage': 'viewer',
  'post /tenants/{tenantId}/billing/estimate': 'viewer',
  'get /tenants/{tenantId}/audit': 'admin',
  'get /partners/{partnerId}': 'partner_viewer',
  'get /partners/{partnerId}/tenants': 'partner_viewer',
  'post /partners/{partnerId}/tenants': 'partner_admin',
  'get /admin/tenants': 'operator',
  'get /admin/operations': 'operator',
  'get /admin/health': 'operator',
  'post /admin/tenants/{tenantId}/credits': 'operator',
  'post /admin/tenants/{tenantId}/suspend': 'operator',
  'post /admin/tenants/{tenantId}/resume': 'operator',
  'get /admin/partners': 'operator',
  'post /admin/partners': 'operator',
  'post /admin/partners/{partnerId}/members': 'operator',
  'put /admin/tenants/{tenantId}/partner': 'operator',
};

const RANK: Record<Role, number> = { viewer: 0, member: 1, admin: 2, owner: 3 };

interface Caller {
  name: string;
  token?: string;
  /** Role in organization A, or 'outside'. */
  inA: Role | 'outside';
  isKey?: boolean;
  partner?: 'partner_admin' | 'partner_viewer' | 'other';
  operator?: boolean;
  /** Limited to site S1 (the fixture instance lives in S2). */
  siteLimited?: boolean;
}

let stack: TestStack;
let a: SignedUp;
let b: SignedUp;
let operator: TestUser;
const ids: Record<string, string> = {};
const secrets: string[] = [];
const callers: Caller[] = [];

beforeAll(async () => {
  stack = await startStack('api_isolation');
  [a, b, operator] = await Promise.all([signUpActive(stack, { plan: 'standard' }), signUpActive(stack), createUser(stack, { operator: true })]);
  const p1 = await createPartner(stack, operator, [a]);
  const p2 = await createPartner(stack, operator, [b]);
  const s1 = await createSite(stack, a, 's1');
  const s2 = await createSite(stack, a, 's2');
  const [admin, member, viewer, siteMember, target] = await Promise.all([
    addMember(stack, a, 'admin'),
    addMember(stack, a, 'member'),
    addMember(stack, a, 'viewer'),
    addMember(stack, a, 'member', s1),
    addMember(stack, a, 'viewer'), // the member the member routes point at (never a caller)
  ]);
  const keyA = await createApiKey(stack, a.token, a.tenantId, { role: 'viewer' });
  const keyB = await createApiKey(stack, b.token, b.tenantId, { role: 'owner' });
  // A's resources the routes point at. The instance is a failed one in site S2 (no provider behind it).
  const instanceId = randomUUID();
  await stack.db.instance.create({
    data: { id: instanceId, tenantId: a.tenantId, siteId: s2, name: 'secret-app', provider: 'docker', template: 'demo-app', size: 'small', region: 'local', spec: { vcpu: 0.25, memoryMb: 256 }, phase: 'failed', statusMessage: 'fixture', workflowId: `instance-${instanceId}` },
  });
  await stack.db.instanceEvent.create({ data: { instanceId, tenantId: a.tenantId, message: 'fixture failed', phase: 'failed', level: 'error' } });
  const inv = await call(stack, 'POST', `/api/tenants/${a.tenantId}/invitations`, { token: a.token, body: { email: 'invitee@example.com', role: 'viewer' } });
  const cred = await call(stack, 'POST', `/api/tenants/${a.tenantId}/credentials`, {
    token: a.token,
    body: { provider: 'azure', name: 'azure-a', publicFields: { tenantId: randomUUID(), clientId: randomUUID(), subscriptionId: randomUUID() }, secret: 'super-secret-value' },
  });
  Object.assign(ids, {
    tenantId: a.tenantId,
    instanceId,
    userId: target.userId,
    invitationId: inv.body.id,
    keyId: keyA.id,
    credentialId: cred.body.id,
    partnerId: p1.partnerId,
    workflowId: `tenant-${a.slug}`,
    slug: a.slug,
  });
  secrets.push(a.tenantId, a.slug, a.email, instanceId, 'secret-app', s1, s2, member.email, viewer.email, target.email, inv.body.id, cred.body.id, keyA.id, p1.partnerId, 'super-secret-value');
  callers.push(
    { name: 'anonymous', inA: 'outside' },
    { name: 'owner of another organization', token: b.token, inA: 'outside' },
    { name: "another organization's API key", token: keyB.key, inA: 'outside', isKey: true },
    { name: "another partner's admin", token: p2.admin.token, inA: 'outside', partner: 'other' },
    { name: 'owner', token: a.token, inA: 'owner' },
    { name: 'admin', token: admin.token, inA: 'admin' },
    { name: 'member', token: member.token, inA: 'member' },
    { name: 'viewer', token: viewer.token, inA: 'viewer' },
    { name: 'member limited to another site', token: siteMember.token, inA: 'member', siteLimited: true },
    { name: "partner's admin", token: p1.admin.token, inA: 'admin', partner: 'partner_admin' },
    { name: "partner's viewer", token: p1.viewer.token, inA: 'viewer', partner: 'partner_viewer' },
    { name: 'viewer API key', token: keyA.key, inA: 'viewer', isKey: true },
    { name: 'operator', token: operator.token, inA: 'owner', operator: true },
  );
}, 240_000);
afterAll(async () => {
  await stack?.close();
});

const key = (r: AnyRoute) => `${r.method} ${r.path}`;
const pathOf = (r: AnyRoute) => r.path.replace(/\{(\w+)\}/g, (_m, p: string) => encodeURIComponent(ids[p] ?? `missing-${p}`));

type Expect = { status: number[]; why: string } | 'skip';

/** What `c` must get from route `r` (on organization A's resources). */
function expected(r: AnyRoute, c: Caller): Expect {
  const need = NEEDS[key(r)];
  const hasBody = Boolean(r.body);
  const allowed = (ok: number[]): Expect => (hasBody ? { status: [400], why: 'allowed: the invalid body is refused after authorization' } : r.method === 'get' ? { status: ok, why: 'allowed' } : 'skip');
  if (need === 'public') return 'skip'; // fuzzed and tested functionally; nothing of A's to reach
  if (!c.token) return { status: [401], why: 'not signed in' };
  if (need === 'signed-in') return r.method === 'get' ? { status: [200], why: 'any signed-in caller' } : 'skip';
  if (need === 'user') return c.isKey ? { status: [403], why: 'users only' } : 'skip';
  if (need === 'operator') return c.operator ? allowed([200]) : { status: [404], why: 'not an operator' };
  if (need === 'partner_viewer' || need === 'partner_admin') {
    if (c.operator) return allowed([200]);
    if (c.partner !== 'partner_admin' && c.partner !== 'partner_viewer') return { status: [404], why: 'not in this partner' };
    if (need === 'partner_admin' && c.partner === 'partner_viewer') return { status: [403], why: 'partner viewer' };
    return allowed([200]);
  }
  const { role, users } = typeof need === 'string' ? { role: need, users: false } : need;
  if (c.inA === 'outside') return { status: [404], why: 'outside the organization' };
  if (r.path.startsWith('/instances/') && c.siteLimited) return { status: [404], why: 'the instance is in another site' };
  if (RANK[c.inA] < RANK[role]) {
    // API keys are listed only to admins (others see their own), and others' keys are 404 to them.
    if (key(r) === 'delete /tenants/{tenantId}/api-keys/{keyId}' && !c.isKey) return { status: [404], why: 'not their key' };
    return { status: [403], why: `${c.inA} < ${role}` };
  }
  if (users && c.isKey) return { status: [403], why: 'users only' };
  // Allowed. GETs answer; a failed instance has no metrics (409). Bodiless actions on the failed
  // fixture instance are refused by its state (409) — still past authorization.
  if (['post /instances/{instanceId}/start', 'post /instances/{instanceId}/stop', 'post /instances/{instanceId}/restart', 'post /instances/{instanceId}/cancel'].includes(key(r))) {
    return { status: [409], why: 'allowed; refused by the instance state' };
  }
  if (key(r) === 'get /instances/{instanceId}/metrics') return { status: [409], why: 'allowed; nothing to measure' };
  return allowed([200]);
}

async function send(r: AnyRoute, c: Caller): Promise<Reply> {
  const hasBody = Boolean(r.body);
  return call(stack, r.method.toUpperCase(), `/api${pathOf(r)}`, {
    token: c.token,
    body: hasBody ? { '(matrix)': 'not a valid body' } : undefined,
    headers: { 'idempotency-key': `matrix-${randomUUID()}` },
  });
}

describe('isolation matrix', () => {
  it('lists every route of the API', () => {
    const declared = apiRoutes({ config: stack.config } as never).map(key).sort();
    expect(declared).toEqual(Object.keys(NEEDS).sort());
  });

  it('every route × every caller: outsiders 404 with nothing leaked, small roles 403, the rest past authorization', async () => {
    const routes = apiRoutes({ config: stack.config } as never);
    const failures: string[] = [];
    let checked = 0;
    for (const r of routes) {
      for (const c of callers) {
        const want = expected(r, c);
        if (want === 'skip') continue;
        const res = await send(r, c);
        checked += 1;
        const text = typeof res.body === 'string' ? res.body : JSON.stringify(res.body ?? '');
        if (!want.status.includes(res.status)) failures.push(`${key(r)} as ${c.name}: got ${res.status}, expected ${want.status.join('|')} (${want.why}) ${text.slice(0, 200)}`);
        if (res.status >= 500) failures.push(`${key(r)} as ${c.name}: ${res.status}`);
        if ((res.status === 404 || res.status === 401) && c.inA === 'outside') {
          const leaked = secrets.filter((s) => text.includes(s));
          if (leaked.length) failures.push(`${key(r)} as ${c.name}: the answer mentions ${leaked.join(', ')}`);
        }
        if (res.status === 404 && res.headers.get('content-type')?.includes('problem+json') !== true) failures.push(`${key(r)} as ${c.name}: 404 is not a problem document`);
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(450);
    // Nothing the denied callers sent changed A: still one instance, its one invitation, its credential.
    expect(await stack.db.instance.count({ where: { tenantId: a.tenantId } })).toBe(1);
    expect(await stack.db.providerCredential.count({ where: { tenantId: a.tenantId } })).toBe(1);
    expect((await stack.db.invitation.findUniqueOrThrow({ where: { id: ids.invitationId } })).revokedAt).toBeNull();
    expect(await stack.db.membership.count({ where: { tenantId: a.tenantId } })).toBe(6);
  }, 300_000);

  it('lists show outsiders nothing of A, and a site-limited member nothing of another site', async () => {
    const listB = await call(stack, 'GET', `/api/tenants/${b.tenantId}/instances?includeDestroyed=true`, { token: b.token });
    expect(JSON.stringify(listB.body)).not.toContain(ids.instanceId);
    const meB = await call(stack, 'GET', '/api/me', { token: b.token });
    expect(JSON.stringify(meB.body)).not.toContain(a.tenantId);
    const site = callers.find((c) => c.siteLimited)!;
    const listSite = await call(stack, 'GET', `/api/tenants/${a.tenantId}/instances?includeDestroyed=true`, { token: site.token });
    expect(listSite.body.items).toEqual([]);
    const owner = await call(stack, 'GET', `/api/tenants/${a.tenantId}/instances?includeDestroyed=true`, { token: a.token });
    expect(owner.body.items.map((i: { id: string }) => i.id)).toEqual([ids.instanceId]);
    const events = await call(stack, 'GET', `/api/instances/${ids.instanceId}/events`, { token: site.token });
    expect(events.status).toBe(404);
  });
});
