// Authentication and the team: sessions and cookies with CSRF, tampered credentials, brute-force
// limits shared by several API processes, API keys (scope, revocation, per-key limits), invitations,
// roles and the last-owner rule, sites, subdomain checks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../lib/secrets';
import { addMember, createApiKey, createSite, extraApi, type ExtraApi } from '../helpers/api';
import { call, signUpActive, uniqueSlug, type SignedUp } from '../helpers/http';
import { startStack, type TestStack } from '../helpers/stack';

let stack: TestStack;
let org: SignedUp;
const others: ExtraApi[] = [];

beforeAll(async () => {
  stack = await startStack('api_auth');
  org = await signUpActive(stack);
});
afterAll(async () => {
  for (const o of others) await o.close();
  await stack?.close();
});

const flip = (s: string, at = s.length - 5) => s.slice(0, at) + (s[at] === 'A' ? 'B' : 'A') + s.slice(at + 1);

/** The secret part of `tk_<prefix>_<secret>` (the secret itself may contain underscores). */
const secretOf = (key: string) => /^tk_[0-9a-f]{12}_(.+)$/.exec(key)![1];

describe('sessions', () => {
  it('signs in, answers /me with memberships, signs out (the token is then refused)', async () => {
    const t = await signUpActive(stack);
    const me = await call(stack, 'GET', '/api/me', { token: t.token });
    expect(me.status).toBe(200);
    expect(me.body.user.email).toBe(t.email);
    expect(me.body.memberships).toEqual([expect.objectContaining({ tenantId: t.tenantId, role: 'owner', slug: t.slug })]);
    const out = await call(stack, 'POST', '/api/auth/logout', { token: t.token });
    expect(out.status).toBe(204);
    expect((await call(stack, 'GET', '/api/me', { token: t.token })).status).toBe(401);
    const audit = await stack.db.auditLog.findMany({ where: { actorId: t.userId, action: { in: ['auth.login', 'auth.logout'] } } });
    expect(audit.map((a) => a.action).sort()).toEqual(['auth.login', 'auth.logout']);
    expect(audit.every((a) => a.ip && a.requestId)).toBe(true);
  });

  it('refuses a tampered, unknown or malformed session token with 401', async () => {
    for (const token of [flip(org.token), `${org.token}x`, 'ts_short', 'not-a-token', `ts_${'A'.repeat(43)}`]) {
      const res = await call(stack, 'GET', '/api/me', { token });
      expect(res.status, token).toBe(401);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    expect((await call(stack, 'GET', '/api/me', { headers: { authorization: 'Basic Zm9vOmJhcg==' } })).status).toBe(401);
    // A stale or tampered cookie is ignored (the caller is anonymous): it never blocks signing in.
    const tamperedCookie = await call(stack, 'GET', '/api/me', { headers: { cookie: `tenantry_session=${flip(org.token)}` } });
    expect(tamperedCookie.status).toBe(401);
    const login = await call(stack, 'POST', '/api/auth/login', { body: { email: org.email, password: org.password }, headers: { cookie: `tenantry_session=${flip(org.token)}` } });
    expect(login.status).toBe(200);
  });

  it('needs the CSRF header for writes authenticated by cookie', async () => {
    const login = await call(stack, 'POST', '/api/auth/login', { body: { email: org.email, password: org.password } });
    const cookie = `tenantry_session=${login.body.token}`;
    const body = { name: uniqueSlug('site') };
    const without = await call(stack, 'POST', `/api/tenants/${org.tenantId}/sites`, { headers: { cookie }, body });
    expect(without.status).toBe(403);
    expect(without.body.detail).toMatch(/CSRF/);
    const wrong = await call(stack, 'POST', `/api/tenants/${org.tenantId}/sites`, { headers: { cookie, 'x-csrf-token': flip(login.body.csrfToken) }, body });
    expect(wrong.status).toBe(403);
    const withIt = await call(stack, 'POST', `/api/tenants/${org.tenantId}/sites`, { headers: { cookie, 'x-csrf-token': login.body.csrfToken }, body });
    expect(withIt.status).toBe(201);
    // Reads need no CSRF header.
    expect((await call(stack, 'GET', `/api/tenants/${org.tenantId}/sites`, { headers: { cookie } })).status).toBe(200);
  });
});

describe('brute force', () => {
  it('limits sign-in attempts per account across API processes (Postgres-backed), with Retry-After', async () => {
    const victim = await signUpActive(stack);
    const second = await extraApi(stack);
    others.push(second);
    const wrong = { email: victim.email, password: 'wrong-password-guess' };
    // Ten wrong guesses, alternating between two API processes.
    for (let i = 0; i < 10; i++) {
      const res = await call(i % 2 ? second : stack, 'POST', '/api/auth/login', { body: wrong });
      expect(res.status).toBe(401);
    }
    const blocked = await call(stack, 'POST', '/api/auth/login', { body: wrong });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(blocked.headers.get('content-type')).toContain('application/problem+json');
    // Even the right password waits: the attacker learns nothing during the lockout.
    const right = await call(second, 'POST', '/api/auth/login', { body: { email: victim.email, password: victim.password } });
    expect(right.status).toBe(429);
    // Another account from the same address is unaffected.
    expect((await call(stack, 'POST', '/api/auth/login', { body: { email: org.email, password: org.password } })).status).toBe(200);
    const denied = await stack.db.auditLog.count({ where: { action: 'auth.login', result: 'denied', targetId: victim.email } });
    expect(denied).toBe(12);
  });

  it('successful sign-ins do not count against the account', async () => {
    const t = await signUpActive(stack);
    for (let i = 0; i < 12; i++) expect((await call(stack, 'POST', '/api/auth/login', { body: { email: t.email, password: t.password } })).status).toBe(200);
  });

  it('limits signups per address', async () => {
    const strict = await extraApi(stack, { limits: { signupPerIp: { limit: 2, windowSeconds: 3600 } } });
    others.push(strict);
    const body = (s: string) => ({ email: `${s}@example.com`, password: 'a-long-enough-password', name: 'N', organization: 'Org', subdomain: s });
    // The counter is shared with the main API process, which already signed up organizations.
    const res = await call(strict, 'POST', '/api/auth/signup', { body: body(uniqueSlug('lim')) });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('API keys', () => {
  it('returns the secret once, stores only its hash, and works as Bearer', async () => {
    const created = await call(stack, 'POST', `/api/tenants/${org.tenantId}/api-keys`, { token: org.token, body: { name: 'ci', role: 'member' } });
    expect(created.status).toBe(201);
    expect(created.body.key).toMatch(/^tk_[0-9a-f]{12}_/);
    expect(created.headers.get('cache-control')).toBe('no-store');
    const row = await stack.db.apiKey.findUniqueOrThrow({ where: { id: created.body.id } });
    expect(row.secretHash).toBe(sha256Hex(secretOf(created.body.key)));
    expect(JSON.stringify(row)).not.toContain(secretOf(created.body.key));
    const list = await call(stack, 'GET', `/api/tenants/${org.tenantId}/api-keys`, { token: org.token });
    expect(list.body.items.find((k: { id: string }) => k.id === created.body.id)).toMatchObject({ prefix: row.prefix, role: 'member' });
    expect(JSON.stringify(list.body)).not.toContain(created.body.key);
    const viaKey = await call(stack, 'GET', `/api/tenants/${org.tenantId}`, { token: created.body.key });
    expect(viaKey.status).toBe(200);
    expect(viaKey.body).toMatchObject({ role: 'member', access: 'api_key' });
    const me = await call(stack, 'GET', '/api/me', { token: created.body.key });
    expect(me.body.apiKey).toMatchObject({ id: created.body.id, role: 'member' });
  });

  it('refuses tampered, malformed, revoked and expired keys with 401', async () => {
    const { id, key } = await createApiKey(stack, org.token, org.tenantId);
    const path = `/api/tenants/${org.tenantId}`;
    expect((await call(stack, 'GET', path, { token: flip(key) })).status).toBe(401);
    expect((await call(stack, 'GET', path, { token: key.replace(/^tk_[0-9a-f]{12}/, 'tk_000000000000') })).status).toBe(401);
    expect((await call(stack, 'GET', path, { token: `${key}x` })).status).toBe(401);
    expect((await call(stack, 'GET', path, { token: 'tk_nope' })).status).toBe(401);
    const expiring = await createApiKey(stack, org.token, org.tenantId);
    await stack.db.apiKey.update({ where: { id: expiring.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await call(stack, 'GET', path, { token: expiring.key })).status).toBe(401);
    expect((await call(stack, 'DELETE', `/api/tenants/${org.tenantId}/api-keys/${id}`, { token: org.token })).status).toBe(204);
    const revoked = await call(stack, 'GET', path, { token: key });
    expect(revoked.status).toBe(401);
    expect(revoked.body.detail).toMatch(/revoked/);
  });

  it('never exceeds its creator: not more role, not another site, and follows the creator down', async () => {
    const t = await signUpActive(stack);
    const siteA = await createSite(stack, t);
    const siteB = await createSite(stack, t);
    const member = await addMember(stack, t, 'member');
    const siteAdmin = await addMember(stack, t, 'admin', siteA);
    expect((await call(stack, 'POST', `/api/tenants/${t.tenantId}/api-keys`, { token: member.token, body: { name: 'k', role: 'admin' } })).status).toBe(403);
    expect((await call(stack, 'POST', `/api/tenants/${t.tenantId}/api-keys`, { token: siteAdmin.token, body: { name: 'k', siteId: siteB } })).status).toBe(403);
    const siteKey = await call(stack, 'POST', `/api/tenants/${t.tenantId}/api-keys`, { token: siteAdmin.token, body: { name: 'k' } });
    expect(siteKey.body).toMatchObject({ role: 'admin', siteId: siteA });

    // An API key cannot mint keys, even with a high role.
    const ownerKey = await createApiKey(stack, t.token, t.tenantId, { role: 'owner' });
    expect((await call(stack, 'POST', `/api/tenants/${t.tenantId}/api-keys`, { token: ownerKey.key, body: { name: 'k2' } })).status).toBe(403);

    // The creator is demoted: the admin key acts as a viewer at most.
    const memberKey = await createApiKey(stack, member.token, t.tenantId);
    const before = await call(stack, 'GET', `/api/tenants/${t.tenantId}`, { token: memberKey.key });
    expect(before.body.role).toBe('member');
    await call(stack, 'PATCH', `/api/tenants/${t.tenantId}/members/${member.userId}`, { token: t.token, body: { role: 'viewer' } });
    expect((await call(stack, 'GET', `/api/tenants/${t.tenantId}`, { token: memberKey.key })).body.role).toBe('viewer');
    // The creator leaves: the key stops working.
    expect((await call(stack, 'DELETE', `/api/tenants/${t.tenantId}/members/${member.userId}`, { token: t.token })).status).toBe(204);
    expect((await call(stack, 'GET', `/api/tenants/${t.tenantId}`, { token: memberKey.key })).status).toBe(401);
  });

  it('limits requests per key (429 with Retry-After)', async () => {
    const strict = await extraApi(stack, { limits: { apiKey: { limit: 5, windowSeconds: 60 } } });
    others.push(strict);
    const { key } = await createApiKey(stack, org.token, org.tenantId, { role: 'viewer' });
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await call(strict, 'GET', `/api/tenants/${org.tenantId}`, { token: key })).status);
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    const res = await call(strict, 'GET', `/api/tenants/${org.tenantId}`, { token: key });
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another key is not affected.
    const other = await createApiKey(stack, org.token, org.tenantId, { role: 'viewer' });
    expect((await call(strict, 'GET', `/api/tenants/${org.tenantId}`, { token: other.key })).status).toBe(200);
  });
});

describe('invitations and members', () => {
  it('invites with a one-time hashed token; a new person accepts with a password and is signed in', async () => {
    const t = await signUpActive(stack);
    const email = `${uniqueSlug('inv')}@example.com`;
    const inv = await call(stack, 'POST', `/api/tenants/${t.tenantId}/invitations`, { token: t.token, body: { email, role: 'member' } });
    expect(inv.status).toBe(201);
    expect(inv.body.token).toMatch(/^inv_/);
    expect(inv.body.acceptUrl).toContain(inv.body.token);
    const row = await stack.db.invitation.findUniqueOrThrow({ where: { id: inv.body.id } });
    expect(row.tokenHash).not.toContain(inv.body.token);
    const list = await call(stack, 'GET', `/api/tenants/${t.tenantId}/invitations`, { token: t.token });
    expect(list.body.items[0]).toMatchObject({ id: inv.body.id, status: 'pending', email });
    expect(JSON.stringify(list.body)).not.toContain(inv.body.token);

    const look = await call(stack, 'POST', '/api/invitations/lookup', { body: { token: inv.body.token } });
    expect(look.body).toMatchObject({ email, role: 'member', accountExists: false, organization: { slug: t.slug } });
    const missing = await call(stack, 'POST', '/api/invitations/accept', { body: { token: inv.body.token } });
    expect(missing.status).toBe(400);
    expect(missing.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['name', 'password']);
    const acc = await call(stack, 'POST', '/api/invitations/accept', { body: { token: inv.body.token, name: 'New Person', password: 'a-long-enough-password' } });
    expect(acc.status).toBe(200);
    expect(acc.body).toMatchObject({ tenantId: t.tenantId, role: 'member' });
    const me = await call(stack, 'GET', '/api/me', { token: acc.body.token });
    expect(me.body.memberships).toEqual([expect.objectContaining({ tenantId: t.tenantId, role: 'member' })]);
    // One use only.
    expect((await call(stack, 'POST', '/api/invitations/accept', { body: { token: inv.body.token, name: 'X', password: 'a-long-enough-password' } })).status).toBe(404);
    expect((await call(stack, 'POST', '/api/invitations/lookup', { body: { token: inv.body.token } })).status).toBe(404);
    const members = await call(stack, 'GET', `/api/tenants/${t.tenantId}/members`, { token: t.token });
    expect(members.body.items.map((m: { email: string; role: string }) => [m.email, m.role]).sort()).toEqual([[email, 'member'], [t.email, 'owner']].sort());
  });

  it('an existing account accepts while signed in with the invited address only', async () => {
    const t = await signUpActive(stack);
    const someone = await signUpActive(stack);
    const stranger = await signUpActive(stack);
    const inv = await call(stack, 'POST', `/api/tenants/${t.tenantId}/invitations`, { token: t.token, body: { email: someone.email, role: 'viewer' } });
    expect((await call(stack, 'POST', '/api/invitations/lookup', { body: { token: inv.body.token } })).body.accountExists).toBe(true);
    const anonymous = await call(stack, 'POST', '/api/invitations/accept', { body: { token: inv.body.token, name: 'X', password: 'a-long-enough-password' } });
    expect(anonymous.status).toBe(409);
    const wrongPerson = await call(stack, 'POST', '/api/invitations/accept', { token: stranger.token, body: { token: inv.body.token } });
    expect(wrongPerson.status).toBe(403);
    const ok = await call(stack, 'POST', '/api/invitations/accept', { token: someone.token, body: { token: inv.body.token } });
    expect(ok.status).toBe(200);
    const me = await call(stack, 'GET', '/api/me', { token: someone.token });
    expect(me.body.memberships.map((m: { tenantId: string; role: string }) => [m.tenantId, m.role]).sort()).toEqual([[someone.tenantId, 'owner'], [t.tenantId, 'viewer']].sort());
  });

  it('nobody grants more than they have; revoked and re-issued invitations stop working', async () => {
    const t = await signUpActive(stack);
    const admin = await addMember(stack, t, 'admin');
    const member = await addMember(stack, t, 'member');
    expect((await call(stack, 'POST', `/api/tenants/${t.tenantId}/invitations`, { token: admin.token, body: { email: 'x@example.com', role: 'owner' } })).status).toBe(403);
    expect((await call(stack, 'POST', `/api/tenants/${t.tenantId}/invitations`, { token: member.token, body: { email: 'x@example.com', role: 'viewer' } })).status).toBe(403);
    const first = await call(stack, 'POST', `/api/tenants/${t.tenantId}/invitations`, { token: admin.token, body: { email: 'again@example.com', role: 'member' } });
    const second = await call(stack, 'POST', `/api/tenants/${t.tenantId}/invitations`, { token: admin.token, body: { email: 'again@example.com', role: 'viewer' } });
    expect((await call(stack, 'POST', '/api/invitations/lookup', { body: { token: first.body.token } })).status).toBe(404);
    expect((await call(stack, 'DELETE', `/api/tenants/${t.tenantId}/invitations/${second.body.id}`, { token: admin.token })).status).toBe(204);
    expect((await call(stack, 'POST', '/api/invitations/lookup', { body: { token: second.body.token } })).status).toBe(404);
    const dup = await call(stack, 'POST', `/api/tenants/${t.tenantId}/invitations`, { token: t.token, body: { email: member.email, role: 'viewer' } });
    expect(dup.status).toBe(409);
    expect(dup.body.errors).toEqual([{ field: 'email', message: 'is already a member' }]);
  });

  it('keeps at least one owner; admins cannot touch owners; anyone may leave', async () => {
    const t = await signUpActive(stack);
    const admin = await addMember(stack, t, 'admin');
    const viewer = await addMember(stack, t, 'viewer');
    const members = `/api/tenants/${t.tenantId}/members`;
    expect((await call(stack, 'PATCH', `${members}/${t.userId}`, { token: t.token, body: { role: 'admin' } })).status).toBe(409);
    expect((await call(stack, 'DELETE', `${members}/${t.userId}`, { token: t.token })).status).toBe(409);
    expect((await call(stack, 'PATCH', `${members}/${t.userId}`, { token: admin.token, body: { role: 'viewer' } })).status).toBe(403);
    expect((await call(stack, 'DELETE', `${members}/${t.userId}`, { token: admin.token })).status).toBe(403);
    expect((await call(stack, 'PATCH', `${members}/${viewer.userId}`, { token: admin.token, body: { role: 'owner' } })).status).toBe(403);
    expect((await call(stack, 'DELETE', `${members}/${admin.userId}`, { token: viewer.token })).status).toBe(403);
    // A second owner, then the first may step down.
    expect((await call(stack, 'PATCH', `${members}/${admin.userId}`, { token: t.token, body: { role: 'owner' } })).status).toBe(200);
    expect((await call(stack, 'PATCH', `${members}/${t.userId}`, { token: t.token, body: { role: 'admin' } })).status).toBe(200);
    expect((await call(stack, 'DELETE', `${members}/${viewer.userId}`, { token: viewer.token })).status).toBe(204);
    const left = await call(stack, 'GET', members, { token: admin.token });
    expect(left.body.items.map((m: { userId: string; role: string }) => [m.userId, m.role]).sort()).toEqual([[admin.userId, 'owner'], [t.userId, 'admin']].sort());
    const actions = await stack.db.auditLog.findMany({ where: { tenantId: t.tenantId, action: { startsWith: 'member.' } }, select: { action: true, result: true } });
    expect(actions.map((a) => a.action)).toEqual(expect.arrayContaining(['member.invite', 'member.join', 'member.update', 'member.leave']));
  });

  it('site-limited members see only their site', async () => {
    const t = await signUpActive(stack);
    const a = await createSite(stack, t, 'north');
    await createSite(stack, t, 'south');
    const siteMember = await addMember(stack, t, 'member', a);
    const sites = await call(stack, 'GET', `/api/tenants/${t.tenantId}/sites`, { token: siteMember.token });
    expect(sites.body.items.map((s: { name: string }) => s.name)).toEqual(['north']);
    const all = await call(stack, 'GET', `/api/tenants/${t.tenantId}/sites`, { token: t.token });
    expect(all.body.items.map((s: { name: string }) => s.name)).toEqual(['north', 'south']);
    expect((await call(stack, 'POST', `/api/tenants/${t.tenantId}/sites`, { token: t.token, body: { name: 'north' } })).status).toBe(409);
  });
});

describe('subdomains', () => {
  it('says whether a subdomain is free, and why not', async () => {
    const check = async (slug: string) => (await call(stack, 'GET', `/api/subdomains/${encodeURIComponent(slug)}`)).body;
    expect(await check(org.slug)).toEqual({ slug: org.slug, available: false, reason: 'is taken' });
    expect(await check('admin')).toMatchObject({ available: false, reason: 'is reserved' });
    expect(await check('Ab')).toMatchObject({ available: false });
    expect(await check('-x-')).toMatchObject({ available: false });
    const free = uniqueSlug('free');
    expect(await check(free)).toEqual({ slug: free, available: true });
  });
});
