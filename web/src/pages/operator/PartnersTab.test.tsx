import { configure, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { PartnerSummary } from '../../api/types';
import { chooseOption } from '../../test/choose-option';
import { me, organizationSummary, PARTNER_ID, TENANT_ID } from '../../test/fixtures';
import { renderPage } from '../../test/render';
import { answer, problem, recorder, server } from '../../test/server';
import { OperatorConsole } from './OperatorConsole';

configure({ asyncUtilTimeout: 5000 });

const operator = { ...me, user: { ...me.user!, isOperator: true } };
const msp: PartnerSummary = { id: PARTNER_ID, slug: 'an-msp', name: 'An MSP', organizations: 0, members: 1 };

function operatorApi(partners: PartnerSummary[]) {
  server.use(answer('get', '/me', operator), answer('get', '/admin/partners', { items: partners }));
}

const renderPartnersTab = () => renderPage(<OperatorConsole />, { url: '/operator/partners', path: '/operator/:tab' });

describe('operator console: partners', () => {
  it('lists partners with their counts, each a link to its view', async () => {
    operatorApi([{ ...msp, organizations: 3, members: 2 }]);
    renderPartnersTab();
    const table = await screen.findByRole('table', { name: 'Partners' });
    expect(within(table).getByRole('link', { name: 'An MSP' })).toHaveAttribute('href', `/partners/${PARTNER_ID}`);
    const row = within(table).getByRole('link', { name: 'An MSP' }).closest('tr')!;
    expect(within(row).getByText('3')).toBeInTheDocument();
    expect(within(row).getByText('2')).toBeInTheDocument();
  });

  it('says so when there is no partner yet', async () => {
    operatorApi([]);
    renderPartnersTab();
    expect(await screen.findByText('No partners yet')).toBeInTheDocument();
  });

  it('creates a partner: the slug follows the name, a taken slug comes back onto its field', async () => {
    operatorApi([]);
    const seen = recorder();
    let posts = 0;
    server.use(
      answer('post', '/admin/partners', ({ body }) => {
        posts++;
        if (posts === 1) return problem(409, 'a partner with this slug exists', [{ field: 'slug', message: 'is taken' }]);
        return { id: PARTNER_ID, ...(body as { slug: string; name: string }) };
      }),
    );
    const { user } = renderPartnersTab();
    await user.click(await screen.findByRole('button', { name: 'New partner' }));
    const dialog = await screen.findByRole('dialog', { name: 'New partner' });
    await user.type(within(dialog).getByRole('textbox', { name: /^Name/ }), 'Northwind IT');
    expect(within(dialog).getByRole('textbox', { name: /^Slug/ })).toHaveValue('northwind-it');

    await user.click(within(dialog).getByRole('button', { name: 'Create partner' }));
    expect(await within(dialog).findByText('is taken')).toBeInTheDocument();
    // Edited by hand, the slug no longer follows the name.
    const slug = within(dialog).getByRole('textbox', { name: /^Slug/ });
    await user.clear(slug);
    await user.type(slug, 'northwind');
    await user.type(within(dialog).getByRole('textbox', { name: /^Name/ }), ' Ltd');
    expect(slug).toHaveValue('northwind');

    await user.click(within(dialog).getByRole('button', { name: 'Create partner' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(seen.filter((r) => r.method === 'POST').map((r) => r.body)).toEqual([
      { name: 'Northwind IT', slug: 'northwind-it' },
      { name: 'Northwind IT Ltd', slug: 'northwind' },
    ]);
  });

  it('refuses an empty name and a malformed slug before sending anything', async () => {
    operatorApi([]);
    const seen = recorder();
    const { user } = renderPartnersTab();
    await user.click(await screen.findByRole('button', { name: 'New partner' }));
    const dialog = await screen.findByRole('dialog', { name: 'New partner' });
    await user.type(within(dialog).getByRole('textbox', { name: /^Slug/ }), '9-bad');
    await user.click(within(dialog).getByRole('button', { name: 'Create partner' }));
    expect(await within(dialog).findByText('Enter the partner’s name')).toBeInTheDocument();
    expect(within(dialog).getByText(/lower-case letters, digits and hyphens/)).toBeInTheDocument();
    expect(seen.filter((r) => r.method === 'POST')).toEqual([]);
  });

  it('gives a person a role in a partner, and shows the server’s refusal on the e-mail field', async () => {
    operatorApi([msp]);
    const seen = recorder();
    let posts = 0;
    server.use(
      answer('post', '/admin/partners/{partnerId}/members', ({ body }) => {
        posts++;
        if (posts === 1) return problem(400, 'no account with this e-mail address', [{ field: 'email', message: 'has no account' }]);
        return { partnerId: PARTNER_ID, userId: 'u-1', role: (body as { role: string }).role };
      }),
    );
    const { user } = renderPartnersTab();
    await user.click(await screen.findByRole('button', { name: 'Add a person to An MSP' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add a person to An MSP' });
    await user.type(within(dialog).getByRole('textbox', { name: /^E-mail/ }), 'nobody@example.com');
    await chooseOption(user, 'Role', 'Partner admin: acts as an admin in every managed organization');
    await user.click(within(dialog).getByRole('button', { name: 'Give role' }));
    expect(await within(dialog).findByText('has no account')).toBeInTheDocument();

    const email = within(dialog).getByRole('textbox', { name: /^E-mail/ });
    await user.clear(email);
    await user.type(email, 'pat@example.com');
    await user.click(within(dialog).getByRole('button', { name: 'Give role' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    const sent = seen.filter((r) => r.method === 'POST');
    expect(sent.map((r) => r.path)).toEqual([`/api/admin/partners/${PARTNER_ID}/members`, `/api/admin/partners/${PARTNER_ID}/members`]);
    expect(sent[1].body).toEqual({ email: 'pat@example.com', role: 'partner_admin' });
  });

  it('puts an organization found by search under the partner, and marks the ones already there', async () => {
    operatorApi([msp]);
    const seen = recorder();
    const here = { ...organizationSummary, id: 'a5a5a5a5-0000-4000-8000-000000000001', slug: 'beta', name: 'Beta', partnerId: PARTNER_ID };
    server.use(
      answer('get', '/admin/tenants', ({ request }) => {
        const q = new URL(request.url).searchParams.get('q');
        const all = [organizationSummary, here];
        return { items: q ? all.filter((o) => o.slug.includes(q) || o.name.toLowerCase().includes(q)) : all, nextCursor: null };
      }),
      answer('put', '/admin/tenants/{tenantId}/partner', ({ params, body }) => ({ tenantId: String(params.tenantId), partnerId: (body as { partnerId: string }).partnerId })),
    );
    const { user } = renderPartnersTab();
    await user.click(await screen.findByRole('button', { name: 'Add an organization to An MSP' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add an organization to An MSP' });
    const select = within(dialog).getByRole('combobox', { name: /^Organization/ });
    await user.click(select);
    expect(await screen.findByRole('option', { name: 'Beta (beta) · already here', hidden: true })).toHaveAttribute('aria-disabled', 'true');
    await user.type(select, 'acm');
    await waitFor(() => expect(seen.some((r) => r.path.startsWith('/api/admin/tenants?') && r.path.includes('q=acm'))).toBe(true));
    await user.click(await screen.findByRole('option', { name: 'Acme (acme)', hidden: true }));
    await user.click(within(dialog).getByRole('button', { name: 'Add organization' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    const put = seen.find((r) => r.method === 'PUT');
    expect(put?.path).toBe(`/api/admin/tenants/${TENANT_ID}/partner`);
    expect(put?.body).toEqual({ partnerId: PARTNER_ID });
  });
});
