// What an order costs at the organization's prices and whether it fits its quotas, next to the form,
// so nobody finds out after clicking.
import { Card, Divider, Group, List, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconCheck, IconX } from '@tabler/icons-react';
import type { Estimate, ProviderInfo } from '../../api/types';
import { ErrorState, Loading } from '../../components/QueryState';
import { formatDuration, formatMemoryMb } from '../../lib/format';
import type { QuotaLine, Size } from './instance-rules';

const quotaText = (l: QuotaLine) =>
  l.what === 'memory'
    ? `Memory: ${formatMemoryMb(l.used)} used + ${formatMemoryMb(l.adding)} of ${formatMemoryMb(l.limit)}`
    : l.what === 'vCPU'
      ? `vCPU: ${+l.used.toFixed(2)} used + ${l.adding} of ${l.limit}`
      : `Instances: ${l.used} + 1 of ${l.limit}`;

export function OrderSummary({
  provider,
  size,
  estimate,
  quota,
}: {
  provider: ProviderInfo;
  size: Size;
  estimate: { data?: Estimate; error: unknown; isPending: boolean; refetch: () => unknown };
  quota: { ok: boolean; lines: QuotaLine[] } | undefined;
}) {
  return (
    <Card withBorder data-testid="cost-estimate">
      <Stack gap="sm">
        <Title order={2} size="h4">
          Estimated cost
        </Title>
        <Text size="sm" c="dimmed">
          {provider.label} · {size.label}
        </Text>
        {provider.typicalProvisionSeconds != null && (
          <Text size="sm" data-testid="typical-provision">
            Usually running about {formatDuration(provider.typicalProvisionSeconds * 1000)} after it starts provisioning.
          </Text>
        )}
        {estimate.error ? (
          <ErrorState title="No estimate" error={estimate.error} onRetry={() => void estimate.refetch()} />
        ) : !estimate.data ? (
          <Loading label="Estimating…" />
        ) : (
          <Stack gap={6}>
            <Group justify="space-between" wrap="nowrap" align="flex-start">
              <Text>While running</Text>
              <Text fw={700}>{estimate.data.perHour.formatted} / hour</Text>
            </Group>
            <Group justify="space-between" wrap="nowrap" align="flex-start">
              <Text size="sm" c="dimmed">
                While stopped (disk and address kept)
              </Text>
              <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                {estimate.data.allocatedPerHour.formatted} / hour
              </Text>
            </Group>
            <Group justify="space-between" wrap="nowrap" align="flex-start">
              <Text size="sm" c="dimmed">
                Running all month
              </Text>
              <Text size="sm">{estimate.data.monthly.formatted}</Text>
            </Group>
            <Divider my={4} />
            <Group justify="space-between" wrap="nowrap" align="flex-start">
              <Text size="sm">Your balance</Text>
              <Text size="sm" fw={600}>
                {estimate.data.balance.formatted}
              </Text>
            </Group>
            <Text size="sm" c="dimmed">
              {estimate.data.affordableHours === null
                ? 'Free at your plan’s prices.'
                : estimate.data.affordableHours <= 0
                  ? 'Your balance does not cover any running time.'
                  : `Your balance runs this alone for about ${formatDuration(estimate.data.affordableHours * 3_600_000)}.`}
            </Text>
          </Stack>
        )}
        <Divider />
        <Title order={3} size="h5">
          Quota
        </Title>
        {quota ? (
          <List spacing={4} size="sm" center aria-label="Quota check">
            {quota.lines.map((l) => (
              <List.Item
                key={l.what}
                icon={
                  <ThemeIcon size={18} radius="xl" color={l.ok ? 'green' : 'red'} aria-label={l.ok ? 'fits' : 'over quota'}>
                    {l.ok ? <IconCheck size={12} /> : <IconX size={12} />}
                  </ThemeIcon>
                }
              >
                <Text size="sm" c={l.ok ? undefined : 'red'}>
                  {quotaText(l)}
                </Text>
              </List.Item>
            ))}
          </List>
        ) : (
          <Loading />
        )}
      </Stack>
    </Card>
  );
}
