// The organization's own monthly budget: this month's charged usage against it, which alert
// thresholds were crossed, and (organization-wide admins) setting, changing or removing it. A budget
// alerts; it stops nothing. Running out of credits is what stops instances.
import { Button, Card, Group, NumberInput, Progress, Stack, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { $api } from '../../api/client';
import type { Billing } from '../../api/types';
import { applyApiErrors } from '../../components/forms';
import { thresholdColor, ThresholdBadges } from './BudgetCard';

const monthName = (key: string) => new Date(`${key}-01T00:00:00Z`).toLocaleDateString(undefined, { month: 'long', year: 'numeric', timeZone: 'UTC' });

export function MonthlyBudgetCard({ tenantId, billing, mayChange }: { tenantId: string; billing: Billing; mayChange: boolean }) {
  const { limit, used, usedPercent, thresholds, crossed, month } = billing.monthlyBudget;
  const color = thresholdColor(crossed, 80, 'teal');
  return (
    <Card withBorder component="section" aria-labelledby="monthly-budget-heading">
      <Stack gap="xs">
        <Title order={2} size="h4" id="monthly-budget-heading">
          Monthly budget
        </Title>
        {limit && usedPercent !== null ? (
          <>
            <Text size="sm" data-testid="monthly-budget-usage">
              {used.formatted} used of {limit.formatted} in {monthName(month)} ({usedPercent.toFixed(usedPercent < 10 ? 1 : 0)} %).
            </Text>
            <Progress value={Math.min(100, usedPercent)} color={color} aria-label="Monthly budget used" />
            <ThresholdBadges label="Monthly budget thresholds" thresholds={thresholds} crossed={crossed} />
          </>
        ) : (
          <Text size="sm" data-testid="monthly-budget-usage">
            No monthly budget. {used.formatted} used in {monthName(month)} so far.
          </Text>
        )}
        {mayChange && <BudgetForm tenantId={tenantId} current={limit?.credits ?? null} />}
        <Text size="xs" c="dimmed">
          A notice appears here and on the dashboard when this month’s usage passes {thresholds.slice(0, -1).join(' %, ')} % and {thresholds.at(-1)} % of the budget. A budget only alerts: instances keep running
          (running out of credits is what stops them). Months are calendar months in UTC.
        </Text>
      </Stack>
    </Card>
  );
}

function BudgetForm({ tenantId, current }: { tenantId: string; current: number | null }) {
  const queryClient = useQueryClient();
  const save = $api.useMutation('put', '/tenants/{tenantId}/billing/budget');
  const [error, setError] = useState<string>();
  const form = useForm<{ monthlyCredits: number | string }>({
    initialValues: { monthlyCredits: current ?? '' },
    validate: { monthlyCredits: (v) => (typeof v === 'number' && v >= 0.01 ? null : 'Enter at least 0.01 credits') },
  });

  async function put(monthlyCredits: number | null) {
    setError(undefined);
    try {
      const out = await save.mutateAsync({ params: { path: { tenantId } }, body: { monthlyCredits } });
      notifications.show({ color: 'teal', message: out.monthlyBudget ? `Monthly budget set to ${out.monthlyBudget.formatted}.` : 'Monthly budget removed.' });
      form.setValues({ monthlyCredits: out.monthlyBudget?.credits ?? '' });
      form.resetDirty();
      await queryClient.invalidateQueries({ queryKey: ['get', '/tenants/{tenantId}/billing'] });
    } catch (err) {
      setError(applyApiErrors(form, err));
    }
  }

  return (
    <form onSubmit={form.onSubmit((v) => void put(Number(v.monthlyCredits)))} noValidate aria-label="Monthly budget">
      <Group align="flex-start" gap="xs" wrap="wrap">
        <NumberInput label="Budget per month (credits)" min={0.01} decimalScale={6} thousandSeparator="," w={240} {...form.getInputProps('monthlyCredits')} />
        <Group gap="xs" mt={25}>
          <Button type="submit" loading={save.isPending && save.variables?.body.monthlyCredits !== null} disabled={!form.isDirty()}>
            {current === null ? 'Set budget' : 'Change budget'}
          </Button>
          {current !== null && (
            <Button variant="subtle" color="red" onClick={() => void put(null)} loading={save.isPending && save.variables?.body.monthlyCredits === null}>
              Remove budget
            </Button>
          )}
        </Group>
      </Group>
      {error && (
        <Text size="sm" c="red" role="alert" mt={4}>
          {error}
        </Text>
      )}
    </form>
  );
}
