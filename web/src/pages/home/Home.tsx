// Where "/" leads: your organization (the last one you opened, else the first), else your partner's
// view, else the operator console, else an invitation to create an organization.
import { Anchor, Stack, Text, Title } from '@mantine/core';
import { Link, Navigate } from 'react-router-dom';
import { Loading } from '../../components/QueryState';
import { lastTenantId } from '../../app/last-tenant';
import { useMe } from '../../app/session';

export function Home() {
  const me = useMe();
  if (!me.data) return <Loading />;
  const { memberships, partners, user } = me.data;
  const last = lastTenantId();
  const target = memberships.find((m) => m.tenantId === last) ?? memberships[0];
  if (target) return <Navigate to={`/t/${target.tenantId}`} replace />;
  if (partners[0]) return <Navigate to={`/partners/${partners[0].partnerId}`} replace />;
  if (user?.isOperator) return <Navigate to="/operator" replace />;
  return (
    <Stack align="center" py="xl" gap="xs">
      <Title order={1} size="h2">
        You are not in an organization yet
      </Title>
      <Text c="dimmed">Ask an admin of your organization for an invitation, or create one of your own.</Text>
      <Anchor component={Link} to="/signup">
        Create an organization
      </Anchor>
    </Stack>
  );
}
