// Usage over time as a chart: credits per hour or day in total (an area), or stacked per instance
// (bars). Amounts on the axis are rounded; exact amounts are in the tables and the ledger.
import { AreaChart, BarChart } from '@mantine/charts';
import { Text } from '@mantine/core';
import type { UsageSeries } from '../../api/types';
import { formatCredits } from '../../lib/format';
import { bucketLabel } from './usage';

// The axis shows bare numbers (credits, as the tooltip and the headings say), wide enough for small
// amounts on one line.
const Y_AXIS = { width: 72, tickFormatter: (v: number) => formatCredits(v).replace(/ cr$/, '') };
const COLORS = ['blue.6', 'teal.6', 'grape.6', 'orange.6', 'cyan.6', 'pink.6', 'lime.6', 'indigo.6'];

export function UsageChart({ usage, byInstance = false, h = 220 }: { usage: UsageSeries; byInstance?: boolean; h?: number }) {
  if (usage.total.micro === 0) {
    return (
      <Text c="dimmed" size="sm" data-testid="usage-empty">
        No usage in this period. Running and stopped instances use credits; destroyed ones do not.
      </Text>
    );
  }
  const label = `Usage per ${usage.granularity}, ${usage.total.formatted} in total`;
  if (!byInstance) {
    const data = usage.series.map((b) => ({ time: bucketLabel(b.start, usage.granularity), credits: b.credits }));
    return (
      <div role="img" aria-label={label}>
        <AreaChart h={h} data={data} dataKey="time" series={[{ name: 'credits', label: 'Credits', color: 'blue.6' }]} curveType="step" withDots={false} valueFormatter={formatCredits} tickLine="none" gridAxis="y" yAxisProps={Y_AXIS} />
      </div>
    );
  }
  const series = usage.instances.map((i, n) => ({ name: i.id, label: i.name, color: COLORS[n % COLORS.length] }));
  const data = usage.series.map((b) => ({
    time: bucketLabel(b.start, usage.granularity),
    ...Object.fromEntries(usage.instances.map((i) => [i.id, (b.byInstance[i.id] ?? 0) / 1e6])),
  }));
  return (
    <div role="img" aria-label={`${label}, by instance`}>
      <BarChart h={h} data={data} dataKey="time" type="stacked" series={series} valueFormatter={formatCredits} tickLine="none" gridAxis="y" yAxisProps={Y_AXIS} withLegend={series.length > 1} />
    </div>
  );
}
