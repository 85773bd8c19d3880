/**
 * Read-only looks at the providers for the API, which never calls a provider itself: a short workflow
 * per request runs the provider's `status` + `metrics` (or the tenant Postgres metrics) and returns.
 * Ids: `metrics-<instanceId>-<requestId>` / `dbmetrics-<tenantId>-<requestId>`.
 * Compensation: none (read-only). Idempotency: nothing to repeat; a retry just reads again.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { InstanceTarget, ProviderMetrics, ProviderStatus } from '../activities/providers/contract';

const providers = proxyActivities<Record<string, (t: InstanceTarget) => Promise<unknown>>>({
  startToCloseTimeout: '20 seconds',
  retry: { maximumAttempts: 2 },
});
const platform = proxyActivities<Activities>({ startToCloseTimeout: '20 seconds', retry: { maximumAttempts: 2 } });

export async function instanceMetricsWorkflow(t: InstanceTarget): Promise<{ status: ProviderStatus; metrics: ProviderMetrics }> {
  const [status, metrics] = await Promise.all([
    providers[`${t.provider}.status`](t) as Promise<ProviderStatus>,
    providers[`${t.provider}.metrics`](t) as Promise<ProviderMetrics>,
  ]);
  return { status, metrics };
}

export async function tenantDatabaseMetricsWorkflow(tenantId: string) {
  return platform.tenantDatabaseMetrics(tenantId);
}
