import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { billing, instance, providersAnswer, TENANT_ID, tenant } from '../../test/fixtures';
import { renderPage } from '../../test/render';
import { answer, server } from '../../test/server';
import { Dashboard } from './Dashboard';

function show(items: (typeof instance)[], b = billing) {
  server.use(
    answer('get', '/tenants/{tenantId}', tenant),
    answer('get', '/providers', providersAnswer),
    answer('get', '/tenants/{tenantId}/instances', { items, nextCursor: null }),
    answer('get', '/tenants/{tenantId}/billing', b),
  );
  return renderPage(<Dashboard />, { url: `/t/${TENANT_ID}`, path: '/t/:tenantId' });
}

describe('dashboard', () => {
  it('walks a new organization through its first instance', async () => {
    show([]);
    expect(await screen.findByRole('heading', { level: 1, name: 'Acme' })).toBeInTheDocument();
    const checklist = await screen.findByTestId('onboarding');
    expect(within(checklist).getByRole('link', { name: 'Create your first instance' })).toHaveAttribute('href', `/t/${TENANT_ID}/instances/new`);
    expect(within(checklist).getByRole('link', { name: 'Add cloud credentials' })).toBeInTheDocument();
    expect(within(checklist).getByText('(optional)')).toBeInTheDocument();
  });

  it('checks steps off as they happen and hides the list once done', async () => {
    const provisioning = { ...instance, phase: 'provisioning' as const, runningSince: null };
    const first = show([provisioning]);
    const checklist = await screen.findByTestId('onboarding');
    expect(within(checklist).queryByRole('link', { name: 'Create your first instance' })).not.toBeInTheDocument();
    expect(within(checklist).getByRole('link', { name: 'Open your instance' })).toHaveAttribute('href', `/t/${TENANT_ID}/instances/${instance.id}`);
    first.unmount();
    show([instance]);
    expect(await screen.findByTestId('phase-counts')).toBeInTheDocument();
    expect(screen.queryByTestId('onboarding')).not.toBeInTheDocument();
  });

  it('shows balance, burn, the trial countdown and notices', async () => {
    show([instance], { ...billing, notices: [{ id: 'n1', at: new Date().toISOString(), kind: 'budget_90', level: 'warning', message: '90% of your credits are used' }] });
    expect(await screen.findByTestId('balance')).toHaveTextContent('42.50 credits');
    expect(screen.getByText('burning 0.05 credits / hour')).toBeInTheDocument();
    expect(screen.getByTestId('trial-countdown')).toHaveTextContent('14 days left');
    expect(screen.getByText('90% of your credits are used')).toBeInTheDocument();
  });
});
