import { configure, screen, waitFor, within } from '@testing-library/react';
import { notifications } from '@mantine/notifications';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiKey } from '../../api/types';
import { me, tenant, TENANT_ID } from '../../test/fixtures';
import { renderPage } from '../../test/render';
import { answer, recorder, server } from '../../test/server';
import { ApiKeys } from './ApiKeys';
import { chooseOption } from '../../test/choose-option';
import { ada, apiKey, KEY_ID, site } from './team-fixtures';

// Typing and Mantine transitions are slow on a busy CI machine; 1 s (the default) is too tight.
configure({ asyncUtilTimeout: 5000 });
// Notifications live in a module-wide store: without this, earlier tests' ones queue up later ones.
afterEach(() => notifications.clean());

const SECRET = `tk_0123456789ab_${'s'.repeat(43)}`;
const NEW_KEY_ID = '99999999-9999-4999-8999-999999999999';

function keysApi(keys: ApiKey[], role: 'owner' | 'member' = 'owner') {
  server.use(
    answer('get', '/me', me),
    answer('get', '/tenants/{tenantId}', { ...tenant, role }),
    answer('get', '/tenants/{tenantId}/api-keys', () => ({ items: keys })),
    answer('get', '/tenants/{tenantId}/members', { items: [ada] }),
    answer('get', '/tenants/{tenantId}/sites', { items: [site] }),
  );
}

const renderKeys = () => renderPage(<ApiKeys />, { url: `/t/${TENANT_ID}/api-keys`, path: '/t/:tenantId/api-keys' });

describe('API keys page', () => {
  it('lists keys by prefix and explains usage without any secret', async () => {
    keysApi([apiKey, { ...apiKey, id: NEW_KEY_ID, name: 'old', prefix: 'tk_aaaaaaaaaaaa', revokedAt: new Date().toISOString() }]);
    renderKeys();
    const table = await screen.findByRole('table', { name: 'API keys' });
    expect(within(table).getByText('ci-deploys')).toBeInTheDocument();
    expect(within(table).getByText('tk_3f9a2c1b7d0e')).toBeInTheDocument();
    expect(within(table).getAllByText('by Ada')).toHaveLength(2);
    // Revoked keys stay listed, without a revoke button.
    expect(within(table).getByText(/^revoked/)).toBeInTheDocument();
    expect(within(table).getAllByRole('button', { name: /^Revoke/ })).toHaveLength(1);
    expect(screen.getByLabelText('Example request')).toHaveTextContent('Authorization: Bearer tk_3f9a2c1b7d0e_<secret>');
  });

  it('shows an empty state with the next step', async () => {
    keysApi([]);
    renderKeys();
    expect(await screen.findByText('No API keys yet')).toBeInTheDocument();
  });

  it('creates a key and shows its secret once; after closing it is gone', async () => {
    const keys: ApiKey[] = [];
    keysApi(keys);
    const seen = recorder();
    server.use(
      answer(
        'post',
        '/tenants/{tenantId}/api-keys',
        ({ body }) => {
          const created = { ...apiKey, id: NEW_KEY_ID, name: (body as { name: string }).name, prefix: 'tk_0123456789ab', lastUsedAt: null };
          keys.push(created);
          return { ...created, key: SECRET };
        },
        { status: 201 },
      ),
    );
    const { user } = renderKeys();
    await user.type(await screen.findByLabelText(/^Name/), 'nightly');
    await chooseOption(user, 'Role', 'Viewer');
    await chooseOption(user, 'Expires after', '30 days');
    await user.click(screen.getByRole('button', { name: 'Create API key' }));

    const dialog = await screen.findByRole('dialog', { name: 'Copy your new API key' });
    expect(within(dialog).getByLabelText(/API key/)).toHaveValue(SECRET);
    expect(dialog).toHaveTextContent('This is the only time the key is shown');
    const sent = seen.find((r) => r.method === 'POST');
    expect(sent?.body).toEqual({ name: 'nightly', role: 'viewer', siteId: null, expiresInDays: 30 });
    expect(sent?.headers.get('Idempotency-Key')).toMatch(/^web-/);

    await user.click(within(dialog).getByRole('button', { name: 'I have stored the key' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(screen.queryByDisplayValue(SECRET)).not.toBeInTheDocument();
    expect(document.body.textContent).not.toContain(SECRET);
    // The list shows the new key by its prefix only.
    expect(await within(screen.getByRole('table', { name: 'API keys' })).findByText('tk_0123456789ab')).toBeInTheDocument();
  });

  it('offers a member no role above their own', async () => {
    keysApi([], 'member');
    const { user } = renderKeys();
    await user.click(await screen.findByRole('combobox', { name: 'Role' }));
    const listbox = document.getElementById(screen.getByRole('combobox', { name: 'Role' }).getAttribute('aria-controls')!)!;
    expect(within(listbox).getAllByRole('option', { hidden: true }).map((o) => o.textContent)).toEqual(['Viewer', 'Member']);
  });

  it('revokes a key after confirmation', async () => {
    keysApi([apiKey]);
    const seen = recorder();
    server.use(answer('delete', '/tenants/{tenantId}/api-keys/{keyId}', () => new Response(null, { status: 204 })));
    const { user } = renderKeys();
    await user.click(await screen.findByRole('button', { name: 'Revoke ci-deploys' }));
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('tk_3f9a2c1b7d0e… are refused from now on');
    await user.click(within(dialog).getByRole('button', { name: 'Revoke key' }));
    await waitFor(() => expect(seen.find((r) => r.method === 'DELETE')?.path).toBe(`/api/tenants/${TENANT_ID}/api-keys/${KEY_ID}`));
    expect(await screen.findByText('API key “ci-deploys” revoked.')).toBeInTheDocument();
  });
});
