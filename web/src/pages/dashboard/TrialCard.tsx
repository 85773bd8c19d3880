// The plan and, on a trial, how many days are left of it, with the way to a paid plan.
import { Anchor, Card, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router-dom';
import type { Tenant } from '../../api/types';
import { formatDate } from '../../lib/format';
import { daysUntil } from '../billing/billing-rules';

export function TrialCard({ tenant }: { tenant: Tenant }) {
  const billing = `/t/${tenant.id}/billing`;
  const daysLeft = daysUntil(tenant.trialEndsAt);
  return (
    <Card withBorder component="section" aria-label="Plan">
      <Stack gap={4}>
        <Text size="sm" c="dimmed">
          Plan
        </Text>
        <Title order={2} size="h3">
          {tenant.plan.name}
        </Title>
        {tenant.plan.paid ? (
          <Anchor component={Link} to={billing} size="sm">
            Billing & usage
          </Anchor>
        ) : (
          <>
            <Text size="sm" data-testid="trial-countdown" c={daysLeft <= 3 ? 'red' : undefined}>
              {daysLeft > 0 ? `Trial: ${daysLeft} ${daysLeft === 1 ? 'day' : 'days'} left (ends ${formatDate(tenant.trialEndsAt)}).` : `The trial ended on ${formatDate(tenant.trialEndsAt)}.`}
            </Text>
            <Anchor component={Link} to={billing} size="sm" fw={600}>
              Upgrade to a paid plan
            </Anchor>
          </>
        )}
      </Stack>
    </Card>
  );
}
