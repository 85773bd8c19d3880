// How much of the credited amount is used, against the alert thresholds (fixed by the platform at
// 75, 90 and 100 %): which were crossed. Each crossing also raises a notice.
import { Badge, Card, Group, Progress, Stack, Text, Title } from '@mantine/core';
import type { Billing } from '../../api/types';

export function BudgetCard({ billing }: { billing: Billing }) {
  const { usedPercent, thresholds, crossed } = billing.budget;
  const highest = Math.max(0, ...crossed);
  const color = highest >= 100 ? 'red' : highest >= 90 ? 'orange' : highest > 0 ? 'yellow' : 'blue';
  return (
    <Card withBorder component="section" aria-labelledby="budget-heading">
      <Stack gap="xs">
        <Title order={2} size="h4" id="budget-heading">
          Budget alerts
        </Title>
        <Text size="sm">
          {billing.used.formatted} used of {billing.credited.formatted} credited ({usedPercent.toFixed(usedPercent < 10 ? 1 : 0)} %).
        </Text>
        <Progress value={usedPercent} color={color} aria-label="Credits used" />
        <Group gap="xs" role="list" aria-label="Alert thresholds">
          {thresholds.map((t) => {
            const hit = crossed.includes(t);
            return (
              <Badge key={t} role="listitem" variant={hit ? 'filled' : 'outline'} color={hit ? (t >= 100 ? 'red' : 'orange') : 'gray'} aria-label={`${t} %: ${hit ? 'crossed' : 'not crossed'}`}>
                {t} % {hit ? '· crossed' : ''}
              </Badge>
            );
          })}
        </Group>
        <Text size="xs" c="dimmed">
          When usage crosses a threshold, a notice appears here and on the dashboard; at 100 % running instances are stopped (their data is kept). The thresholds are set by the platform and
          re-arm whenever credits are added.
        </Text>
      </Stack>
    </Card>
  );
}
