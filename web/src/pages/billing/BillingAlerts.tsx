// What needs attention about money: a balance that is gone or about to be, and the organization's
// notices (budget thresholds crossed, trial ending, suspension), newest first.
import { Alert, Anchor, Stack } from '@mantine/core';
import { IconAlertTriangle, IconBell } from '@tabler/icons-react';
import { Link } from 'react-router-dom';
import type { Billing } from '../../api/types';
import { formatDateTime } from '../../lib/format';
import { isLowBalance, LOW_RUNWAY_HOURS, noticeColor, runwayText } from './billing-rules';

export function LowBalanceAlert({ billing, billingLink }: { billing: Billing; billingLink?: string }) {
  if (!isLowBalance(billing)) return null;
  const gone = billing.balance.micro <= 0;
  return (
    <Alert color="red" icon={<IconAlertTriangle size={18} />} title={gone ? 'No credits left' : 'Credits are running low'} data-testid="low-balance">
      {gone
        ? 'Running instances are stopped when the balance is used up (their data is kept). '
        : `${runwayText(billing)} That is less than ${LOW_RUNWAY_HOURS} hours; when the balance is used up, running instances are stopped (their data is kept). `}
      Stop instances you do not need, or ask your Tenantry contact for a top-up{billing.plan.paid ? '' : ' or choose a paid plan'}.{' '}
      {billingLink && (
        <Anchor component={Link} to={billingLink}>
          Billing & usage
        </Anchor>
      )}
    </Alert>
  );
}

export function NoticeList({ notices, limit }: { notices: Billing['notices']; limit?: number }) {
  const shown = limit === undefined ? notices : notices.slice(0, limit);
  if (!shown.length) return null;
  return (
    <Stack gap="xs" aria-label="Notices" role="list">
      {shown.map((n) => (
        <Alert key={n.id} role="listitem" color={noticeColor(n.level)} icon={<IconBell size={18} />} title={`${n.kind.replace(/[_.]/g, ' ')} · ${formatDateTime(n.at)}`}>
          {n.message}
        </Alert>
      ))}
    </Stack>
  );
}
