import { configure, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { me, money, organizationSummary, PARTNER_ID, TENANT_ID } from '../../test/fixtures';
import { renderPage } from '../../test/render';
import { answer, recorder, server } from '../../test/server';
import { PartnerView } from './PartnerView';

configure({ asyncUtilTimeout: 5000 });

const org = { ...organizationSummary, status: 'suspended' as const, statusReason: 'out of credits', partnerId: PARTNER_ID, balance: money(0), instances: { live: 2, provisioning: 1, running: 1 } };

function partnerApi(role: 'partner_admin' | 'partner_viewer', items = [org]) {
  server.use(
    answer('get', '/me', me),
    answer('get', '/partners/{partnerId}', { id: PARTNER_ID, slug: 'an-msp', name: 'An MSP', role, organizations: items.length }),
    answer('get', '/partners/{partnerId}/tenants', { items, nextCursor: null }),
    answer('get', '/plans', { plans: [] }),
  );
}

const renderPartner = () => renderPage(<PartnerView />, { url: `/partners/${PARTNER_ID}`, path: '/partners/:partnerId' });

describe('partner view', () => {
  it('lists the managed organizations, each a link into its console', async () => {
    partnerApi('partner_viewer');
    renderPartner();
    expect(await screen.findByRole('heading', { name: 'An MSP' })).toBeInTheDocument();
    const table = await screen.findByRole('table', { name: 'Managed organizations' });
    expect(within(table).getByRole('link', { name: 'Acme' })).toHaveAttribute('href', `/t/${TENANT_ID}`);
    expect(within(table).getByText('1 running of 2')).toBeInTheDocument();
    expect(within(table).getByTestId('org-status')).toHaveTextContent('suspended');
    // Viewers cannot create organizations.
    expect(screen.queryByRole('button', { name: 'New customer organization' })).not.toBeInTheDocument();
  });

  it('offers partner admins a new customer organization, and an empty state', async () => {
    partnerApi('partner_admin', []);
    const { user } = renderPartner();
    expect(await screen.findByText('No organizations yet')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'New customer organization' }));
    const dialog = await screen.findByRole('dialog', { name: 'New customer organization' });
    await user.click(within(dialog).getByRole('button', { name: 'Create organization' }));
    expect(await within(dialog).findByText('At least 2 characters')).toBeInTheDocument();
  });

  it('pages with the API’s cursor: none on the first page, the answer’s nextCursor on “Show more”', async () => {
    partnerApi('partner_viewer');
    const seen = recorder();
    const second = { ...org, id: 'b6b6b6b6-0000-4000-8000-000000000002', slug: 'zeta', name: 'Zeta' };
    server.use(
      answer('get', '/partners/{partnerId}/tenants', ({ request }) =>
        new URL(request.url).searchParams.get('cursor') === 'acme' ? { items: [second], nextCursor: null } : { items: [org], nextCursor: 'acme' },
      ),
    );
    const { user } = renderPartner();
    const table = await screen.findByRole('table', { name: 'Managed organizations' });
    await user.click(await screen.findByRole('button', { name: 'Show more' }));
    expect(await within(table).findByRole('link', { name: 'Zeta' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Show more' })).not.toBeInTheDocument();
    const lists = seen.filter((r) => r.path.startsWith(`/api/partners/${PARTNER_ID}/tenants`)).map((r) => new URL(r.path, 'http://x').searchParams.get('cursor'));
    expect(lists).toEqual([null, 'acme']);
  });
});
