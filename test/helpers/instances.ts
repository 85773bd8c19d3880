// Ordering instances and watching their lifecycle in tests.
import type { WorkflowHandle } from '@temporalio/client';
import { startInstanceOrder, type InstanceOrder } from '../../api/instance-orders';
import type { ProviderName } from '../../lib/catalog';
import { instanceStateQuery, type InstanceState } from '../../workflows/instance';
import { waitFor, type SignedUp } from './http';
import type { TestStack } from './stack';

let n = 0;

export async function order(stack: TestStack, tenant: SignedUp, opts: Partial<Omit<InstanceOrder, 'tenant' | 'requestedBy'>> & { provider?: ProviderName } = {}) {
  n += 1;
  return startInstanceOrder(stack.temporal, stack.config.temporal.taskQueue, {
    tenant: { id: tenant.tenantId, slug: tenant.slug, name: `Org ${tenant.slug}` },
    name: opts.name ?? `app${n}`,
    provider: opts.provider ?? 'docker',
    requestedBy: { type: 'user', id: tenant.userId },
    ...opts,
  });
}

export async function stateOf(handle: WorkflowHandle): Promise<InstanceState> {
  return handle.query(instanceStateQuery);
}

export async function waitForState(handle: WorkflowHandle, what: string, pred: (s: InstanceState) => boolean, timeoutMs = 50_000): Promise<InstanceState> {
  let last: InstanceState | undefined;
  try {
    return await waitFor(what, async () => {
      last = await stateOf(handle);
      return pred(last) ? last : undefined;
    }, timeoutMs, 200);
  } catch (err) {
    // Say where it got stuck: phase, step and the latest events.
    const events = last?.events.slice(-6).map((e) => `  ${e.at} ${e.level} ${e.phase ?? ''} ${e.message}`).join('\n');
    throw new Error(`${(err as Error).message}\nlast state: ${last?.phase} step=${last?.step} pending=${last?.pendingReason} failure=${last?.failure}\n${events}`);
  }
}

export const waitForPhase = (handle: WorkflowHandle, phase: InstanceState['phase'], timeoutMs?: number) =>
  waitForState(handle, `phase ${phase}`, (s) => s.phase === phase, timeoutMs);

/** Waits until the platform database shows the phase (the query may run ahead of committed writes). */
export function waitForRecordedPhase(stack: TestStack, instanceId: string, phase: InstanceState['phase']) {
  return waitFor(`recorded phase ${phase}`, async () => (await stack.db.instance.findUnique({ where: { id: instanceId } }))?.phase === phase);
}
