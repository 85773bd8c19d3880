// Live metrics of a running instance, sampled every few seconds while the page is open and drawn as
// charts: CPU, memory against its limit, network throughput. Samples live in the page only.
import { LineChart } from '@mantine/charts';
import { Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { $api } from '../../api/client';
import type { Instance, InstanceMetrics as Metrics } from '../../api/types';
import { ErrorState } from '../../components/QueryState';
import { formatBytes, formatTime } from '../../lib/format';

const SAMPLE_EVERY_MS = 10_000;
const KEEP = 60;

export interface Sample {
  at: string;
  cpu: number | null;
  memoryMb: number | null;
  rxKbps: number | null;
  txKbps: number | null;
}

/** Turns successive readings into chart points; throughput is the byte counters' rate between two. */
export function toSample(current: Metrics['metrics'], previous: Metrics['metrics'] | undefined): Sample {
  const seconds = previous ? (new Date(current.at).getTime() - new Date(previous.at).getTime()) / 1000 : 0;
  const rate = (now?: number, before?: number) => (seconds > 0 && now !== undefined && before !== undefined && now >= before ? Math.round(((now - before) * 8) / 1000 / seconds) : null);
  return {
    at: current.at,
    cpu: current.cpuPercent ?? null,
    memoryMb: current.memoryBytes === undefined ? null : Math.round(current.memoryBytes / 1048576),
    rxKbps: rate(current.networkRxBytes, previous?.networkRxBytes),
    txKbps: rate(current.networkTxBytes, previous?.networkTxBytes),
  };
}

export function InstanceMetrics({ instance }: { instance: Instance }) {
  const running = instance.phase === 'running';
  const metrics = $api.useQuery('get', '/instances/{instanceId}/metrics', { params: { path: { instanceId: instance.id } } }, { enabled: running, refetchInterval: SAMPLE_EVERY_MS, retry: false });
  const [samples, setSamples] = useState<{ raw: Metrics['metrics']; point: Sample }[]>([]);
  const reading = metrics.data?.metrics;
  useEffect(() => {
    if (!reading) return;
    setSamples((all) => (all.at(-1)?.raw.at === reading.at ? all : [...all, { raw: reading, point: toSample(reading, all.at(-1)?.raw) }].slice(-KEEP)));
  }, [reading]);

  const points = samples.map((s) => ({ ...s.point, time: formatTime(s.point.at) }));
  const latest = reading;
  return (
    <Card withBorder>
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={2} size="h4">
            Metrics
          </Title>
          {latest && (
            <Text size="xs" c="dimmed">
              updated {formatTime(latest.at)} · every {SAMPLE_EVERY_MS / 1000} s
            </Text>
          )}
        </Group>
        {!running ? (
          <Text size="sm" c="dimmed">
            Metrics are read from the provider while the instance runs.
          </Text>
        ) : metrics.error && !samples.length ? (
          <ErrorState title="No metrics" error={metrics.error} onRetry={() => void metrics.refetch()} />
        ) : !samples.length ? (
          <Text size="sm" c="dimmed">
            Reading the first sample…
          </Text>
        ) : (
          <>
            <SimpleGrid cols={{ base: 1, xs: 3 }} data-testid="metrics-now">
              <Figure label="CPU" value={latest?.cpuPercent === undefined ? '—' : `${latest.cpuPercent.toFixed(1)} %`} />
              <Figure label="Memory" value={latest?.memoryBytes === undefined ? '—' : `${formatBytes(latest.memoryBytes)}${latest.memoryLimitBytes ? ` of ${formatBytes(latest.memoryLimitBytes)}` : ''}`} />
              <Figure label="Network in / out" value={latest?.networkRxBytes === undefined ? '—' : `${formatBytes(latest.networkRxBytes)} / ${formatBytes(latest.networkTxBytes ?? 0)}`} />
            </SimpleGrid>
            <SimpleGrid cols={{ base: 1, md: 3 }}>
              <Chart title="CPU %" data={points} series={[{ name: 'cpu', label: 'CPU %', color: 'blue.6' }]} />
              <Chart title="Memory (MB)" data={points} series={[{ name: 'memoryMb', label: 'Memory MB', color: 'teal.6' }]} />
              <Chart
                title="Network (kbit/s)"
                data={points}
                series={[
                  { name: 'rxKbps', label: 'in', color: 'indigo.6' },
                  { name: 'txKbps', label: 'out', color: 'orange.6' },
                ]}
              />
            </SimpleGrid>
          </>
        )}
      </Stack>
    </Card>
  );
}

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={600}>{value}</Text>
    </Stack>
  );
}

function Chart({ title, data, series }: { title: string; data: Record<string, unknown>[]; series: { name: string; label: string; color: string }[] }) {
  return (
    <Stack gap={4} role="figure" aria-label={title}>
      <Text size="sm" fw={500}>
        {title}
      </Text>
      <LineChart h={160} data={data} dataKey="time" series={series} curveType="monotone" withDots={false} connectNulls tickLine="none" gridAxis="y" withLegend={series.length > 1} />
    </Stack>
  );
}
