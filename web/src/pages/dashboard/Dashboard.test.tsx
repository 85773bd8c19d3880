import { configure, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Instance } from '../../api/types';
import { billing, instance, providersAnswer, tenant, TENANT_ID, usage } from '../../test/fixtures';
import { renderPage } from '../../test/render';
import { answer, server } from '../../test/server';
import { Dashboard } from './Dashboard';

configure({ asyncUtilTimeout: 5000 });

function dashboardApi(opts: { instances?: Instance[]; role?: 'owner' | 'viewer'; trialDays?: number; billing?: typeof billing } = {}) {
  server.use(
    answer('get', '/tenants/{tenantId}', { ...tenant, role: opts.role ?? 'owner', trialEndsAt: new Date(Date.now() + (opts.trialDays ?? 14) * 86_400_000 - 60_000).toISOString() }),
    answer('get', '/tenants/{tenantId}/instances', { items: opts.instances ?? [], nextCursor: null }),
    answer('get', '/tenants/{tenantId}/billing', opts.billing ?? billing),
    answer('get', '/tenants/{tenantId}/billing/usage', usage),
    answer('get', '/providers', providersAnswer),
    answer('get', '/tenants/{tenantId}/credentials', { items: [] }),
  );
}

const renderDashboard = () => renderPage(<Dashboard />, { url: `/t/${TENANT_ID}`, path: '/t/:tenantId' });
const step = (name: RegExp) => within(screen.getByRole('list', { name: 'Getting started steps' })).getByRole('listitem', { name });

describe('dashboard', () => {
  it('is headed by the organization’s name and offers Create instance to those who may operate', async () => {
    dashboardApi();
    renderDashboard();
    expect(await screen.findByRole('heading', { level: 1, name: 'Acme' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Create instance' })).toHaveAttribute('href', `/t/${TENANT_ID}/instances/new`);
    expect(await screen.findByTestId('balance')).toHaveTextContent('42.50 credits');
    expect(screen.getByTestId('burn-rate')).toHaveTextContent('0.05 credits / hour');
  });

  it('hides Create instance and onboarding from viewers', async () => {
    dashboardApi({ role: 'viewer' });
    renderDashboard();
    await screen.findByRole('heading', { level: 1, name: 'Acme' });
    await screen.findByTestId('balance');
    expect(screen.queryByRole('link', { name: 'Create instance' })).not.toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'Get started' })).not.toBeInTheDocument();
  });

  it('without instances, the checklist opens with creating one (credentials optional)', async () => {
    dashboardApi();
    renderDashboard();
    // The credentials step appears once the providers are known (Azure takes credentials).
    expect(await screen.findByRole('listitem', { name: /^Add cloud credentials: to do/ })).toBeInTheDocument();
    const create = step(/^Create your first instance: to do/);
    expect(within(create).getByRole('link', { name: 'Create your first instance' })).toHaveAttribute('href', `/t/${TENANT_ID}/instances/new`);
    expect(step(/^Open your instance: to do/)).toBeInTheDocument();
    expect(within(step(/^Add cloud credentials: to do/)).getByText('(optional)')).toBeInTheDocument();
  });

  it('checks off creating once an instance exists, and opening once it runs', async () => {
    dashboardApi({ instances: [{ ...instance, phase: 'provisioning', runningSince: null }] });
    const first = renderDashboard();
    await screen.findByRole('heading', { name: 'Get started' });
    expect(step(/^Create your first instance: done/)).toBeInTheDocument();
    const open = step(/^Open your instance: to do/);
    expect(within(open).getByRole('link', { name: 'Open your instance' })).toHaveAttribute('href', `/t/${TENANT_ID}/instances/${instance.id}`);
    first.unmount();

    dashboardApi({ instances: [instance] });
    renderDashboard();
    expect(await screen.findByRole('list', { name: 'Instances by phase' })).toHaveTextContent('running');
    expect(screen.queryByRole('heading', { name: 'Get started' })).not.toBeInTheDocument();
  });

  it('remembers that the checklist was dismissed, per organization', async () => {
    dashboardApi();
    const first = renderDashboard();
    await first.user.click(await screen.findByRole('button', { name: 'Hide getting started' }));
    expect(screen.queryByRole('heading', { name: 'Get started' })).not.toBeInTheDocument();
    first.unmount();
    renderDashboard();
    await screen.findByRole('heading', { level: 1, name: 'Acme' });
    expect(screen.queryByRole('heading', { name: 'Get started' })).not.toBeInTheDocument();
    expect(localStorage.getItem(`tenantry.onboarding-dismissed.${TENANT_ID}`)).toBe('true');
  });

  it('counts down the trial and links to an upgrade', async () => {
    dashboardApi({ trialDays: 5 });
    renderDashboard();
    expect(await screen.findByTestId('trial-countdown')).toHaveTextContent('Trial: 5 days left');
    expect(screen.getByRole('link', { name: 'Upgrade to a paid plan' })).toHaveAttribute('href', `/t/${TENANT_ID}/billing`);
  });

  it('warns when the balance runs out soon, and shows budget notices', async () => {
    dashboardApi({
      billing: {
        ...billing,
        balance: { micro: 500_000, credits: 0.5, formatted: '0.50 credits' },
        runway: { hours: 10, until: new Date(Date.now() + 10 * 3_600_000).toISOString() },
        notices: [{ id: '7', at: new Date().toISOString(), kind: 'budget', level: 'warn', message: '90 % of your credits are used.' }],
      },
    });
    renderDashboard();
    const alert = await screen.findByTestId('low-balance');
    expect(alert).toHaveTextContent('Credits are running low');
    expect(alert).toHaveTextContent('Lasts about 10 h');
    expect(screen.getByText('90 % of your credits are used.')).toBeInTheDocument();
  });

  it('has no low-balance alert while credits last', async () => {
    dashboardApi();
    renderDashboard();
    await screen.findByTestId('balance');
    expect(screen.queryByTestId('low-balance')).not.toBeInTheDocument();
  });

  it('lists recently failed instances with a link to each', async () => {
    dashboardApi({ instances: [{ ...instance, phase: 'failed', name: 'broken', runningSince: null }] });
    renderDashboard();
    const alert = await screen.findByTestId('failed-instances');
    expect(within(alert).getByRole('link', { name: 'broken' })).toHaveAttribute('href', `/t/${TENANT_ID}/instances/${instance.id}`);
  });
});
