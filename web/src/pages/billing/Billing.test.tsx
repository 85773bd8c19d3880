import { notifications } from '@mantine/notifications';
import { configure, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../../api/types';
import { billing, instance, ledgerEntry, money, plans, tenant, TENANT_ID, usage } from '../../test/fixtures';
import { renderPage } from '../../test/render';
import { answer, problem, recorder, server } from '../../test/server';
import { chooseOption } from '../../test/choose-option';
import { Billing } from './Billing';

configure({ asyncUtilTimeout: 5000 });
afterEach(() => notifications.clean());

const grant: LedgerEntry = { ...ledgerEntry, id: '1', amount: money(50), reason: 'trial_grant', description: 'Trial credits', instanceId: null, windowStart: null, windowEnd: null };
const charge = (id: string, credits: number): LedgerEntry => ({ ...ledgerEntry, id, amount: money(-credits), description: `Usage window ${id}` });

function billingApi(opts: { role?: 'owner' | 'admin' | 'viewer'; ledger?: (cursor: string | null) => { items: LedgerEntry[]; nextCursor: string | null }; billing?: typeof billing } = {}) {
  server.use(
    answer('get', '/tenants/{tenantId}', { ...tenant, role: opts.role ?? 'owner' }),
    answer('get', '/tenants/{tenantId}/billing', opts.billing ?? billing),
    answer('get', '/tenants/{tenantId}/billing/usage', usage),
    answer('get', '/tenants/{tenantId}/instances', { items: [instance], nextCursor: null }),
    answer('get', '/plans', { plans }),
    answer('get', '/tenants/{tenantId}/billing/ledger', ({ request }) => (opts.ledger ?? (() => ({ items: [charge('3', 7.5), grant], nextCursor: null })))(new URL(request.url).searchParams.get('cursor'))),
  );
}

const renderBilling = () => renderPage(<Billing />, { url: `/t/${TENANT_ID}/billing`, path: '/t/:tenantId/billing' });
async function choosePro(user: ReturnType<typeof renderBilling>['user']) {
  await screen.findByRole('combobox', { name: 'Change plan' });
  await chooseOption(user, 'Change plan', 'Pro');
}
const cells = (row: HTMLElement) => within(row).getAllByRole('cell').map((c) => c.textContent);

describe('billing page', () => {
  it('shows balance, burn rate and time left under its heading', async () => {
    billingApi();
    renderBilling();
    expect(await screen.findByRole('heading', { level: 1, name: 'Billing & usage' })).toBeInTheDocument();
    expect(await screen.findByTestId('balance')).toHaveTextContent('42.50 credits');
    expect(screen.getByTestId('burn-rate')).toHaveTextContent('0.05 credits / hour (36.00 credits / month)');
    expect(screen.getByTestId('runway')).toHaveTextContent('Lasts about 35 days');
  });

  it('lists ledger entries with signed amounts, the instance and the balance after each', async () => {
    billingApi({ billing: { ...billing, balance: money(42.5) } });
    renderBilling();
    const table = await screen.findByRole('table', { name: 'Ledger' });
    await waitFor(() => expect(within(table).getAllByRole('row')).toHaveLength(3));
    const [, usageRow, grantRow] = within(table).getAllByRole('row');
    expect(cells(usageRow)).toEqual([expect.any(String), 'Usage', 'Usage window 3', 'web', '−7.50 credits', '42.50 credits']);
    expect(cells(grantRow)).toEqual([expect.any(String), 'Trial credits', 'Trial credits', '—', '+50.00 credits', '50.00 credits']);
    expect(within(usageRow).getByRole('link', { name: 'web' })).toHaveAttribute('href', `/t/${TENANT_ID}/instances/${instance.id}`);
  });

  it('pages through the ledger with its cursor, carrying the balance over', async () => {
    const seen = recorder();
    billingApi({
      billing: { ...billing, balance: money(40) },
      ledger: (cursor) => (cursor === '2' ? { items: [grant], nextCursor: null } : { items: [charge('3', 6), charge('2', 4)], nextCursor: '2' }),
    });
    const { user } = renderBilling();
    const table = await screen.findByRole('table', { name: 'Ledger' });
    await within(table).findByText('Usage window 3');
    expect(screen.getByRole('button', { name: 'Newer entries' })).toBeDisabled();
    await user.click(screen.getByRole('button', { name: 'Older entries' }));

    await within(table).findByText('Trial credits', { selector: 'td' });
    expect(within(table).queryByText('Usage window 3')).not.toBeInTheDocument();
    expect(cells(within(table).getAllByRole('row')[1]).at(-1)).toBe('50.00 credits');
    expect(screen.getByText('Page 2')).toBeInTheDocument();
    expect(seen.some((r) => r.path.includes('/billing/ledger') && r.path.includes('cursor=2'))).toBe(true);
    expect(screen.getByRole('button', { name: 'Older entries' })).toBeDisabled();

    await user.click(screen.getByRole('button', { name: 'Newer entries' }));
    expect(await within(table).findByText('Usage window 3')).toBeInTheDocument();
  });

  it('says so when the ledger is empty', async () => {
    billingApi({ ledger: () => ({ items: [], nextCursor: null }) });
    renderBilling();
    expect(await screen.findByText('No ledger entries yet')).toBeInTheDocument();
  });

  it('changes the plan only after confirmation', async () => {
    const seen = recorder();
    billingApi();
    server.use(answer('post', '/tenants/{tenantId}/plan', { plan: 'pro', status: 'active' }));
    const { user } = renderBilling();
    await choosePro(user);
    await user.click(screen.getByRole('button', { name: 'Change plan' }));

    const dialog = await screen.findByRole('dialog', { name: 'Change to the Pro plan?' });
    expect(dialog).toHaveTextContent('It is a paid plan');
    expect(seen.some((r) => r.method === 'POST')).toBe(false);
    await user.click(within(dialog).getByRole('button', { name: 'Change to Pro' }));

    await waitFor(() => expect(seen.find((r) => r.method === 'POST')?.body).toEqual({ plan: 'pro' }));
    expect(seen.find((r) => r.method === 'POST')?.path).toBe(`/api/tenants/${TENANT_ID}/plan`);
    expect(await screen.findByText('Your organization is now on the Pro plan.')).toBeInTheDocument();
  });

  it('sends nothing when the plan change is called off', async () => {
    const seen = recorder();
    billingApi();
    const { user } = renderBilling();
    await choosePro(user);
    await user.click(screen.getByRole('button', { name: 'Change plan' }));
    await user.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Keep as is' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(seen.some((r) => r.method === 'POST')).toBe(false);
  });

  it('shows why a plan change failed', async () => {
    billingApi();
    server.use(answer('post', '/tenants/{tenantId}/plan', () => problem(409, 'the organization is closed')));
    const { user } = renderBilling();
    await choosePro(user);
    await user.click(screen.getByRole('button', { name: 'Change plan' }));
    await user.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Change to Pro' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('the organization is closed');
  });

  it('lets only owners change the plan', async () => {
    billingApi({ role: 'admin' });
    renderBilling();
    expect(await screen.findByText('Owners of the organization change its plan.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Change plan' })).not.toBeInTheDocument();
  });

  it('shows the budget thresholds and which were crossed, and the notices', async () => {
    billingApi({
      billing: {
        ...billing,
        budget: { thresholds: [75, 90, 100], usedPercent: 92, crossed: [75, 90] },
        notices: [{ id: '9', at: new Date().toISOString(), kind: 'budget', level: 'warn', message: '90 % of your credits are used.' }],
      },
    });
    renderBilling();
    const thresholds = await screen.findByRole('list', { name: 'Alert thresholds' });
    expect(within(thresholds).getByRole('listitem', { name: '75 %: crossed' })).toBeInTheDocument();
    expect(within(thresholds).getByRole('listitem', { name: '90 %: crossed' })).toBeInTheDocument();
    expect(within(thresholds).getByRole('listitem', { name: '100 %: not crossed' })).toBeInTheDocument();
    expect(screen.getByText('90 % of your credits are used.')).toBeInTheDocument();
  });

  it('lists usage by instance for the period', async () => {
    billingApi();
    renderBilling();
    const table = await screen.findByRole('table', { name: 'Usage by instance' });
    expect(cells(within(table).getAllByRole('row')[1])).toEqual(['web', 'docker', 'small', '0.05 credits']);
  });

  it('shows this month’s usage against the monthly budget, with the thresholds crossed', async () => {
    billingApi({ billing: { ...billing, monthlyBudget: { ...billing.monthlyBudget, month: '2026-12', limit: money(20), used: money(17), usedPercent: 85, crossed: [50, 80] } } });
    renderBilling();
    expect(await screen.findByTestId('monthly-budget-usage')).toHaveTextContent('17.00 credits used of 20.00 credits in December 2026 (85 %).');
    const thresholds = screen.getByRole('list', { name: 'Monthly budget thresholds' });
    expect(within(thresholds).getAllByRole('listitem').map((b) => b.getAttribute('aria-label'))).toEqual(['50 %: crossed', '80 %: crossed', '100 %: not crossed']);
    expect(screen.getByRole('progressbar', { name: 'Monthly budget used' })).toHaveAttribute('aria-valuenow', '85');
  });

  it('lets admins set a monthly budget, puts the server’s refusal on the field, and removes it', async () => {
    const seen = recorder();
    let puts = 0;
    let limit: number | null = null;
    billingApi({ role: 'admin' });
    server.use(
      answer('get', '/tenants/{tenantId}/billing', () => ({ ...billing, monthlyBudget: { ...billing.monthlyBudget, limit: limit === null ? null : money(limit), usedPercent: limit === null ? null : (7.5 / limit) * 100 } })),
      answer('put', '/tenants/{tenantId}/billing/budget', ({ body }) => {
        puts++;
        if (puts === 1) return problem(400, 'invalid request', [{ field: 'monthlyCredits', message: 'must be between 0.01 and 1,000,000,000 credits' }]);
        limit = (body as { monthlyCredits: number | null }).monthlyCredits;
        return { monthlyBudget: limit === null ? null : money(limit) };
      }),
    );
    const { user } = renderBilling();
    expect(await screen.findByTestId('monthly-budget-usage')).toHaveTextContent('No monthly budget. 7.50 credits used in');
    const input = screen.getByRole('textbox', { name: 'Budget per month (credits)' });
    await user.click(screen.getByRole('button', { name: 'Set budget' })); // nothing typed: disabled
    expect(puts).toBe(0);
    await user.type(input, '2000000000');
    await user.click(screen.getByRole('button', { name: 'Set budget' }));
    expect(await screen.findByText('must be between 0.01 and 1,000,000,000 credits')).toBeInTheDocument();
    await user.clear(input);
    await user.type(input, '250');
    await user.click(screen.getByRole('button', { name: 'Set budget' }));
    expect(await screen.findByText('Monthly budget set to 250.00 credits.')).toBeInTheDocument();
    expect(await screen.findByText(/7\.50 credits used of 250\.00 credits/)).toBeInTheDocument();
    await user.click(await screen.findByRole('button', { name: 'Remove budget' }));
    expect(await screen.findByText('Monthly budget removed.')).toBeInTheDocument();
    expect(await screen.findByText(/^No monthly budget\./)).toBeInTheDocument();
    expect(seen.filter((r) => r.method === 'PUT').map((r) => r.body)).toEqual([{ monthlyCredits: 2_000_000_000 }, { monthlyCredits: 250 }, { monthlyCredits: null }]);
  });

  it('shows viewers the monthly budget without a way to change it', async () => {
    billingApi({ role: 'viewer', billing: { ...billing, monthlyBudget: { ...billing.monthlyBudget, limit: money(100), usedPercent: 7.5 } } });
    renderBilling();
    expect(await screen.findByTestId('monthly-budget-usage')).toHaveTextContent('7.50 credits used of 100.00 credits');
    expect(screen.queryByRole('textbox', { name: 'Budget per month (credits)' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Remove budget' })).not.toBeInTheDocument();
  });
});
