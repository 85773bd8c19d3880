// Billing as customers see it (summary, ledger pages, usage series, estimates), the audit log with
// filters, partners, and the operator views: all organizations, stuck provisions from Temporal
// visibility with links into the Temporal UI, idempotent credit grants, suspend and resume; /metrics.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, createPartner, createUser, type TestUser } from '../helpers/api';
import { createGate } from '../helpers/gated-provider';
import { call, signUpActive, uniqueSlug, waitFor, type SignedUp } from '../helpers/http';
import { startStack, type TestStack } from '../helpers/stack';

const gate = createGate();
let stack: TestStack;
let org: SignedUp;
let operator: TestUser;

beforeAll(async () => {
  stack = await startStack('api_billing', { wrapProviders: (p) => ({ ...p, docker: gate.wrap(p.docker!) }) });
  [org, operator] = await Promise.all([signUpActive(stack, { plan: 'trial' }), createUser(stack, { operator: true })]);
});
afterAll(async () => {
  await stack?.close();
});

/** An instance row with usage, written directly (the metering itself is tested with the workflows). */
async function meteredInstance(t: SignedUp, segments: { kind: 'running' | 'allocated'; from: string; to: string | null }[]) {
  const id = randomUUID();
  await stack.db.instance.create({
    data: { id, tenantId: t.tenantId, name: uniqueSlug('m'), provider: 'docker', template: 'demo-app', size: 'small', region: 'local', spec: { vcpu: 0.25, memoryMb: 256 }, phase: 'stopped', workflowId: `instance-${id}` },
  });
  for (const s of segments) {
    await stack.db.usageSegment.create({ data: { tenantId: t.tenantId, instanceId: id, provider: 'docker', size: 'small', kind: s.kind, startedAt: new Date(s.from), endedAt: s.to ? new Date(s.to) : null } });
  }
  return id;
}

describe('billing', () => {
  it('summarizes balance, burn rate, runway, trial and budget; pages the ledger', async () => {
    // Trial docker small: 200 micro-credits a minute running, 20 allocated.
    await meteredInstance(org, [{ kind: 'allocated', from: new Date(Date.now() - 3_600_000).toISOString(), to: null }]);
    await meteredInstance(org, [{ kind: 'running', from: new Date(Date.now() - 600_000).toISOString(), to: null }]);
    await stack.db.tenantNotice.create({ data: { tenantId: org.tenantId, kind: 'budget', level: 'warn', message: '75 % of your credits are used.', dedupeKey: `test:${org.tenantId}` } });
    await stack.db.creditLedgerEntry.create({ data: { tenantId: org.tenantId, amountMicro: -2_500_000n, reason: 'usage', idempotencyKey: `test-usage:${org.tenantId}`, description: 'usage' } });
    const res = await call(stack, 'GET', `/api/tenants/${org.tenantId}/billing`, { token: org.token });
    const used = -(await stack.db.creditLedgerEntry.findMany({ where: { tenantId: org.tenantId, reason: 'usage' } })).reduce((n, e) => n + e.amountMicro, 0n);
    expect(res.body.used.micro).toBe(Number(used));
    expect(res.body.budget.usedPercent).toBeCloseTo((Number(used) / 25_000_000) * 100, 2);
    expect(res.body.budget.crossed).toEqual([]);
    expect(res.status).toBe(200);
    const ledgerSum = (await stack.db.creditLedgerEntry.findMany({ where: { tenantId: org.tenantId } })).reduce((n, e) => n + e.amountMicro, 0n);
    expect(res.body.balance.micro).toBe(Number(ledgerSum));
    expect(res.body.credited).toEqual({ micro: 25_000_000, credits: 25, formatted: '25.00 credits' });
    expect(res.body.burnRate.perHour.micro).toBe((200 + 20) * 60);
    expect(res.body.burnRate.perMonth.micro).toBe((200 + 20) * 60 * 730);
    expect(res.body.unbilled.micro).toBeGreaterThan(0);
    expect(res.body.runway.hours).toBeCloseTo((res.body.balance.micro - res.body.unbilled.micro) / ((200 + 20) * 60), 1);
    expect(res.body).toMatchObject({ plan: { code: 'trial', paid: false }, status: 'active', suspended: false, trial: { ended: false, daysLeft: 14 }, budget: { thresholds: [75, 90, 100] } });
    expect(res.body.notices[0]).toMatchObject({ kind: 'budget', message: '75 % of your credits are used.' });

    for (let i = 0; i < 3; i++) {
      await stack.db.creditLedgerEntry.create({ data: { tenantId: org.tenantId, amountMicro: BigInt(1000 * (i + 1)), reason: 'adjustment', idempotencyKey: `page:${org.tenantId}:${i}`, description: `adjustment ${i}` } });
    }
    const page1 = await call(stack, 'GET', `/api/tenants/${org.tenantId}/billing/ledger?limit=2`, { token: org.token });
    expect(page1.body.items.map((e: { description: string }) => e.description)).toEqual(['adjustment 2', 'adjustment 1']);
    expect(page1.body.items[0].amount).toEqual({ micro: 3000, credits: 0.003, formatted: '0.003 credits' });
    const page2 = await call(stack, 'GET', `/api/tenants/${org.tenantId}/billing/ledger?limit=2&cursor=${page1.body.nextCursor}`, { token: org.token });
    expect(page2.body.items[0].description).toBe('adjustment 0');
    const grants = await call(stack, 'GET', `/api/tenants/${org.tenantId}/billing/ledger?reason=trial_grant`, { token: org.token });
    expect(grants.body.items.map((e: { reason: string }) => e.reason)).toEqual(['trial_grant']);
    expect((await call(stack, 'GET', `/api/tenants/${org.tenantId}/billing/ledger?cursor=abc`, { token: org.token })).status).toBe(400);
  });

  it('gives usage series per hour and day, per instance, to the micro-credit', async () => {
    const t = await signUpActive(stack);
    const x = await meteredInstance(t, [
      { kind: 'allocated', from: '2026-01-09T23:30:00Z', to: '2026-01-10T00:30:00Z' },
      { kind: 'running', from: '2026-01-10T10:00:00Z', to: '2026-01-10T12:00:00Z' },
    ]);
    const hourly = await call(stack, 'GET', `/api/tenants/${t.tenantId}/billing/usage?from=2026-01-10T00:00:00Z&to=2026-01-11T00:00:00Z&granularity=hour`, { token: t.token });
    expect(hourly.status).toBe(200);
    expect(hourly.body.series).toHaveLength(24);
    const nonZero = hourly.body.series.filter((s: { micro: number }) => s.micro > 0).map((s: { start: string; micro: number }) => [s.start, s.micro]);
    expect(nonZero).toEqual([
      ['2026-01-10T00:00:00.000Z', 30 * 20],
      ['2026-01-10T10:00:00.000Z', 60 * 200],
      ['2026-01-10T11:00:00.000Z', 60 * 200],
    ]);
    expect(hourly.body.total.micro).toBe(600 + 24_000);
    expect(hourly.body.instances).toEqual([expect.objectContaining({ id: x, total: expect.objectContaining({ micro: 24_600 }) })]);
    expect(hourly.body.series[10].byInstance).toEqual({ [x]: 12_000 });
    const daily = await call(stack, 'GET', `/api/tenants/${t.tenantId}/billing/usage?from=2026-01-09T00:00:00Z&to=2026-01-12T00:00:00Z`, { token: t.token });
    expect(daily.body.granularity).toBe('day');
    expect(daily.body.series.map((s: { micro: number }) => s.micro)).toEqual([30 * 20, 30 * 20 + 24_000, 0]);
    const bad = await call(stack, 'GET', `/api/tenants/${t.tenantId}/billing/usage?from=2026-01-12T00:00:00Z&to=2026-01-10T00:00:00Z`, { token: t.token });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('query.from');
    expect((await call(stack, 'GET', `/api/tenants/${t.tenantId}/billing/usage?from=2020-01-01T00:00:00Z&granularity=hour`, { token: t.token })).status).toBe(400);
  });

  it('estimates costs at the plan’s prices', async () => {
    const est = await call(stack, 'POST', `/api/tenants/${org.tenantId}/billing/estimate`, { token: org.token, body: { provider: 'docker', size: 'small', hours: 10, count: 2 } });
    expect(est.status).toBe(200);
    expect(est.body).toMatchObject({ provider: 'docker', size: 'small', count: 2, hours: 10 });
    expect(est.body.perHour.micro).toBe(2 * 200 * 60);
    expect(est.body.allocatedPerHour.micro).toBe(2 * 20 * 60);
    expect(est.body.total.micro).toBe(2 * 200 * 60 * 10);
    expect(est.body.monthly.micro).toBe(2 * 200 * 60 * 730);
    const defaults = await call(stack, 'POST', `/api/tenants/${org.tenantId}/billing/estimate`, { token: org.token, body: { provider: 'azure' } });
    expect(defaults.body).toMatchObject({ size: 'Standard_B2s', hours: 730, count: 1 });
    expect(defaults.body.perHour.micro).toBe(1060 * 60);
    const bad = await call(stack, 'POST', `/api/tenants/${org.tenantId}/billing/estimate`, { token: org.token, body: { provider: 'docker', size: 'Standard_B2s', hours: -1 } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['hours']);
  });
});

describe('audit log', () => {
  it('filters by action prefix, result and actor; admins only', async () => {
    const t = await signUpActive(stack);
    const member = await addMember(stack, t, 'member');
    await call(stack, 'POST', `/api/tenants/${t.tenantId}/invitations`, { token: member.token, body: { email: 'no@example.com', role: 'viewer' } });
    await call(stack, 'POST', `/api/tenants/${t.tenantId}/sites`, { token: t.token, body: { name: 'hq' } });
    const base = `/api/tenants/${t.tenantId}/audit`;
    expect((await call(stack, 'GET', base, { token: member.token })).status).toBe(403);
    const members = await call(stack, 'GET', `${base}?action=member.*`, { token: t.token });
    expect(members.body.items.map((e: { action: string }) => e.action).sort()).toEqual(['member.invite', 'member.join']);
    const sites = await call(stack, 'GET', `${base}?action=site.create&actorType=user&actorId=${t.userId}`, { token: t.token });
    expect(sites.body.items).toHaveLength(1);
    expect(sites.body.items[0]).toMatchObject({ action: 'site.create', result: 'success', actor: { type: 'user', id: t.userId, name: `Owner <${t.email}>` } });
    expect(sites.body.items[0].ip).toBeTruthy();
    expect(sites.body.items[0].requestId).toBeTruthy();
    const page = await call(stack, 'GET', `${base}?limit=1`, { token: t.token });
    const next = await call(stack, 'GET', `${base}?limit=1&cursor=${page.body.nextCursor}`, { token: t.token });
    expect(Number(next.body.items[0].id)).toBeLessThan(Number(page.body.items[0].id));
    const later = await call(stack, 'GET', `${base}?from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`, { token: t.token });
    expect(later.body.items).toEqual([]);
    expect((await call(stack, 'GET', `${base}?actorType=robot`, { token: t.token })).status).toBe(400);
  });
});

describe('partners', () => {
  it('partner admins act as admins in their organizations only; they create organizations for customers', async () => {
    const [a, b, outside] = await Promise.all([signUpActive(stack), signUpActive(stack), signUpActive(stack)]);
    const p1 = await createPartner(stack, operator, [a, b]);
    const p2 = await createPartner(stack, operator, [outside]);
    const list = await call(stack, 'GET', `/api/partners/${p1.partnerId}/tenants`, { token: p1.admin.token });
    expect(list.status).toBe(200);
    expect(list.body.items.map((t: { id: string }) => t.id).sort()).toEqual([a.tenantId, b.tenantId].sort());
    expect(list.body.items[0].balance.micro).toBeGreaterThan(0);
    expect((await call(stack, 'GET', `/api/partners/${p1.partnerId}/tenants`, { token: p1.viewer.token })).status).toBe(200);
    expect((await call(stack, 'GET', `/api/partners/${p1.partnerId}/tenants`, { token: p2.admin.token })).status).toBe(404);
    expect((await call(stack, 'GET', `/api/partners/${p1.partnerId}/tenants`, { token: a.token })).status).toBe(404);
    const asAdmin = await call(stack, 'GET', `/api/tenants/${a.tenantId}`, { token: p1.admin.token });
    expect(asAdmin.body).toMatchObject({ role: 'admin', access: 'partner', partnerId: p1.partnerId });
    expect((await call(stack, 'GET', `/api/tenants/${a.tenantId}`, { token: p1.viewer.token })).body.role).toBe('viewer');
    expect((await call(stack, 'GET', `/api/tenants/${outside.tenantId}`, { token: p1.admin.token })).status).toBe(404);
    expect((await call(stack, 'POST', `/api/tenants/${a.tenantId}/sites`, { token: p1.viewer.token, body: { name: 'x' } })).status).toBe(403);
    expect((await call(stack, 'POST', `/api/tenants/${a.tenantId}/sites`, { token: p1.admin.token, body: { name: 'x' } })).status).toBe(201);

    const slug = uniqueSlug('cust');
    const body = { email: `${slug}@example.com`, password: 'a-long-enough-password', name: 'Customer', organization: 'Customer Inc', subdomain: slug };
    expect((await call(stack, 'POST', `/api/partners/${p1.partnerId}/tenants`, { token: p1.viewer.token, body })).status).toBe(403);
    const created = await call(stack, 'POST', `/api/partners/${p1.partnerId}/tenants`, { token: p1.admin.token, body });
    expect(created.status).toBe(202);
    await waitFor('customer active', async () => (await call(stack, 'GET', `/api/auth/signup/${created.body.workflowId}`)).body?.status === 'active');
    const customer = await call(stack, 'GET', `/api/tenants/${created.body.tenantId}`, { token: p1.admin.token });
    expect(customer.body).toMatchObject({ partnerId: p1.partnerId, role: 'admin' });
  });
});

describe('operators', () => {
  it('are the only ones who see the admin routes', async () => {
    for (const [method, path] of [['GET', '/api/admin/tenants'], ['GET', '/api/admin/operations'], ['POST', `/api/admin/tenants/${org.tenantId}/suspend`]] as const) {
      expect((await call(stack, method, path, { token: org.token, body: method === 'POST' ? { reason: 'x' } : undefined })).status).toBe(404);
    }
    expect((await call(stack, 'GET', '/api/admin/tenants')).status).toBe(401);
    const all = await call(stack, 'GET', `/api/admin/tenants?q=${org.slug}`, { token: operator.token });
    expect(all.body.items).toEqual([expect.objectContaining({ id: org.tenantId, slug: org.slug, status: 'active' })]);
    // Operators act on every organization, recorded as operators.
    const seen = await call(stack, 'GET', `/api/tenants/${org.tenantId}`, { token: operator.token });
    expect(seen.body).toMatchObject({ role: 'owner', access: 'operator' });
  });

  it('grant credits exactly once per Idempotency-Key, through the tenant workflow', async () => {
    const t = await signUpActive(stack);
    const path = `/api/admin/tenants/${t.tenantId}/credits`;
    const noKey = await call(stack, 'POST', path, { token: operator.token, body: { credits: 10 } });
    expect(noKey.status).toBe(400);
    expect(noKey.body.errors).toEqual([{ field: 'Idempotency-Key', message: 'is required' }]);
    const key = `grant-${uniqueSlug()}`;
    const first = await call(stack, 'POST', path, { token: operator.token, body: { credits: 10, description: 'Goodwill' }, headers: { 'idempotency-key': key } });
    expect(first.status).toBe(200);
    expect(first.body.balance.micro).toBe(35_000_000);
    expect(first.body.granted.micro).toBe(10_000_000);
    const again = await call(stack, 'POST', path, { token: operator.token, body: { credits: 10, description: 'Goodwill' }, headers: { 'idempotency-key': key } });
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect((await call(stack, 'POST', path, { token: operator.token, body: { credits: 99 }, headers: { 'idempotency-key': key } })).status).toBe(422);
    // Even a lost idempotency record cannot grant twice: the ledger key is derived from the same key.
    await stack.db.idempotencyRecord.deleteMany({ where: { key } });
    const replay = await call(stack, 'POST', path, { token: operator.token, body: { credits: 10, description: 'Goodwill' }, headers: { 'idempotency-key': key } });
    expect(replay.body.balance.micro).toBe(35_000_000);
    const topUps = await stack.db.creditLedgerEntry.findMany({ where: { tenantId: t.tenantId, reason: 'top_up' } });
    expect(topUps.map((e) => [e.amountMicro, e.description])).toEqual([[10_000_000n, 'Goodwill']]);
    const audit = await stack.db.auditLog.findMany({ where: { tenantId: t.tenantId, action: 'tenant.credits.grant' } });
    expect(audit[0]).toMatchObject({ actorType: 'operator', actorId: operator.userId });
    expect((await call(stack, 'POST', path, { token: operator.token, body: { credits: 1, amountMicro: 5 }, headers: { 'idempotency-key': 'k2' } })).status).toBe(400);
  });

  it('suspend and resume through the tenant workflow; refusals are 409 with the reason', async () => {
    const t = await signUpActive(stack);
    const suspend = await call(stack, 'POST', `/api/admin/tenants/${t.tenantId}/suspend`, { token: operator.token, body: { reason: 'abuse report' } });
    expect(suspend.status).toBe(200);
    expect(suspend.body.status).toBe('suspended');
    const twice = await call(stack, 'POST', `/api/admin/tenants/${t.tenantId}/suspend`, { token: operator.token, body: { reason: 'again' } });
    expect(twice.status).toBe(409);
    expect(twice.body.detail).toBe('cannot suspend: the organization is suspended');
    const entries = await stack.db.auditLog.findMany({ where: { tenantId: t.tenantId, action: 'tenant.suspend' }, orderBy: { id: 'asc' } });
    expect(entries.map((e) => [e.result, e.actorType])).toEqual([['success', 'operator'], ['denied', 'operator']]);
    const view = await call(stack, 'GET', `/api/tenants/${t.tenantId}/billing`, { token: t.token });
    expect(view.body).toMatchObject({ status: 'suspended', suspended: true });
    expect((await call(stack, 'POST', `/api/tenants/${t.tenantId}/instances`, { token: t.token, body: { name: 'x', provider: 'docker' } })).status).toBe(409);
    expect((await call(stack, 'POST', `/api/admin/tenants/${t.tenantId}/resume`, { token: operator.token })).body.status).toBe('active');
    expect((await call(stack, 'POST', `/api/admin/tenants/${t.tenantId}/resume`, { token: operator.token })).status).toBe(409);
  });

  it('list provisions in progress from Temporal visibility, with step, activity state and a Temporal UI link', async () => {
    const t = await signUpActive(stack, { plan: 'standard' });
    gate.hold('stuck', 'create');
    const res = await call(stack, 'POST', `/api/tenants/${t.tenantId}/instances`, { token: t.token, body: { name: 'stuck', provider: 'docker' } });
    await gate.reached('stuck', 'create');
    const op = await waitFor('operation listed', async () => {
      const r = await call(stack, 'GET', '/api/admin/operations?olderThanMinutes=0', { token: operator.token });
      return r.body.items?.find((i: { instanceId: string }) => i.instanceId === res.body.id);
    });
    expect(op).toMatchObject({ workflowId: `instance-${res.body.id}`, tenantId: t.tenantId, tenantSlug: t.slug, name: 'stuck', provider: 'docker', phase: 'provisioning', step: 'create' });
    expect(op.temporalUrl).toBe(`${stack.config.temporal.uiUrl}/namespaces/default/workflows/instance-${res.body.id}/${op.runId}`);
    expect(op.pendingActivities).toEqual([expect.objectContaining({ type: 'docker.create', state: 'started', attempt: 1 })]);
    // Not older than an hour: not listed with the default threshold.
    const old = await call(stack, 'GET', '/api/admin/operations?olderThanMinutes=60', { token: operator.token });
    expect(old.body.items.find((i: { instanceId: string }) => i.instanceId === res.body.id)).toBeUndefined();
    expect(old.body.query).toContain('LifecyclePhase IN ("pending", "provisioning", "configuring", "installing")');
    // The operator cancels it through the same route as customers; recorded as an operator.
    const detail = await call(stack, 'GET', `/api/instances/${res.body.id}`, { token: operator.token });
    expect(detail.body.temporalUrl).toContain(`instance-${res.body.id}`);
    expect((await call(stack, 'POST', `/api/instances/${res.body.id}/cancel`, { token: operator.token })).status).toBe(202);
    gate.release('stuck', 'create');
    await waitFor('cancelled', async () => (await call(stack, 'GET', `/api/instances/${res.body.id}`, { token: t.token })).body.phase === 'cancelled', 60_000);
    const audit = await stack.db.auditLog.findFirstOrThrow({ where: { targetId: res.body.id, action: 'instance.cancel' } });
    expect(audit).toMatchObject({ actorType: 'operator', actorId: operator.userId, result: 'success' });
  });
});

describe('/metrics', () => {
  it('exposes request counts and latency by route template and status', async () => {
    await call(stack, 'GET', `/api/tenants/${org.tenantId}`, { token: org.token });
    const res = await fetch(`${stack.baseUrl}/metrics`);
    const text = await res.text();
    expect(res.headers.get('content-type')).toContain('text/plain');
    expect(text).toMatch(/tenantry_http_requests_total\{route="\/tenants\/\{tenantId\}",method="GET",status="200"\} \d+/);
    expect(text).toMatch(/tenantry_http_request_duration_seconds_bucket\{le="0.1",route="\/tenants\/\{tenantId\}",method="GET",status="200"\}/);
    expect(text).toContain('tenantry_event_streams_open');
    expect(text).not.toContain(org.tenantId);
  });
});
