// Everything under /t/:tenantId: loads the organization once, answers "not found" for organizations
// the caller cannot see (the API's 404), and says loudly when the organization is suspended or its
// trial is about to end, on every page.
import { Alert, Anchor, Stack } from '@mantine/core';
import { IconAlertTriangle, IconHourglass } from '@tabler/icons-react';
import { Link, Outlet } from 'react-router-dom';
import { ApiError } from '../api/client';
import type { Tenant } from '../api/types';
import { ErrorState, Loading } from '../components/QueryState';
import { formatDate, formatRelative } from '../lib/format';
import { NotFound } from '../pages/home/NotFound';
import { rememberTenant } from './last-tenant';
import { useTenant, useTenantId } from './session';
import { useEffect } from 'react';

function StandingBanner({ tenant }: { tenant: Tenant }) {
  const billing = `/t/${tenant.id}/billing`;
  if (tenant.status === 'suspended') {
    return (
      <Alert color="red" icon={<IconAlertTriangle size={18} />} title="This organization is suspended" data-testid="suspended-banner">
        {tenant.statusReason ?? 'Running instances were stopped; their data is kept.'}{' '}
        {tenant.graceUntil && <>Instances are destroyed {formatRelative(tenant.graceUntil)} ({formatDate(tenant.graceUntil)}) unless credits are added. </>}
        <Anchor component={Link} to={billing}>
          Billing
        </Anchor>
      </Alert>
    );
  }
  if (tenant.status === 'pending') {
    return <Alert color="blue" title="Your organization is being prepared">It will be ready in a moment.</Alert>;
  }
  const daysLeft = (new Date(tenant.trialEndsAt).getTime() - Date.now()) / 86_400_000;
  if (!tenant.plan.paid && daysLeft <= 3) {
    return (
      <Alert color="yellow" icon={<IconHourglass size={18} />} title={daysLeft > 0 ? `Your trial ends ${formatRelative(tenant.trialEndsAt)}` : 'Your trial has ended'}>
        Choose a paid plan to keep your instances running after the trial.{' '}
        <Anchor component={Link} to={billing}>
          Choose a plan
        </Anchor>
      </Alert>
    );
  }
  return null;
}

export function TenantFrame() {
  const tenantId = useTenantId();
  const tenant = useTenant(tenantId);
  const visible = tenant.data?.id === tenantId;
  useEffect(() => {
    if (visible) rememberTenant(tenantId);
  }, [visible, tenantId]);
  if (tenant.error instanceof ApiError && (tenant.error.status === 404 || tenant.error.status === 400)) return <NotFound what="organization" />;
  if (tenant.error && !tenant.data) return <ErrorState error={tenant.error} onRetry={() => void tenant.refetch()} />;
  if (!tenant.data) return <Loading />;
  return (
    <Stack gap="md">
      <StandingBanner tenant={tenant.data} />
      <Outlet />
    </Stack>
  );
}
