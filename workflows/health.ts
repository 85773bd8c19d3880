/**
 * Health, for customers and operators.
 *  - healthSweepWorkflow (schedule `health-sweep`, every minute): asks each provider about its running
 *    instances and records when an app turns unhealthy or recovers (event + `healthy` flag), so a
 *    broken app never shows as simply "running". One activity per provider per minute, however many
 *    instances: cheaper than a timer per instance workflow.
 *  - platformHealthWorkflow (on demand, for GET /api/admin/health): the platform and tenant Postgres
 *    and each provider's service (Docker engine, Orka cluster, Azure ARM).
 * Compensation: none (reads and health flags only). Idempotency: a sweep writes only changes, keyed by time.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { ProviderName } from '../lib/catalog';

const health = proxyActivities<Activities>({ startToCloseTimeout: '50 seconds', retry: { maximumAttempts: 2 } });

export async function healthSweepWorkflow(providers: ProviderName[]): Promise<Record<string, { checked: number; changed: number }>> {
  const now = new Date().toISOString();
  const results = await Promise.all(providers.map((p) => health.sweepInstanceHealth(p, now)));
  return Object.fromEntries(providers.map((p, i) => [p, results[i]]));
}

export async function platformHealthWorkflow() {
  return health.platformHealth();
}
