// The signed-in frame: header (organization switcher, account menu), navigation for the organization
// in the URL, partner and operator sections for those who have them. Collapses behind a burger at
// phone width. Anyone not signed in is sent to sign in, and comes back where they were.
import { AppShell, Badge, Burger, Group, Menu, NavLink, ScrollArea, Select, Text, UnstyledButton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import {
  IconBuildingCommunity,
  IconChevronDown,
  IconCreditCard,
  IconGauge,
  IconKey,
  IconListDetails,
  IconLogout,
  IconServer2,
  IconShieldLock,
  IconUsers,
  IconLifebuoy,
  IconPlugConnected,
} from '@tabler/icons-react';
import { Suspense, type ReactNode } from 'react';
import { Link, Navigate, Outlet, useLocation, useMatch, useNavigate } from 'react-router-dom';
import { $api, ApiError, fetchClient } from '../api/client';
import type { Me } from '../api/types';
import { ErrorState, Loading } from '../components/QueryState';
import { permissionsOf, useMe, useTenant } from './session';

function OrganizationSwitcher({ me, tenantId }: { me: Me; tenantId: string | undefined }) {
  const navigate = useNavigate();
  const member = !tenantId || me.memberships.some((m) => m.tenantId === tenantId);
  // An organization reached through a partner or as an operator is not among the memberships: name it.
  const managed = $api.useQuery('get', '/tenants/{tenantId}', { params: { path: { tenantId: tenantId ?? '' } } }, { enabled: !member, staleTime: 10_000 });
  const data = me.memberships.map((m) => ({ value: m.tenantId, label: m.name }));
  if (tenantId && !member) data.push({ value: tenantId, label: managed.data ? `${managed.data.name} (managed)` : 'Managed organization' });
  if (data.length === 0) return null;
  return (
    <Select
      aria-label="Organization"
      data={data}
      value={tenantId ?? null}
      placeholder="Choose an organization"
      onChange={(v) => v && navigate(`/t/${v}`)}
      allowDeselect={false}
      w={{ base: 160, sm: 240 }}
      size="sm"
      comboboxProps={{ withinPortal: true }}
    />
  );
}

function AccountMenu({ me }: { me: Me }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  async function signOut() {
    await fetchClient.POST('/auth/logout').catch(() => undefined);
    queryClient.clear();
    navigate('/signin');
  }
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <UnstyledButton aria-label="Account">
          <Group gap={4}>
            <Text size="sm" fw={500} visibleFrom="xs">
              {me.user?.name ?? 'API key'}
            </Text>
            <IconChevronDown size={14} />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{me.user?.email}</Menu.Label>
        <Menu.Item component="a" href="/api/docs" target="_blank" leftSection={<IconLifebuoy size={14} />}>
          API reference
        </Menu.Item>
        <Menu.Item leftSection={<IconLogout size={14} />} onClick={signOut}>
          Sign out
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

function NavItem({ to, label, icon, end, onNavigate }: { to: string; label: string; icon: ReactNode; end?: boolean; onNavigate: () => void }) {
  const active = useMatch({ path: to, end: end ?? false });
  return <NavLink component={Link} to={to} label={label} leftSection={icon} active={!!active} onClick={onNavigate} aria-current={active ? 'page' : undefined} />;
}

function TenantNav({ tenantId, onNavigate }: { tenantId: string; onNavigate: () => void }) {
  const tenant = useTenant(tenantId);
  const can = permissionsOf(tenant.data);
  const base = `/t/${tenantId}`;
  return (
    <>
      <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" pt="xs" pb={4} truncate>
        {tenant.data?.name ?? 'Organization'}
      </Text>
      <NavItem to={base} end label="Dashboard" icon={<IconGauge size={18} />} onNavigate={onNavigate} />
      <NavItem to={`${base}/instances`} label="Instances" icon={<IconServer2 size={18} />} onNavigate={onNavigate} />
      <NavItem to={`${base}/credentials`} label="Cloud credentials" icon={<IconPlugConnected size={18} />} onNavigate={onNavigate} />
      <NavItem to={`${base}/billing`} label="Billing & usage" icon={<IconCreditCard size={18} />} onNavigate={onNavigate} />
      <NavItem to={`${base}/team`} label="Team" icon={<IconUsers size={18} />} onNavigate={onNavigate} />
      <NavItem to={`${base}/api-keys`} label="API keys" icon={<IconKey size={18} />} onNavigate={onNavigate} />
      {can.viewAudit && <NavItem to={`${base}/audit`} label="Audit log" icon={<IconListDetails size={18} />} onNavigate={onNavigate} />}
    </>
  );
}

export function Shell() {
  const [opened, { toggle, close }] = useDisclosure();
  const me = useMe();
  const location = useLocation();
  const tenantMatch = useMatch({ path: '/t/:tenantId', end: false });
  const tenantId = tenantMatch?.params.tenantId;

  if (me.error instanceof ApiError && me.error.status === 401) {
    return <Navigate to={`/signin?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  }
  if (me.error) return <ErrorState error={me.error} onRetry={() => void me.refetch()} />;
  if (!me.data) return <Loading />;
  const m = me.data;

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 248, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
            <Text component={Link} to="/" fw={800} size="lg" c="indigo.7" style={{ textDecoration: 'none' }}>
              Tenantry
            </Text>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <OrganizationSwitcher me={m} tenantId={tenantId} />
            <AccountMenu me={m} />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Main navigation">
        <AppShell.Section grow component={ScrollArea}>
          {tenantId && <TenantNav tenantId={tenantId} onNavigate={close} />}
          {m.partners.length > 0 && (
            <>
              <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" pt="md" pb={4}>
                Partner
              </Text>
              {m.partners.map((p) => (
                <NavItem key={p.partnerId} to={`/partners/${p.partnerId}`} label={p.name} icon={<IconBuildingCommunity size={18} />} onNavigate={close} />
              ))}
            </>
          )}
          {m.user?.isOperator && (
            <>
              <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" pt="md" pb={4}>
                Operations
              </Text>
              <NavItem to="/operator" label="Operator console" icon={<IconShieldLock size={18} />} onNavigate={close} />
            </>
          )}
        </AppShell.Section>
        {m.user?.isOperator && (
          <AppShell.Section>
            <Badge color="red" variant="light" fullWidth>
              operator
            </Badge>
          </AppShell.Section>
        )}
      </AppShell.Navbar>
      <AppShell.Main>
        <Suspense fallback={<Loading />}>
          <Outlet />
        </Suspense>
      </AppShell.Main>
    </AppShell>
  );
}
