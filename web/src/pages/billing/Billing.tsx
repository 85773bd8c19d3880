// Billing & usage: the balance and what it lasts, the plan (owners change it), credit alerts, the
// monthly budget (admins set it), notices, usage by instance, and the ledger. Top-ups are made by
// Tenantry, not from the console.
import { Card, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useMemo } from 'react';
import { $api } from '../../api/client';
import { permissionsOf, useTenant, useTenantId } from '../../app/session';
import { PageHeader } from '../../components/PageHeader';
import { Loading, QueryState } from '../../components/QueryState';
import { formatDate, formatRelative } from '../../lib/format';
import { BalanceCard } from './BalanceCard';
import { LowBalanceAlert, NoticeList } from './BillingAlerts';
import { BudgetCard } from './BudgetCard';
import { LedgerTable } from './LedgerTable';
import { MonthlyBudgetCard } from './MonthlyBudgetCard';
import { PlanCard } from './PlanCard';
import { UsageSection } from './UsageSection';

export function Billing() {
  const tenantId = useTenantId();
  // TenantFrame has loaded the organization before rendering this page.
  const tenant = useTenant(tenantId).data;
  const billing = $api.useQuery('get', '/tenants/{tenantId}/billing', { params: { path: { tenantId } } }, { refetchInterval: 60_000 });
  // Only for the names of instances in the ledger (it carries ids); the same query as the dashboard's.
  const instances = $api.useQuery('get', '/tenants/{tenantId}/instances', { params: { path: { tenantId }, query: { limit: 200, includeDestroyed: 'true' } } });
  const instanceNames = useMemo(() => new Map((instances.data?.items ?? []).map((i) => [i.id, i.name])), [instances.data]);
  if (!tenant) return <Loading />;
  return (
    <>
      <PageHeader title="Billing & usage" description={`Credits, plan and usage of ${tenant.name}.`} />
      <Stack gap="lg">
        <QueryState query={billing} loadingLabel="Loading billing…">
          {(b) => (
            <Stack gap="lg">
              <LowBalanceAlert billing={b} />
              <SimpleGrid cols={{ base: 1, md: 2 }}>
                <BalanceCard
                  billing={b}
                  footer={
                    <>
                      {b.suspended && (
                        <Text size="sm" c="red" data-testid="suspension">
                          Suspended{b.statusReason ? `: ${b.statusReason}` : ''}.{b.graceUntil ? ` Instances are destroyed ${formatRelative(b.graceUntil)} (${formatDate(b.graceUntil)}) unless credits are added.` : ''}
                        </Text>
                      )}
                      <Text size="xs" c="dimmed">
                        To add credits, contact your Tenantry account manager; top-ups appear in the ledger below.
                      </Text>
                    </>
                  }
                />
                <PlanCard tenant={tenant} mayChange={permissionsOf(tenant).own} />
              </SimpleGrid>
              <SimpleGrid cols={{ base: 1, md: 2 }}>
                <BudgetCard billing={b} />
                <MonthlyBudgetCard tenantId={tenantId} billing={b} mayChange={permissionsOf(tenant).administer} />
              </SimpleGrid>
              <Card withBorder component="section" aria-labelledby="notices-heading">
                <Title order={2} size="h4" id="notices-heading" mb="sm">
                  Notices
                </Title>
                {b.notices.length ? (
                  <NoticeList notices={b.notices} />
                ) : (
                  <Text size="sm" c="dimmed">
                    No notices. Budget thresholds, the end of the trial and suspensions are announced here.
                  </Text>
                )}
              </Card>
            </Stack>
          )}
        </QueryState>
        <UsageSection tenantId={tenantId} />
        <LedgerTable tenantId={tenantId} balance={billing.data?.balance} instanceNames={instanceNames} />
      </Stack>
    </>
  );
}
