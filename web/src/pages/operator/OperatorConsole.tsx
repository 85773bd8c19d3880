// The operator console: stuck or long-running provisions (from Temporal visibility, each linked into
// the Temporal UI, with cancel), every organization (search, grant credits, suspend, resume), partners
// (create, people, organizations), and platform health. Tabs live in the URL (/operator/<tab>) so a
// link can be shared at 3 a.m.
import { Alert, Tabs } from '@mantine/core';
import { Navigate, useNavigate, useParams } from 'react-router-dom';
import { useMe } from '../../app/session';
import { PageHeader } from '../../components/PageHeader';
import { Loading } from '../../components/QueryState';
import { HealthTab } from './HealthTab';
import { OperationsTab } from './OperationsTab';
import { PartnersTab } from './PartnersTab';
import { TenantsTab } from './TenantsTab';

const TABS = ['operations', 'tenants', 'partners', 'health'] as const;
type Tab = (typeof TABS)[number];

export function OperatorConsole() {
  const me = useMe();
  const navigate = useNavigate();
  const { tab } = useParams();
  if (!me.data) return <Loading />;
  if (!me.data.user?.isOperator) {
    return (
      <>
        <PageHeader title="Operator console" />
        <Alert color="blue">Only Tenantry operators see this page.</Alert>
      </>
    );
  }
  if (tab && !TABS.includes(tab as Tab)) return <Navigate to="/operator" replace />;
  const current: Tab = (tab as Tab | undefined) ?? 'operations';
  return (
    <>
      <PageHeader title="Operator console" description="Every organization and every provision in progress. Actions here are audited as operator actions." />
      <Tabs value={current} onChange={(v) => v && navigate(v === 'operations' ? '/operator' : `/operator/${v}`)} keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="operations">Stuck provisions</Tabs.Tab>
          <Tabs.Tab value="tenants">Organizations</Tabs.Tab>
          <Tabs.Tab value="partners">Partners</Tabs.Tab>
          <Tabs.Tab value="health">Health</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="operations">
          <OperationsTab />
        </Tabs.Panel>
        <Tabs.Panel value="tenants">
          <TenantsTab />
        </Tabs.Panel>
        <Tabs.Panel value="partners">
          <PartnersTab />
        </Tabs.Panel>
        <Tabs.Panel value="health">
          <HealthTab />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
