// The walking skeleton end to end: HTTP signup → tenant workflow on a real Temporal server →
// activities on a real Postgres → active tenant, trial credits in the ledger, owner can sign in.
import { randomUUID } from 'node:crypto';
import { WorkflowFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantWorkflow } from '../../workflows/tenant';
import { call, signUpActive, uniqueSlug, waitFor } from '../helpers/http';
import { startStack, type TestStack } from '../helpers/stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack('signup');
});
afterAll(async () => {
  await stack?.close();
});

describe('signup', () => {
  it('creates an active tenant with its owner and trial credits, findable by TenantId in Temporal', async () => {
    const t = await signUpActive(stack, { plan: 'pro' });
    const tenant = await call(stack, 'GET', `/api/tenants/${t.tenantId}`, { token: t.token });
    expect(tenant.status).toBe(200);
    expect(tenant.body).toMatchObject({ id: t.tenantId, slug: t.slug, status: 'active', role: 'owner', plan: { code: 'pro' } });

    const ledger = await stack.db.creditLedgerEntry.findMany({ where: { tenantId: t.tenantId } });
    expect(ledger.map((e) => [e.reason, e.amountMicro])).toEqual([['trial_grant', 50_000_000n]]);

    const found = await waitFor('visibility', async () => {
      const ids: string[] = [];
      for await (const wf of stack.temporal.workflow.list({ query: `TenantId="${t.tenantId}"` })) ids.push(wf.workflowId);
      return ids.length ? ids : undefined;
    });
    expect(found).toEqual([`tenant-${t.slug}`]);

    const user = await stack.db.user.findUniqueOrThrow({ where: { email: t.email } });
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
  });

  it('never stores the password or its hash in clear in workflow history', async () => {
    const t = await signUpActive(stack);
    const history = await stack.temporal.workflow.getHandle(`tenant-${t.slug}`).fetchHistory();
    const text = JSON.stringify(history);
    const user = await stack.db.user.findUniqueOrThrow({ where: { email: t.email } });
    expect(text).not.toContain(t.password);
    expect(text).not.toContain(user.passwordHash.slice(-20));
  });

  it('a double submit answers with the same tenant; another person gets 409 on the subdomain', async () => {
    const slug = uniqueSlug('dbl');
    const body = { email: `${slug}@example.com`, password: 'a-long-enough-password', name: 'A', organization: 'Dbl', subdomain: slug };
    const [a, b] = await Promise.all([call(stack, 'POST', '/api/auth/signup', { body }), call(stack, 'POST', '/api/auth/signup', { body })]);
    expect([a.status, b.status]).toEqual([202, 202]);
    expect(a.body.tenantId).toBe(b.body.tenantId);
    const other = await call(stack, 'POST', '/api/auth/signup', { body: { ...body, email: `someone-else-${slug}@example.com` } });
    expect(other.status).toBe(409);
    expect(other.body.errors).toEqual([{ field: 'subdomain', message: 'is taken' }]);
    await waitFor('active', async () => (await call(stack, 'GET', `/api/auth/signup/tenant-${slug}`)).body.status === 'active');
    expect(await stack.db.tenant.count({ where: { slug } })).toBe(1);
  });

  it('names every invalid field with a 400 problem document', async () => {
    const res = await call(stack, 'POST', '/api/auth/signup', { body: { email: 'nope', password: 'short', organization: 'A', subdomain: 'Admin' } });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['email', 'name', 'organization', 'password', 'subdomain']);
    const junk = await call(stack, 'POST', '/api/auth/signup', { rawBody: '{"email": ' });
    expect(junk.status).toBe(400);
    const unknownPlan = await call(stack, 'POST', '/api/auth/signup', {
      body: { email: 'p@example.com', password: 'a-long-enough-password', name: 'P', organization: 'Plan', subdomain: uniqueSlug('plan'), plan: 'platinum' },
    });
    expect(unknownPlan.status).toBe(400);
    expect(unknownPlan.body.errors).toEqual([{ field: 'plan', message: 'is not one of our plans' }]);
  });

  it('refuses a second organization for a registered email and frees nothing it does not own', async () => {
    const t = await signUpActive(stack);
    const res = await call(stack, 'POST', '/api/auth/signup', {
      body: { email: t.email, password: 'another-long-password', name: 'X', organization: 'Second', subdomain: uniqueSlug('second') },
    });
    expect(res.status).toBe(409);
    expect(res.body.errors[0].field).toBe('email');
  });

  it('a signup that fails in the workflow is compensated: subdomain freed, no stray user, workflow Failed', async () => {
    // The API refuses a registered email up front; a race between two signups with one email gets
    // past that check, and the loser's createOwner fails. Start that loser directly.
    const existing = await signUpActive(stack);
    const slug = uniqueSlug('loser');
    const tenantId = randomUUID();
    const userId = randomUUID();
    const handle = await stack.temporal.workflow.start(tenantWorkflow, {
      taskQueue: stack.config.temporal.taskQueue,
      workflowId: `tenant-${slug}`,
      args: [{ tenantId, slug, name: 'Loser', planCode: 'trial', owner: { userId, email: existing.email, name: 'L', sealedPasswordHash: stack.secrets.seal('x', `signup:${userId}`) } }],
    });
    const err = await handle.result().catch((e: Error) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    expect(String((err as WorkflowFailedError).cause?.message)).toContain('already exists');
    expect((await handle.describe()).status.name).toBe('FAILED');
    expect(await stack.db.tenant.findUnique({ where: { id: tenantId } })).toBeNull();
    expect(await stack.db.tenant.findUnique({ where: { slug } })).toBeNull();
    expect(await stack.db.user.findUnique({ where: { id: userId } })).toBeNull();
    expect(await stack.db.user.count({ where: { email: existing.email } })).toBe(1);
    const status = await call(stack, 'GET', `/api/auth/signup/tenant-${slug}`);
    expect(status.body.status).toBe('failed');
    // The freed subdomain can be signed up again (a failed signup may be retried).
    const again = await call(stack, 'POST', '/api/auth/signup', {
      body: { email: `${slug}@example.com`, password: 'a-long-enough-password', name: 'Again', organization: 'Again', subdomain: slug },
    });
    expect(again.status).toBe(202);
    await waitFor('active', async () => (await call(stack, 'GET', `/api/auth/signup/tenant-${slug}`)).body.status === 'active');
  });

  it('signs in with a token usable as Bearer and as a cookie; wrong password is 401', async () => {
    const t = await signUpActive(stack);
    const login = await call(stack, 'POST', '/api/auth/login', { body: { email: t.email, password: t.password } });
    expect(login.status).toBe(200);
    const cookie = login.headers.getSetCookie().find((c) => c.startsWith('tenantry_session='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const viaCookie = await call(stack, 'GET', '/api/me', { headers: { cookie: cookie.split(';')[0] } });
    expect(viaCookie.body.user.email).toBe(t.email);
    const bad = await call(stack, 'POST', '/api/auth/login', { body: { email: t.email, password: 'wrong-password!' } });
    expect(bad.status).toBe(401);
  });

  it('another tenant is a 404, not a 403', async () => {
    const [a, b] = await Promise.all([signUpActive(stack), signUpActive(stack)]);
    const res = await call(stack, 'GET', `/api/tenants/${b.tenantId}`, { token: a.token });
    expect(res.status).toBe(404);
  });
});

describe('health', () => {
  it('reports ready when the database and Temporal answer', async () => {
    const res = await call(stack, 'GET', '/readyz');
    expect(res.status).toBe(200);
    expect(res.body.checks.database.ok).toBe(true);
    expect(res.body.checks.temporal.ok).toBe(true);
  });
});
