// Cancellation at every provisioning step, from the client (as the API and `temporal workflow cancel`
// do, and as an operator's Cancel in the Temporal UI does): compensation runs in reverse order and
// nothing is left at the provider. Also: destroy while provisioning, and a cancel that lands while a
// step has already created its resource but has not returned yet.
import { CancelledFailure, WorkflowFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ComputeProvider } from '../../activities/providers/contract';
import { destroyInstanceSignal } from '../../workflows/instance';
import { dockerLeftovers } from '../helpers/docker-leftovers';
import { createGate } from '../helpers/gated-provider';
import { signUpActive, type SignedUp } from '../helpers/http';
import { order } from '../helpers/instances';
import { startStack, type TestStack } from '../helpers/stack';

type Op = keyof ComputeProvider;
const points: { op: Op; when: 'before' | 'after' }[] = [
  { op: 'prepare', when: 'before' },
  { op: 'prepare', when: 'after' },
  { op: 'create', when: 'before' },
  { op: 'create', when: 'after' },
  { op: 'boot', when: 'after' },
  { op: 'install', when: 'before' },
  { op: 'install', when: 'after' },
];
const gate = createGate();
let stack: TestStack;
let tenant: SignedUp;

beforeAll(async () => {
  stack = await startStack('cancel', { wrapProviders: (p) => ({ ...p, docker: gate.wrap(p.docker!) }) });
  tenant = await signUpActive(stack, { plan: 'pro' });
});
afterAll(async () => {
  await stack?.close();
});

describe('cancelling a provision', () => {
  it.each(points)('at $op ($when the provider call) releases everything and ends Cancelled', async ({ op, when }) => {
    const name = `c-${op.toLowerCase()}-${when}`;
    gate.hold(name, op, when);
    const o = await order(stack, tenant, { name });
    await gate.reached(name, op, when);
    await o.handle.cancel();
    const err = await o.handle.result().catch((e) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    expect(err.cause).toBeInstanceOf(CancelledFailure);
    expect((await o.handle.describe()).status.name).toBe('CANCELLED');
    const row = await stack.db.instance.findUniqueOrThrow({ where: { id: o.instanceId } });
    expect(row.phase).toBe('cancelled');
    expect(await dockerLeftovers(stack, o.target)).toEqual([]);
    const messages = (await stack.db.instanceEvent.findMany({ where: { instanceId: o.instanceId }, orderBy: { id: 'asc' } })).map((e) => e.message);
    expect(messages.at(-1)).toBe('cancelled: nothing is left at the provider');
  });

  it('a provider failure after retries is compensated and ends Failed with the reason', async () => {
    gate.failAt('doomed', 'install', 'the app never answered its health check');
    const o = await order(stack, tenant, { name: 'doomed' });
    const err = await o.handle.result().catch((e) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    expect(err.cause.message).toBe('provisioning failed: the app never answered its health check');
    expect((await o.handle.describe()).status.name).toBe('FAILED');
    const row = await stack.db.instance.findUniqueOrThrow({ where: { id: o.instanceId } });
    expect(row).toMatchObject({ phase: 'failed', statusMessage: 'the app never answered its health check' });
    expect(await dockerLeftovers(stack, o.target)).toEqual([]);
  });

  it('destroy while provisioning releases what exists and ends destroyed (workflow completes)', async () => {
    const destroyGate = createGate();
    destroyGate.hold('halfway', 'boot');
    const local = await startStack('cancel_destroy', { wrapProviders: (p) => ({ ...p, docker: destroyGate.wrap(p.docker!) }) });
    try {
      const t = await signUpActive(local, { plan: 'pro' });
      const o = await order(local, t, { name: 'halfway' });
      await destroyGate.reached('halfway', 'boot');
      await o.handle.signal(destroyInstanceSignal, { type: 'user', id: t.userId });
      const final = await o.handle.result();
      expect(final.phase).toBe('destroyed');
      expect(await dockerLeftovers(local, o.target)).toEqual([]);
    } finally {
      await local.close();
    }
  });
});
