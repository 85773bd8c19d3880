// The usage series for a chosen period (last 24 hours, 7 or 30 days), as the charts and the per-instance
// table read it.
import { $api } from '../../api/client';
import type { UsageSeries } from '../../api/types';

export const USAGE_PERIODS = [
  { value: '1', label: 'Last 24 hours' },
  { value: '7', label: 'Last 7 days' },
  { value: '30', label: 'Last 30 days' },
] as const;
export type UsagePeriod = (typeof USAGE_PERIODS)[number]['value'];

const HOUR = 3_600_000;

export function useUsage(tenantId: string, days: UsagePeriod = '7') {
  // `from` starts on a whole hour, so the query key stays the same between renders (and within the
  // hour); `to` is left to the server (now).
  const from = new Date(Math.floor(Date.now() / HOUR) * HOUR - Number(days) * 24 * HOUR).toISOString();
  return $api.useQuery('get', '/tenants/{tenantId}/billing/usage', { params: { path: { tenantId }, query: { from } } }, { refetchInterval: 5 * 60_000 });
}

const hourLabel = new Intl.DateTimeFormat(undefined, { weekday: 'short', hour: '2-digit', minute: '2-digit' });
const dayLabel = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });

/** The label of a bucket on the chart's axis. */
export function bucketLabel(start: string, granularity: UsageSeries['granularity']): string {
  return (granularity === 'hour' ? hourLabel : dayLabel).format(new Date(start));
}
