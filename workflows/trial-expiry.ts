/**
 * Trial-credit expiry, run by the Temporal Schedule `trial-expiry` (worker/schedules.ts, hourly).
 *
 * Flow: list organizations whose trial has ended and was not processed → signal each tenant workflow
 *       `trialEnded`. The tenant workflow does the rest durably: expires unused trial credits (one
 *       ledger entry, key `trial-expiry:<tenant>`), notifies, suspends it without a paid plan, and
 *       destroys its instances when the grace period passes.
 * Compensation: none (signals only).
 * Idempotency: a tenant counts as processed once its expiry entry exists; signalling twice is
 *       harmless (the tenant workflow ignores a second `trialEnded`). Overlapping runs are skipped by
 *       the schedule's overlap policy.
 */
import { getExternalWorkflowHandle, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { nonRetryableErrorTypes } from './errors';
import { trialEndedSignal } from './tenant';

const platform = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', maximumInterval: '1 minute', maximumAttempts: 10, nonRetryableErrorTypes },
});

export async function trialExpiryWorkflow(): Promise<{ signalled: number; missing: string[] }> {
  const due = await platform.listTrialsEnded(new Date().toISOString());
  const missing: string[] = [];
  for (const t of due) {
    try {
      await getExternalWorkflowHandle(t.workflowId).signal(trialEndedSignal);
    } catch {
      // The tenant workflow is gone (closed organization): nothing to expire; an operator sees it here.
      missing.push(t.tenantId);
    }
  }
  return { signalled: due.length - missing.length, missing };
}
