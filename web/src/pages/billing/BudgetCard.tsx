// How much of the credited amount is used, against the credit alert thresholds (fixed by the platform
// at 75, 90 and 100 %): which were crossed. Each crossing also raises a notice. The organization's own
// monthly budget is MonthlyBudgetCard.
import { Badge, Card, Group, Progress, Stack, Text, Title } from '@mantine/core';
import type { Billing } from '../../api/types';

/** The color of a usage bar by the highest threshold crossed: calm, then yellow, orange, red at 100 %. */
export function thresholdColor(crossed: number[], orangeFrom: number, calm: string) {
  const highest = Math.max(0, ...crossed);
  return highest >= 100 ? 'red' : highest >= orangeFrom ? 'orange' : highest > 0 ? 'yellow' : calm;
}

/** The alert thresholds as badges, the crossed ones filled. */
export function ThresholdBadges({ label, thresholds, crossed }: { label: string; thresholds: number[]; crossed: number[] }) {
  return (
    <Group gap="xs" role="list" aria-label={label}>
      {thresholds.map((t) => {
        const hit = crossed.includes(t);
        return (
          <Badge key={t} role="listitem" variant={hit ? 'filled' : 'outline'} color={hit ? (t >= 100 ? 'red' : 'orange') : 'gray'} aria-label={`${t} %: ${hit ? 'crossed' : 'not crossed'}`}>
            {t} % {hit ? '· crossed' : ''}
          </Badge>
        );
      })}
    </Group>
  );
}

export function BudgetCard({ billing }: { billing: Billing }) {
  const { usedPercent, thresholds, crossed } = billing.budget;
  const color = thresholdColor(crossed, 90, 'blue');
  return (
    <Card withBorder component="section" aria-labelledby="budget-heading">
      <Stack gap="xs">
        <Title order={2} size="h4" id="budget-heading">
          Credit alerts
        </Title>
        <Text size="sm">
          {billing.used.formatted} used of {billing.credited.formatted} credited ({usedPercent.toFixed(usedPercent < 10 ? 1 : 0)} %).
        </Text>
        <Progress value={usedPercent} color={color} aria-label="Credits used" />
        <ThresholdBadges label="Alert thresholds" thresholds={thresholds} crossed={crossed} />
        <Text size="xs" c="dimmed">
          When usage crosses a threshold, a notice appears here and on the dashboard; at 100 % running instances are stopped (their data is kept). The thresholds are set by the platform and
          re-arm whenever credits are added.
        </Text>
      </Stack>
    </Card>
  );
}
