// Instances through the API on the real stack (Docker engine, tenant Postgres, Temporal): order with
// Idempotency-Key, live progress over Server-Sent Events in order and resumable, start/stop/restart
// with the workflow's refusals as 409, commands, metrics, cancel, destroy (also after a cancelled
// lifecycle, through a destroy run), the checks before ordering, and cloud credentials.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idempotentInstanceId } from '../../api/instance-orders';
import { dockerLeftovers } from '../helpers/docker-leftovers';
import { addMember, createSite, readEvents, type SseEvent } from '../helpers/api';
import { createGate } from '../helpers/gated-provider';
import { call, signUpActive, uniqueSlug, waitFor, type SignedUp } from '../helpers/http';
import { startStack, type TestStack } from '../helpers/stack';

const gate = createGate();
let stack: TestStack;
let org: SignedUp;

beforeAll(async () => {
  stack = await startStack('api_instances', { wrapProviders: (p) => ({ ...p, docker: gate.wrap(p.docker!) }) });
  org = await signUpActive(stack, { plan: 'standard' });
});
afterAll(async () => {
  await stack?.close();
});

const create = (body: Record<string, unknown>, opts: { token?: string; key?: string; tenantId?: string } = {}) =>
  call(stack, 'POST', `/api/tenants/${opts.tenantId ?? org.tenantId}/instances`, { token: opts.token ?? org.token, body, headers: opts.key ? { 'idempotency-key': opts.key } : {} });
const get = (id: string, token = org.token) => call(stack, 'GET', `/api/instances/${id}`, { token });
const waitPhase = (id: string, phase: string, token = org.token, timeoutMs = 60_000) =>
  waitFor(`instance ${id} ${phase}`, async () => {
    const r = await get(id, token);
    return r.body?.phase === phase ? r.body : undefined;
  }, timeoutMs, 250);
const data = (e: SseEvent) => JSON.parse(e.data);

describe('an instance through the API', () => {
  it('orders idempotently and streams its real provision live, in order, resumable; then start/stop/restart, commands, metrics, destroy', async () => {
    gate.hold('web', 'install');
    const key = `order-${uniqueSlug()}`;
    const first = await create({ name: 'web', provider: 'docker' }, { key });
    expect(first.status).toBe(202);
    expect(first.body.id).toBe(idempotentInstanceId(org.tenantId, key));
    expect(first.headers.get('location')).toBe(`/api/instances/${first.body.id}`);
    const id: string = first.body.id;
    const again = await create({ name: 'web', provider: 'docker' }, { key });
    expect(again.status).toBe(202);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const otherBody = await create({ name: 'web2', provider: 'docker' }, { key });
    expect(otherBody.status).toBe(422);

    // Watch live: the provision is held before install, so what follows arrives while we listen.
    const seen: SseEvent[] = [];
    const comments: string[] = [];
    const streaming = readEvents(`${stack.baseUrl}/api/instances/${id}/events`, {
      token: org.token,
      until: (e, all) => {
        seen.push(e);
        return all.some((x) => x.event === 'phase' && data(x).phase === 'running');
      },
      onComment: (c) => comments.push(c),
    });
    await gate.reached('web', 'install');
    await waitFor('installing streamed', async () => seen.some((e) => e.event === 'phase' && data(e).phase === 'installing'));
    expect(seen.some((e) => e.event === 'phase' && data(e).phase === 'running')).toBe(false);
    gate.release('web', 'install');
    const live = await streaming;
    expect(live.status).toBe(200);
    expect(live.contentType).toContain('text/event-stream');
    expect(live.events[0].retry).toBe(3000);
    expect(live.events[1].event).toBe('state');
    const stream = live.events.filter((e) => e.id);
    const ids = stream.map((e) => BigInt(e.id!));
    expect(ids.every((x, i) => i === 0 || x > ids[i - 1])).toBe(true);
    const phases = stream.filter((e) => e.event === 'phase').map((e) => data(e).phase);
    expect(phases.filter((p, i) => p !== phases[i - 1])).toEqual(['pending', 'provisioning', 'configuring', 'installing', 'running']);
    const progress = stream.map((e) => data(e).progress).filter((p) => p !== null);
    expect(progress.every((p, i) => i === 0 || p >= progress[i - 1])).toBe(true);
    expect(progress.at(-1)).toBe(100);
    // The stream is exactly the event log.
    const log = await call(stack, 'GET', `/api/instances/${id}/log?limit=200`, { token: org.token });
    expect(log.body.items.map((e: { id: string }) => e.id)).toEqual(stream.map((e) => e.id));
    // The log names who ordered it the way the customer knows them, not by an id.
    expect(log.body.items[0].message).toBe('ordered (requested by Owner): docker demo-app small in local');

    // Resume after the configuring event: the rest, without gaps or repeats.
    const cut = stream.findIndex((e) => e.event === 'phase' && data(e).phase === 'configuring');
    const resumed = await readEvents(`${stack.baseUrl}/api/instances/${id}/events`, {
      token: org.token,
      lastEventId: stream[cut].id,
      until: (_e, all) => all.filter((x) => x.id).length >= stream.length - cut - 1,
    });
    expect(resumed.events.filter((e) => e.id).map((e) => e.id)).toEqual(stream.slice(cut + 1).map((e) => e.id));

    const running = await get(id);
    expect(running.body).toMatchObject({ id, tenantId: org.tenantId, name: 'web', provider: 'docker', phase: 'running', progress: 100, recorded: true, actions: { stop: true, start: false, cancel: false } });
    expect(Date.parse(running.body.admittedAt)).toBeGreaterThanOrEqual(Date.parse(running.body.createdAt));
    expect(running.body.endpoint.url).toContain(`web.${org.slug}.localhost`);
    expect(running.body.temporalUrl).toBeUndefined();

    // Day two: each an update; the workflow's refusal is a 409 with its reason.
    const stop = await call(stack, 'POST', `/api/instances/${id}/stop`, { token: org.token });
    expect(stop.status).toBe(200);
    expect(stop.body.phase).toBe('stopped');
    const again2 = await call(stack, 'POST', `/api/instances/${id}/stop`, { token: org.token });
    expect(again2.status).toBe(409);
    expect(again2.body.detail).toBe('cannot stop: the instance is stopped (stop needs running)');
    const notRunning = await call(stack, 'POST', `/api/instances/${id}/commands`, { token: org.token, body: { command: 'ping' } });
    expect(notRunning.status).toBe(409);
    expect((await call(stack, 'POST', `/api/instances/${id}/start`, { token: org.token })).body.phase).toBe('running');
    expect((await call(stack, 'POST', `/api/instances/${id}/restart`, { token: org.token })).body.phase).toBe('running');

    const ping = await call(stack, 'POST', `/api/instances/${id}/commands`, { token: org.token, body: { command: 'ping' } });
    expect(ping.status).toBe(200);
    expect(ping.body).toMatchObject({ command: 'ping', exitCode: 0 });
    expect(ping.body.output).toMatch(/^pong: /);
    expect((await call(stack, 'POST', `/api/instances/${id}/commands`, { token: org.token, body: { command: 'rm -rf /' } })).status).toBe(400);
    const metrics = await call(stack, 'GET', `/api/instances/${id}/metrics`, { token: org.token });
    expect(metrics.status).toBe(200);
    expect(metrics.body.status.state).toBe('running');
    expect(metrics.body.metrics.memoryLimitBytes).toBe(256 * 1024 * 1024);
    expect((await call(stack, 'POST', `/api/instances/${id}/cancel`, { token: org.token })).status).toBe(409);

    const del = await call(stack, 'DELETE', `/api/instances/${id}`, { token: org.token });
    expect(del.status).toBe(202);
    const gone = await waitPhase(id, 'destroyed');
    expect(gone.destroyedAt).not.toBeNull();
    expect((await call(stack, 'DELETE', `/api/instances/${id}`, { token: org.token })).status).toBe(409);
    // A stream of a destroyed instance sends everything and ends cleanly.
    const final = await readEvents(`${stack.baseUrl}/api/instances/${id}/events`, { token: org.token });
    expect(final.closedByServer).toBe(true);
    expect(final.events.at(-1)).toMatchObject({ event: 'end' });
    expect(data(final.events.at(-1)!)).toEqual({ phase: 'destroyed' });

    const audit = await stack.db.auditLog.findMany({ where: { tenantId: org.tenantId, targetId: id }, orderBy: { id: 'asc' } });
    const byApi = audit.filter((a) => a.requestId);
    expect(byApi.map((a) => `${a.action}:${a.result}`)).toEqual([
      'instance.create:success',
      'instance.stop:success',
      'instance.stop:denied',
      'instance.start:success',
      'instance.restart:success',
      'instance.command.request:success',
      'instance.cancel:denied',
      'instance.destroy:success',
    ]);
    expect(byApi.every((a) => a.actorType === 'user' && a.actorId === org.userId && a.ip)).toBe(true);
    expect(audit.some((a) => a.action === 'instance.command' && a.actorType === 'user')).toBe(true);
  });

  it('cancels a provision in progress, and destroys a cancelled instance with a destroy run', async () => {
    gate.hold('slow', 'create', 'after');
    const res = await create({ name: 'slow', provider: 'docker' });
    expect(res.status).toBe(202);
    const id: string = res.body.id;
    await gate.reached('slow', 'create', 'after');
    const provisioning = await get(id);
    expect(provisioning.body.actions.cancel).toBe(true);
    const cancel = await call(stack, 'POST', `/api/instances/${id}/cancel`, { token: org.token });
    expect(cancel.status).toBe(202);
    const cancelled = await waitPhase(id, 'cancelled');
    expect(cancelled.actions.destroy).toBe(true);
    gate.release('slow', 'create', 'after');
    const handle = stack.temporal.workflow.getHandle(`instance-${id}`);
    // The phase is recorded inside compensation; the run closes a moment later.
    await expect(handle.result()).rejects.toMatchObject({ cause: { name: 'CancelledFailure' } });
    expect((await handle.describe()).status.name).toBe('CANCELLED');

    const del = await call(stack, 'DELETE', `/api/instances/${id}`, { token: org.token });
    expect(del.status).toBe(202);
    await waitPhase(id, 'destroyed');
    const destroyRun = stack.temporal.workflow.getHandle(`instance-${id}`);
    expect((await destroyRun.result()).phase).toBe('destroyed');
    expect((await destroyRun.describe()).status.name).toBe('COMPLETED');
    const events = await stack.db.instanceEvent.findMany({ where: { instanceId: id }, orderBy: { id: 'asc' } });
    expect(events.at(-1)?.message).toBe('destroyed: nothing is left at the provider');
    const row = await stack.db.instance.findUniqueOrThrow({ where: { id } });
    expect(await dockerLeftovers(stack, { instanceId: id, tenantId: org.tenantId, tenantSlug: org.slug, name: 'slow', provider: 'docker', spec: row.spec as never })).toEqual([]);
  });

  it('answers from the workflow while the instance row is not written yet', async () => {
    gate.hold('early', 'prepare');
    const other = await signUpActive(stack);
    // Stop the worker so nothing writes the row; the API answers from Temporal alone.
    await stack.stopWorker();
    try {
      const res = await create({ name: 'early', provider: 'docker' });
      expect(res.status).toBe(202);
      const early = await get(res.body.id);
      expect(early.status).toBe(200);
      expect(early.body).toMatchObject({ id: res.body.id, name: 'early', phase: 'pending', recorded: false, tenantId: org.tenantId });
      expect((await get(res.body.id, other.token)).status).toBe(404);
      expect((await call(stack, 'POST', `/api/instances/${res.body.id}/commands`, { token: org.token, body: { command: 'ping' } })).status).toBe(409);
      await stack.restartWorker();
      await gate.reached('early', 'prepare');
      expect((await call(stack, 'POST', `/api/instances/${res.body.id}/cancel`, { token: org.token })).status).toBe(202);
      gate.release('early', 'prepare');
      await waitPhase(res.body.id, 'cancelled');
    } finally {
      if (!stack.worker || stack.worker.getState() !== 'RUNNING') await stack.restartWorker();
    }
  });

  it('checks an order before starting anything: fields, site, credential, organization status, credits, quota, name', async () => {
    const bad = await create({ name: 'Not A Label', provider: 'gcp', size: 7 });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['name', 'provider', 'size']);
    const catalogue = await create({ name: 'cat', provider: 'docker', size: 'huge', region: 'mars', template: 'nope' });
    expect(catalogue.status).toBe(400);
    expect(catalogue.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['region', 'size', 'template']);
    expect((await create({ name: 'cred', provider: 'docker', credentialId: crypto.randomUUID() })).body.errors[0].field).toBe('credentialId');
    const foreign = await signUpActive(stack);
    const foreignSite = await createSite(stack, foreign);
    const wrongSite = await create({ name: 'site', provider: 'docker', siteId: foreignSite });
    expect(wrongSite.status).toBe(400);
    expect(wrongSite.body.errors).toEqual([{ field: 'siteId', message: 'is not a site of this organization' }]);

    const t = await signUpActive(stack, { plan: 'trial' });
    // Over quota: the trial plan allows 2 instances; override to 0.
    await stack.db.tenant.update({ where: { id: t.tenantId }, data: { maxInstances: 0 } });
    const quota = await create({ name: 'q', provider: 'docker' }, { token: t.token, tenantId: t.tenantId });
    expect(quota.status).toBe(422);
    expect(quota.body.detail).toMatch(/^quota: 0 of 0 instances in use/);
    expect(quota.body.quota.limits.instances).toBe(0);
    await stack.db.tenant.update({ where: { id: t.tenantId }, data: { maxInstances: null, maxMemoryMb: 100 } });
    const memory = await create({ name: 'q', provider: 'docker' }, { token: t.token, tenantId: t.tenantId });
    expect(memory.status).toBe(422);
    expect(memory.body.errors).toEqual([{ field: 'size', message: 'quota: needs 256 MB memory, 100 of 100 MB free' }]);
    await stack.db.tenant.update({ where: { id: t.tenantId }, data: { maxMemoryMb: null } });
    // No credits: 402.
    await stack.db.creditLedgerEntry.create({ data: { tenantId: t.tenantId, amountMicro: -25_000_000n, reason: 'adjustment', idempotencyKey: `test-drain:${t.tenantId}`, description: 'drain' } });
    expect((await create({ name: 'q', provider: 'docker' }, { token: t.token, tenantId: t.tenantId })).status).toBe(402);
    // Suspended: 409 with the reason.
    await stack.db.tenant.update({ where: { id: t.tenantId }, data: { status: 'suspended', statusReason: 'test' } });
    const suspended = await create({ name: 'q', provider: 'docker' }, { token: t.token, tenantId: t.tenantId });
    expect(suspended.status).toBe(409);
    expect(suspended.body.detail).toMatch(/suspended/);
    // Nothing was started for any of these.
    const started: string[] = [];
    for await (const wf of stack.temporal.workflow.list({ query: `TenantId = "${t.tenantId}" AND WorkflowType = "instanceWorkflow"` })) started.push(wf.workflowId);
    expect(started).toEqual([]);
  });

  it('refuses a name in use; viewers cannot order; site-limited members order only in their site', async () => {
    const t = await signUpActive(stack, { plan: 'standard' });
    const siteA = await createSite(stack, t);
    const siteB = await createSite(stack, t);
    const viewer = await addMember(stack, t, 'viewer');
    const siteMember = await addMember(stack, t, 'member', siteA);
    // Held after prepare (the organization's network exists): the two provisions below never
    // prepare at the same moment (see the report on concurrent Docker network creation).
    gate.hold('held', 'prepare', 'after');
    const held = await create({ name: 'held', provider: 'docker' }, { token: t.token, tenantId: t.tenantId });
    expect(held.status).toBe(202);
    await gate.reached('held', 'prepare', 'after');
    const dup = await create({ name: 'held', provider: 'docker' }, { token: t.token, tenantId: t.tenantId });
    expect(dup.status).toBe(409);
    expect(dup.body.errors).toEqual([{ field: 'name', message: 'is used by another instance' }]);
    expect((await create({ name: 'v', provider: 'docker' }, { token: viewer.token, tenantId: t.tenantId })).status).toBe(403);
    expect((await create({ name: 's', provider: 'docker', siteId: siteB }, { token: siteMember.token, tenantId: t.tenantId })).status).toBe(403);
    gate.hold('s', 'prepare', 'after');
    const mine = await create({ name: 's', provider: 'docker' }, { token: siteMember.token, tenantId: t.tenantId });
    expect(mine.status).toBe(202);
    const siteInstance = await waitFor('site instance', async () => {
      const r = await get(mine.body.id, siteMember.token);
      return r.body?.recorded ? r.body : undefined;
    });
    expect(siteInstance.siteId).toBe(siteA);
    // The site member sees only their site's instances; the others' are 404 to them.
    const list = await call(stack, 'GET', `/api/tenants/${t.tenantId}/instances`, { token: siteMember.token });
    expect(list.body.items.map((i: { name: string }) => i.name)).toEqual(['s']);
    expect((await get(held.body.id, siteMember.token)).status).toBe(404);
    const all = await call(stack, 'GET', `/api/tenants/${t.tenantId}/instances?limit=1`, { token: t.token });
    expect(all.body.items).toHaveLength(1);
    const next = await call(stack, 'GET', `/api/tenants/${t.tenantId}/instances?limit=1&cursor=${all.body.nextCursor}`, { token: t.token });
    expect(next.body.items).toHaveLength(1);
    expect([all.body.items[0].name, next.body.items[0].name].sort()).toEqual(['held', 's']);
    expect(next.body.nextCursor).toBeNull();
    expect((await call(stack, 'GET', `/api/tenants/${t.tenantId}/instances?phase=running`, { token: t.token })).body.items).toEqual([]);
    expect((await call(stack, 'GET', `/api/tenants/${t.tenantId}/instances?phase=sleeping`, { token: t.token })).status).toBe(400);
    for (const id of [held.body.id, mine.body.id]) expect((await call(stack, 'DELETE', `/api/instances/${id}`, { token: t.token })).status).toBe(202);
    gate.release('held', 'prepare', 'after');
    gate.release('s', 'prepare', 'after');
    for (const id of [held.body.id, mine.body.id]) await waitPhase(id, 'destroyed', t.token);
  });
});

describe('cloud credentials', () => {
  it('adds an Azure credential sealed at rest, lists it masked, validates it through a workflow, deletes it', async () => {
    const env = stack.config.azure;
    const base = `/api/tenants/${org.tenantId}/credentials`;
    const badFields = await call(stack, 'POST', base, { token: org.token, body: { provider: 'azure', name: 'main', publicFields: { tenantId: 'x' }, secret: 's' } });
    expect(badFields.status).toBe(400);
    expect(badFields.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['publicFields.clientId', 'publicFields.subscriptionId', 'publicFields.tenantId']);
    expect((await call(stack, 'POST', base, { token: org.token, body: { provider: 'docker', name: 'd', secret: 's' } })).status).toBe(400);
    const fields = { tenantId: env.tenantId, clientId: env.clientId, subscriptionId: env.subscriptionId };
    const good = await call(stack, 'POST', base, { token: org.token, body: { provider: 'azure', name: 'main', publicFields: fields, secret: env.clientSecret } });
    expect(good.status).toBe(201);
    expect(good.body).toMatchObject({ provider: 'azure', name: 'main', publicFields: fields, secret: 'stored', status: 'unvalidated' });
    const row = await stack.db.providerCredential.findUniqueOrThrow({ where: { id: good.body.id } });
    expect(row.secretCiphertext).not.toContain(env.clientSecret!);
    expect(stack.secrets.open(row.secretCiphertext, `credential:${row.id}`)).toBe(env.clientSecret);
    const wrong = await call(stack, 'POST', base, { token: org.token, body: { provider: 'azure', name: 'wrong', publicFields: fields, secret: 'not-the-secret' } });
    const list = await call(stack, 'GET', base, { token: org.token });
    expect(list.body.items).toHaveLength(2);
    expect(JSON.stringify(list.body)).not.toContain(env.clientSecret!);
    expect(JSON.stringify(list.body)).not.toContain(row.secretCiphertext);

    const valid = await call(stack, 'POST', `${base}/${good.body.id}/validate`, { token: org.token });
    expect(valid.status).toBe(200);
    expect(valid.body.status).toBe('valid');
    expect(valid.body.credential.status).toBe('valid');
    const invalid = await call(stack, 'POST', `${base}/${wrong.body.id}/validate`, { token: org.token });
    expect(invalid.body.status).toBe('invalid');
    // An invalid credential cannot be used for an order.
    const refused = await create({ name: 'az', provider: 'azure', credentialId: wrong.body.id });
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0].field).toBe('credentialId');

    const member = await addMember(stack, org, 'member');
    expect((await call(stack, 'POST', `${base}/${good.body.id}/validate`, { token: member.token })).status).toBe(403);
    expect((await call(stack, 'DELETE', `${base}/${wrong.body.id}`, { token: org.token })).status).toBe(204);
    expect((await call(stack, 'GET', base, { token: org.token })).body.items.map((c: { name: string }) => c.name)).toEqual(['main']);
  });
});

describe('the organization database', () => {
  it('reports the shared schema of the organization through a workflow', async () => {
    const res = await call(stack, 'GET', `/api/tenants/${org.tenantId}/database/metrics`, { token: org.token });
    expect(res.status).toBe(200);
    expect(res.body.schemas.length).toBeGreaterThanOrEqual(1);
    expect(res.body.schemas[0]).toEqual(expect.objectContaining({ tables: expect.any(Number), sizeBytes: expect.any(Number) }));
  });
});
