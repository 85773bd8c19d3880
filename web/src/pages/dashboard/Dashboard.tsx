// The organization at a glance: what to do next (onboarding), instances by phase, credits and how long
// they last, the trial, and anything that needs attention.
import { Alert, Anchor, Badge, Button, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { Link } from 'react-router-dom';
import { $api } from '../../api/client';
import type { Instance, InstancePhase } from '../../api/types';
import { permissionsOf, useTenant, useTenantId } from '../../app/session';
import { PageHeader } from '../../components/PageHeader';
import { PhaseBadge } from '../../components/PhaseBadge';
import { ErrorState, Loading } from '../../components/QueryState';
import { formatDate, formatDuration } from '../../lib/format';
import { OnboardingChecklist } from './OnboardingChecklist';

export function Dashboard() {
  const tenantId = useTenantId();
  const tenant = useTenant();
  const may = permissionsOf(tenant.data);
  const instances = $api.useQuery('get', '/tenants/{tenantId}/instances', { params: { path: { tenantId }, query: { limit: 100 } } }, { refetchInterval: 10_000 });
  const billing = $api.useQuery('get', '/tenants/{tenantId}/billing', { params: { path: { tenantId } } }, { refetchInterval: 60_000 });
  if (tenant.error) return <ErrorState error={tenant.error} onRetry={() => void tenant.refetch()} />;
  if (!tenant.data) return <Loading />;

  const items = instances.data?.items ?? [];
  const create = may.operate && (
    <Button component={Link} to={`/t/${tenantId}/instances/new`} leftSection={<IconPlus size={16} />}>
      Create instance
    </Button>
  );
  return (
    <>
      <PageHeader title={tenant.data.name} description={`${tenant.data.slug} · ${tenant.data.plan.name} plan`} actions={create} />
      <Stack gap="lg">
        {may.operate && instances.data && <OnboardingChecklist tenantId={tenantId} instances={items} />}
        {billing.data?.notices.map((n) => (
          <Alert key={n.id} color={n.level === 'error' || n.level === 'critical' ? 'red' : 'yellow'} title={n.kind.replace(/[_.]/g, ' ')}>
            {n.message}
          </Alert>
        ))}
        {items.some((i) => i.phase === 'failed') && (
          <Alert color="red" title="An instance failed">
            {items.filter((i) => i.phase === 'failed').map((i) => i.name).join(', ')} did not come up; open it to see why.
          </Alert>
        )}
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <Card withBorder>
            <Text size="sm" c="dimmed">
              Credit balance
            </Text>
            {billing.error ? (
              <ErrorState error={billing.error} onRetry={() => void billing.refetch()} />
            ) : billing.data ? (
              <Stack gap={2}>
                <Title order={2} size="h3" data-testid="balance">
                  {billing.data.balance.formatted}
                </Title>
                <Text size="sm">burning {billing.data.burnRate.perHour.formatted} / hour</Text>
                <Text size="sm" c="dimmed">
                  {billing.data.runway.hours === null ? 'Nothing is running at a cost.' : `Lasts about ${formatDuration(billing.data.runway.hours * 3_600_000)} at this rate.`}
                </Text>
              </Stack>
            ) : (
              <Loading />
            )}
          </Card>
          <Card withBorder>
            <Text size="sm" c="dimmed">
              Plan
            </Text>
            <Title order={2} size="h3">
              {tenant.data.plan.name}
            </Title>
            {billing.data?.trial && !billing.data.trial.ended && billing.data.trial.endsAt ? (
              <Text size="sm" data-testid="trial-countdown">
                Trial: {billing.data.trial.daysLeft} {billing.data.trial.daysLeft === 1 ? 'day' : 'days'} left (until {formatDate(billing.data.trial.endsAt)}).{' '}
                <Anchor component={Link} to={`/t/${tenantId}/billing`} size="sm">
                  Upgrade
                </Anchor>
              </Text>
            ) : (
              <Anchor component={Link} to={`/t/${tenantId}/billing`} size="sm">
                Billing & usage
              </Anchor>
            )}
          </Card>
          <Card withBorder>
            <Text size="sm" c="dimmed">
              Quota in use
            </Text>
            <Text size="sm">
              {tenant.data.usage.instances} of {tenant.data.quotas.maxInstances} instances
            </Text>
            <Text size="sm">
              {tenant.data.usage.vcpu} of {tenant.data.quotas.maxVcpu} vCPU
            </Text>
            <Text size="sm">
              {tenant.data.usage.memoryMb} of {tenant.data.quotas.maxMemoryMb} MB memory
            </Text>
          </Card>
        </SimpleGrid>
        <Card withBorder>
          <Group justify="space-between" mb="sm">
            <Title order={2} size="h4">
              Instances by phase
            </Title>
            <Anchor component={Link} to={`/t/${tenantId}/instances`} size="sm">
              All instances
            </Anchor>
          </Group>
          {instances.error ? <ErrorState error={instances.error} onRetry={() => void instances.refetch()} /> : !instances.data ? <Loading /> : <PhaseCounts items={items} />}
        </Card>
      </Stack>
    </>
  );
}

function PhaseCounts({ items }: { items: Instance[] }) {
  if (!items.length) return <Text c="dimmed">No instances yet.</Text>;
  const counts = new Map<InstancePhase, number>();
  for (const i of items) counts.set(i.phase, (counts.get(i.phase) ?? 0) + 1);
  return (
    <Group gap="lg" data-testid="phase-counts">
      {[...counts].map(([phase, n]) => (
        <Group key={phase} gap={6}>
          <PhaseBadge phase={phase} />
          <Badge variant="outline" color="gray" circle>
            {n}
          </Badge>
        </Group>
      ))}
    </Group>
  );
}
