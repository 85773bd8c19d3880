// Quotas and concurrency caps: a pending instance says why it waits (queue, quota, capacity), waits
// rather than failing, can be cancelled while it waits, and proceeds when the cause goes away.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { destroyInstanceSignal } from '../../workflows/instance';
import { dockerLeftovers } from '../helpers/docker-leftovers';
import { createGate } from '../helpers/gated-provider';
import { signUpActive } from '../helpers/http';
import { order, waitForPhase, waitForState } from '../helpers/instances';
import { startStack, type TestStack } from '../helpers/stack';

const user = { type: 'user' as const, id: 'test' };

describe('per-tenant quotas and concurrency', () => {
  const gate = createGate();
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack('quotas', { wrapProviders: (p) => ({ ...p, docker: gate.wrap(p.docker!) }) });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('queues behind the plan’s concurrent-provision limit and waits on the instance quota', async () => {
    // Trial plan: 2 instances, 1 provision at a time.
    const tenant = await signUpActive(stack, { plan: 'trial' });
    gate.hold('first', 'boot');
    const first = await order(stack, tenant, { name: 'first' });
    await gate.reached('first', 'boot');

    const second = await order(stack, tenant, { name: 'second' });
    const queued = await waitForState(second.handle, 'queued', (s) => s.pendingReason?.startsWith('queued') ?? false);
    expect(queued.phase).toBe('pending');
    expect(queued.pendingReason).toBe('queued: 1 provision(s) of your organization are running (your plan allows 1 at once)');

    const third = await order(stack, tenant, { name: 'third' });
    const overQuota = await waitForState(third.handle, 'quota', (s) => s.pendingReason?.startsWith('quota') ?? false);
    expect(overQuota.pendingReason).toBe('quota: 2 of 2 instances in use; destroy one or upgrade the plan');
    const row = await stack.db.instance.findUniqueOrThrow({ where: { id: third.instanceId } });
    expect(row).toMatchObject({ phase: 'pending', pendingReason: overQuota.pendingReason });

    // Cancelling while it waits: nothing was created, nothing to release.
    await third.handle.cancel();
    await expect(third.handle.result()).rejects.toThrow();
    expect((await stack.db.instance.findUniqueOrThrow({ where: { id: third.instanceId } })).phase).toBe('cancelled');
    expect(await dockerLeftovers(stack, third.target)).toEqual([]);

    gate.release('first', 'boot');
    await waitForPhase(first.handle, 'running');
    await waitForPhase(second.handle, 'running');

    for (const o of [first, second]) await o.handle.signal(destroyInstanceSignal, user);
    await Promise.all([first.handle.result(), second.handle.result()]);
  });
});

describe('per-provider concurrency cap across tenants', () => {
  const gate = createGate();
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack('provider_cap', { env: { PROVISION_CAP_DOCKER: '1' }, wrapProviders: (p) => ({ ...p, docker: gate.wrap(p.docker!) }) });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('makes another organization wait for capacity instead of starving the host', async () => {
    const [a, b] = await Promise.all([signUpActive(stack, { plan: 'pro' }), signUpActive(stack, { plan: 'pro' })]);
    gate.hold('hog', 'boot');
    const hog = await order(stack, a, { name: 'hog' });
    await gate.reached('hog', 'boot');
    const polite = await order(stack, b, { name: 'polite' });
    const waiting = await waitForState(polite.handle, 'capacity', (s) => s.pendingReason?.startsWith('waiting for capacity') ?? false);
    expect(waiting.pendingReason).toBe('waiting for capacity: 1 docker provisions are running platform-wide');
    gate.release('hog', 'boot');
    await waitForPhase(polite.handle, 'running');
    for (const o of [hog, polite]) await o.handle.signal(destroyInstanceSignal, user);
    await Promise.all([hog.handle.result(), polite.handle.result()]);
  });
});
