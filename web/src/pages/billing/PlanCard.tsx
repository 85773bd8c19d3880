// The organization's plan and, for owners, changing it. A change is confirmed first because it changes
// prices and quotas at once; a paid plan also ends a trial suspension.
import { Alert, Button, Card, Group, Select, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { $api, errorMessage } from '../../api/client';
import type { Plan, Tenant } from '../../api/types';
import { confirmAction } from '../../components/confirm';
import { ErrorState } from '../../components/QueryState';
import { formatMemoryMb } from '../../lib/format';
import { daysUntil } from './billing-rules';

function planSummary(p: Plan): string {
  const q = p.quotas;
  const cheapest = p.prices.length ? p.prices.reduce((a, b) => (b.perHour.micro < a.perHour.micro ? b : a)) : undefined;
  return [`up to ${q.maxInstances} instances, ${q.maxVcpu} vCPU, ${formatMemoryMb(q.maxMemoryMb)}`, cheapest && `from ${cheapest.perHour.formatted} / hour`, p.paid ? 'paid' : `${p.trialDays}-day trial`]
    .filter(Boolean)
    .join(' · ');
}

export function PlanCard({ tenant, mayChange }: { tenant: Tenant; mayChange: boolean }) {
  const queryClient = useQueryClient();
  const plans = $api.useQuery('get', '/plans', undefined, { staleTime: 5 * 60_000 });
  const change = $api.useMutation('post', '/tenants/{tenantId}/plan');
  const [chosen, setChosen] = useState<string | null>(null);
  const [error, setError] = useState<string>();
  const current = plans.data?.plans.find((p) => p.code === tenant.plan.code);
  const target = plans.data?.plans.find((p) => p.code === chosen);
  const others = plans.data?.plans.filter((p) => p.code !== tenant.plan.code) ?? [];

  function confirmChange(plan: Plan) {
    confirmAction({
      title: `Change to the ${plan.name} plan?`,
      body: (
        <Stack gap="xs">
          <Text size="sm">From now on, usage is charged at the {plan.name} plan’s prices and its quotas apply: {planSummary(plan)}.</Text>
          {plan.paid ? (
            <Text size="sm">It is a paid plan: your organization is billed for it, and a suspension because the trial ended is lifted.</Text>
          ) : (
            <Text size="sm">It is not a paid plan: when its trial ends, instances are stopped unless you choose a paid one.</Text>
          )}
          <Text size="sm">Running instances keep running; nothing is deleted.</Text>
        </Stack>
      ),
      confirmLabel: `Change to ${plan.name}`,
      onConfirm: () => void submit(plan),
    });
  }

  async function submit(plan: Plan) {
    setError(undefined);
    try {
      await change.mutateAsync({ params: { path: { tenantId: tenant.id } }, body: { plan: plan.code } });
      setChosen(null);
      notifications.show({ color: 'teal', message: `Your organization is now on the ${plan.name} plan.` });
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: ['get', '/tenants/{tenantId}'] }),
        queryClient.invalidateQueries({ queryKey: ['get', '/tenants/{tenantId}/billing'] }),
      ]);
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  return (
    <Card withBorder component="section" aria-labelledby="plan-heading">
      <Stack gap="xs">
        <Title order={2} size="h4" id="plan-heading">
          Plan: {tenant.plan.name}
        </Title>
        {current && <Text size="sm">{planSummary(current)}</Text>}
        {!tenant.plan.paid && (
          <Text size="sm" c={daysUntil(tenant.trialEndsAt) <= 3 ? 'red' : 'dimmed'}>
            {daysUntil(tenant.trialEndsAt) > 0 ? `The trial ends in ${daysUntil(tenant.trialEndsAt)} days; unused trial credits expire then.` : 'The trial has ended.'}
          </Text>
        )}
        {plans.isError && <ErrorState error={plans.error} onRetry={() => void plans.refetch()} title="The plans could not be loaded" />}
        {mayChange ? (
          others.length > 0 && (
            <Group align="flex-end" wrap="wrap">
              <Select
                label="Change plan"
                placeholder="Choose a plan"
                data={others.map((p) => ({ value: p.code, label: `${p.name}${p.paid ? '' : ' (trial)'}` }))}
                value={chosen}
                onChange={setChosen}
                description={target ? planSummary(target) : undefined}
                w={{ base: '100%', sm: 320 }}
              />
              <Button disabled={!target} loading={change.isPending} onClick={() => target && confirmChange(target)}>
                Change plan
              </Button>
            </Group>
          )
        ) : (
          <Text size="sm" c="dimmed">
            Owners of the organization change its plan.
          </Text>
        )}
        {error && (
          <Alert color="red" role="alert" title="The plan was not changed">
            {error}
          </Alert>
        )}
      </Stack>
    </Card>
  );
}
