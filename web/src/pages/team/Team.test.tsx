import { configure, screen, waitFor, within } from '@testing-library/react';
import { notifications } from '@mantine/notifications';
import { afterEach, describe, expect, it } from 'vitest';
import { me, tenant, TENANT_ID } from '../../test/fixtures';
import { renderPage } from '../../test/render';
import { answer, problem, recorder, server } from '../../test/server';
import { chooseOption } from '../../test/choose-option';
import { ada, bob, BOB_ID, INVITATION_ID, pendingInvitation, site, SITE_ID } from './team-fixtures';
import { Team } from './Team';

// Typing and Mantine transitions are slow on a busy CI machine; 1 s (the default) is too tight.
configure({ asyncUtilTimeout: 5000 });
// Notifications live in a module-wide store: without this, earlier tests' ones queue up later ones.
afterEach(() => notifications.clean());

const TOKEN = `inv_${'a'.repeat(43)}`;

function teamApi(role: 'owner' | 'admin' | 'member' = 'owner') {
  server.use(
    answer('get', '/me', me),
    answer('get', '/tenants/{tenantId}', { ...tenant, role }),
    answer('get', '/tenants/{tenantId}/members', { items: [ada, bob] }),
    answer('get', '/tenants/{tenantId}/sites', { items: [site] }),
    answer('get', '/tenants/{tenantId}/invitations', { items: [pendingInvitation] }),
  );
}

const renderTeam = () => renderPage(<Team />, { url: `/t/${TENANT_ID}/team`, path: '/t/:tenantId/team' });

describe('team page', () => {
  it('lists the members with role, site and join date', async () => {
    teamApi();
    renderTeam();
    const table = await screen.findByRole('table', { name: 'Members' });
    expect(within(table).getByText('bob@example.com')).toBeInTheDocument();
    expect(within(table).getByText('(you)')).toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 1, name: 'Team' })).toBeInTheDocument();
  });

  it('invites someone: sends the body with an Idempotency-Key and shows the link once', async () => {
    teamApi();
    const seen = recorder();
    server.use(
      answer(
        'post',
        '/tenants/{tenantId}/invitations',
        ({ body }) => {
          const b = body as { email: string; role: 'admin' };
          return { ...pendingInvitation, id: INVITATION_ID, email: b.email, role: b.role, siteId: SITE_ID, token: TOKEN, acceptUrl: `http://api.example/invitations/accept#token=${TOKEN}` };
        },
        { status: 201 },
      ),
    );
    const { user } = renderTeam();
    await user.type(await screen.findByLabelText(/^Email/), 'dan@example.com');
    await chooseOption(user, 'Role', 'Admin');
    await chooseOption(user, 'Site', 'Berlin');
    await user.click(screen.getByRole('button', { name: 'Create invitation' }));

    const link = await screen.findByLabelText('Invitation link');
    expect(link).toHaveValue(`http://localhost:3000/invite#token=${TOKEN}`);
    expect(screen.getByText(/shown only once/)).toBeInTheDocument();
    const sent = seen.find((r) => r.method === 'POST' && r.path.endsWith('/invitations'));
    expect(sent?.body).toEqual({ email: 'dan@example.com', role: 'admin', siteId: SITE_ID, expiresInDays: 7 });
    expect(sent?.headers.get('Idempotency-Key')).toMatch(/^web-[0-9a-f]{32}$/);

    await user.click(screen.getByRole('button', { name: 'Done' }));
    expect(screen.queryByLabelText('Invitation link')).not.toBeInTheDocument();
    expect(screen.queryByDisplayValue(new RegExp(TOKEN))).not.toBeInTheDocument();
  });

  it('shows a field error from the server on the email field', async () => {
    teamApi();
    server.use(answer('post', '/tenants/{tenantId}/invitations', () => problem(409, 'this person is already a member', [{ field: 'email', message: 'is already a member' }])));
    const { user } = renderTeam();
    await user.type(await screen.findByLabelText(/^Email/), 'bob@example.com');
    await user.click(screen.getByRole('button', { name: 'Create invitation' }));
    expect(await screen.findByText('is already a member')).toBeInTheDocument();
    expect(screen.getByLabelText(/^Email/)).toHaveAttribute('aria-invalid', 'true');
  });

  it('changes a member’s role', async () => {
    teamApi();
    const seen = recorder();
    server.use(answer('patch', '/tenants/{tenantId}/members/{userId}', ({ params }) => ({ userId: String(params.userId), role: 'admin' as const, siteId: null })));
    const { user } = renderTeam();
    await screen.findByRole('table', { name: 'Members' });
    await chooseOption(user, 'Role of Bob', 'Admin');
    await waitFor(() => expect(seen.find((r) => r.method === 'PATCH')).toBeDefined());
    const sent = seen.find((r) => r.method === 'PATCH');
    expect(sent?.path).toBe(`/api/tenants/${TENANT_ID}/members/${BOB_ID}`);
    expect(sent?.body).toEqual({ role: 'admin' });
    expect(await screen.findByText('Bob is now admin.')).toBeInTheDocument();
  });

  it('says why the last owner cannot be demoted', async () => {
    teamApi();
    server.use(answer('patch', '/tenants/{tenantId}/members/{userId}', () => problem(409, 'this is the last owner; make someone else an owner first')));
    const { user } = renderTeam();
    await screen.findByRole('table', { name: 'Members' });
    await chooseOption(user, 'Role of Ada', 'Viewer');
    expect(await screen.findByText('this is the last owner; make someone else an owner first')).toBeInTheDocument();
    expect(screen.getByRole('combobox', { name: 'Role of Ada' })).toHaveValue('Owner');
  });

  it('moves a member to a site', async () => {
    teamApi();
    const seen = recorder();
    server.use(answer('patch', '/tenants/{tenantId}/members/{userId}', ({ params }) => ({ userId: String(params.userId), role: 'member' as const, siteId: SITE_ID })));
    const { user } = renderTeam();
    await screen.findByRole('table', { name: 'Members' });
    await chooseOption(user, 'Site of Bob', 'Berlin');
    await waitFor(() => expect(seen.find((r) => r.method === 'PATCH')?.body).toEqual({ siteId: SITE_ID }));
  });

  it('removes a member only after confirmation', async () => {
    teamApi();
    const seen = recorder();
    server.use(answer('delete', '/tenants/{tenantId}/members/{userId}', () => new Response(null, { status: 204 })));
    const { user } = renderTeam();
    await user.click(await screen.findByRole('button', { name: 'Remove Bob' }));
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent(/API keys they created for it are revoked/);
    await user.click(within(dialog).getByRole('button', { name: 'Keep as is' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(seen.some((r) => r.method === 'DELETE')).toBe(false);

    await user.click(screen.getByRole('button', { name: 'Remove Bob' }));
    await user.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Remove member' }));
    await waitFor(() => expect(seen.find((r) => r.method === 'DELETE')?.path).toBe(`/api/tenants/${TENANT_ID}/members/${BOB_ID}`));
    expect(await screen.findByText('Bob was removed.')).toBeInTheDocument();
  });

  it('revokes a pending invitation after confirmation', async () => {
    teamApi();
    const seen = recorder();
    server.use(answer('delete', '/tenants/{tenantId}/invitations/{invitationId}', () => new Response(null, { status: 204 })));
    const { user } = renderTeam();
    const table = await screen.findByRole('table', { name: 'Invitations' });
    expect(within(table).getByText('carol@example.com')).toBeInTheDocument();
    expect(within(table).getByText('Berlin')).toBeInTheDocument();
    await user.click(within(table).getByRole('button', { name: 'Revoke invitation for carol@example.com' }));
    await user.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Revoke invitation' }));
    await waitFor(() => expect(seen.find((r) => r.method === 'DELETE')?.path).toBe(`/api/tenants/${TENANT_ID}/invitations/${INVITATION_ID}`));
  });

  it('creates a site with an Idempotency-Key', async () => {
    teamApi();
    const seen = recorder();
    server.use(answer('post', '/tenants/{tenantId}/sites', { ...site, id: SITE_ID, name: 'Paris', instances: 0 }, { status: 201 }));
    const { user } = renderTeam();
    await user.type(await screen.findByLabelText(/New site name/), 'Paris');
    await user.click(screen.getByRole('button', { name: 'Create site' }));
    expect(await screen.findByText('Site Paris created.')).toBeInTheDocument();
    const sent = seen.find((r) => r.method === 'POST' && r.path.endsWith('/sites'));
    expect(sent?.body).toEqual({ name: 'Paris' });
    expect(sent?.headers.get('Idempotency-Key')).toBeTruthy();
  });

  it('shows a non-admin the team without any management controls', async () => {
    // No invitations handler: a member's page must not even ask for them (unhandled requests fail).
    server.use(
      answer('get', '/me', me),
      answer('get', '/tenants/{tenantId}', { ...tenant, role: 'member' }),
      answer('get', '/tenants/{tenantId}/members', { items: [{ ...ada, role: 'member' }, { ...bob, name: 'Eve', email: 'eve@example.com', role: 'owner' }] }),
      answer('get', '/tenants/{tenantId}/sites', { items: [site] }),
    );
    renderTeam();
    const table = await screen.findByRole('table', { name: 'Members' });
    expect(within(table).getByText('eve@example.com')).toBeInTheDocument();
    expect(screen.getByText('Admins manage the team')).toBeInTheDocument();
    expect(screen.queryByRole('combobox')).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^Remove/ })).not.toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'Invite someone' })).not.toBeInTheDocument();
    expect(screen.queryByRole('table', { name: 'Invitations' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Create site' })).not.toBeInTheDocument();
    // Leaving is always possible.
    expect(screen.getByRole('button', { name: 'Leave organization' })).toBeInTheDocument();
  });
});
