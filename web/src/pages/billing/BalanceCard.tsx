// The credit balance at a glance: what is left, what running instances cost per hour and month, and
// when the balance runs out at that rate.
import { Badge, Card, Group, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import type { Billing } from '../../api/types';
import { formatDateTime } from '../../lib/format';
import { isLowBalance, runwayText } from './billing-rules';

export function BalanceCard({ billing, footer }: { billing: Billing; footer?: ReactNode }) {
  const low = isLowBalance(billing);
  return (
    <Card withBorder component="section" aria-label="Credit balance">
      <Stack gap={4}>
        <Group justify="space-between" gap="xs">
          <Text size="sm" c="dimmed">
            Credit balance
          </Text>
          {low && (
            <Badge color="red" variant="light">
              low
            </Badge>
          )}
        </Group>
        <Title order={2} size="h3" data-testid="balance">
          {billing.balance.formatted}
        </Title>
        <Text size="sm" data-testid="burn-rate">
          Burn rate {billing.burnRate.perHour.formatted} / hour ({billing.burnRate.perMonth.formatted} / month)
        </Text>
        <Text size="sm" c={low ? 'red' : 'dimmed'} data-testid="runway">
          {runwayText(billing)}
          {billing.runway.until && billing.balance.micro > 0 ? ` Until about ${formatDateTime(billing.runway.until)}.` : ''}
        </Text>
        {billing.unbilled.micro > 0 && (
          <Text size="xs" c="dimmed">
            About {billing.unbilled.formatted} of usage since the last billing window is not charged yet (the time left already counts it).
          </Text>
        )}
        {footer}
      </Stack>
    </Card>
  );
}
