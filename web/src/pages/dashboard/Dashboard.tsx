// The organization at a glance: what to do next (onboarding), what needs attention (credits, notices,
// failed instances), instances by phase, credits and how long they last, the trial, usage lately.
import { Alert, Anchor, Button, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconPlus } from '@tabler/icons-react';
import { Link } from 'react-router-dom';
import { $api } from '../../api/client';
import type { Instance, Tenant } from '../../api/types';
import { permissionsOf, useTenant, useTenantId } from '../../app/session';
import { PageHeader } from '../../components/PageHeader';
import { ErrorState, Loading, QueryState } from '../../components/QueryState';
import { formatMemoryMb, formatVcpu } from '../../lib/format';
import { BalanceCard } from '../billing/BalanceCard';
import { LowBalanceAlert, NoticeList } from '../billing/BillingAlerts';
import { UsageChart } from '../billing/UsageChart';
import { useUsage } from '../billing/usage';
import { recentFailures } from './dashboard-rules';
import { OnboardingChecklist } from './OnboardingChecklist';
import { PhaseCounts } from './PhaseCounts';
import { TrialCard } from './TrialCard';

/** Notices on the dashboard; the billing page lists them all. */
const DASHBOARD_NOTICES = 3;

export function Dashboard() {
  const tenantId = useTenantId();
  const tenant = useTenant(tenantId);
  // Destroyed and failed ones too: onboarding counts any instance ever ordered, and failures are alerts.
  const instances = $api.useQuery('get', '/tenants/{tenantId}/instances', { params: { path: { tenantId }, query: { limit: 200, includeDestroyed: 'true' } } }, { refetchInterval: 15_000 });
  const billing = $api.useQuery('get', '/tenants/{tenantId}/billing', { params: { path: { tenantId } } }, { refetchInterval: 60_000 });
  const usage = useUsage(tenantId, '7');
  if (tenant.error && !tenant.data) return <ErrorState error={tenant.error} onRetry={() => void tenant.refetch()} />;
  if (!tenant.data) return <Loading />;

  const may = permissionsOf(tenant.data);
  const items = instances.data?.items ?? [];
  const billingLink = `/t/${tenantId}/billing`;
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
        {billing.data && <LowBalanceAlert billing={billing.data} billingLink={billingLink} />}
        <FailedInstancesAlert tenantId={tenantId} items={items} />
        {billing.data && <NoticeList notices={billing.data.notices} limit={DASHBOARD_NOTICES} />}
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <QueryState query={billing} loadingLabel="Loading the balance…">
            {(b) => (
              <BalanceCard
                billing={b}
                footer={
                  <Anchor component={Link} to={billingLink} size="sm">
                    Billing & usage
                  </Anchor>
                }
              />
            )}
          </QueryState>
          <TrialCard tenant={tenant.data} />
          <QuotaCard tenant={tenant.data} />
        </SimpleGrid>
        <QueryState query={instances} loadingLabel="Loading instances…">
          {() => <PhaseCounts tenantId={tenantId} items={items} />}
        </QueryState>
        <Card withBorder component="section" aria-labelledby="usage-heading">
          <Group justify="space-between" mb="sm">
            <Title order={2} size="h4" id="usage-heading">
              Usage in credits, last 7 days
            </Title>
            <Anchor component={Link} to={billingLink} size="sm">
              Usage by instance
            </Anchor>
          </Group>
          <QueryState query={usage} loadingLabel="Loading usage…">
            {(u) => <UsageChart usage={u} h={180} />}
          </QueryState>
        </Card>
      </Stack>
    </>
  );
}

function FailedInstancesAlert({ tenantId, items }: { tenantId: string; items: Instance[] }) {
  const failed = recentFailures(items);
  if (!failed.length) return null;
  return (
    <Alert color="red" icon={<IconAlertTriangle size={18} />} title={failed.length === 1 ? 'An instance failed' : `${failed.length} instances failed`} data-testid="failed-instances">
      <Text size="sm">
        {failed.map((i, n) => (
          <span key={i.id}>
            {n > 0 && ', '}
            <Anchor component={Link} to={`/t/${tenantId}/instances/${i.id}`} size="sm">
              {i.name}
            </Anchor>
          </span>
        ))}{' '}
        did not come up. Open {failed.length === 1 ? 'it' : 'one'} to see why; destroy it to free its quota.
      </Text>
    </Alert>
  );
}

function QuotaCard({ tenant }: { tenant: Tenant }) {
  return (
    <Card withBorder component="section" aria-label="Quota in use">
      <Stack gap={4}>
        <Text size="sm" c="dimmed">
          Quota in use
        </Text>
        <Text size="sm">
          {tenant.usage.instances} of {tenant.quotas.maxInstances} instances
        </Text>
        <Text size="sm">
          {tenant.usage.vcpu} of {formatVcpu(tenant.quotas.maxVcpu)}
        </Text>
        <Text size="sm">
          {formatMemoryMb(tenant.usage.memoryMb)} of {formatMemoryMb(tenant.quotas.maxMemoryMb)} memory
        </Text>
      </Stack>
    </Card>
  );
}
