import { notifications } from '@mantine/notifications';
import { configure, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Credential } from '../../api/types';
import { credential, CREDENTIAL_ID, providersAnswer, tenant, TENANT_ID } from '../../test/fixtures';
import { renderPage } from '../../test/render';
import { answer, problem, recorder, server } from '../../test/server';
import { Credentials } from './Credentials';

configure({ asyncUtilTimeout: 5000 });
afterEach(() => notifications.clean());

const SECRET = 'sup3r-s3cret-value';
const GUIDS = { tenantId: 'bbbbbbbb-0000-4000-8000-000000000001', clientId: 'bbbbbbbb-0000-4000-8000-000000000002', subscriptionId: 'bbbbbbbb-0000-4000-8000-000000000003' };

function credentialsApi(opts: { items?: Credential[]; role?: 'owner' | 'member' } = {}) {
  server.use(
    answer('get', '/tenants/{tenantId}', { ...tenant, role: opts.role ?? 'owner' }),
    answer('get', '/providers', providersAnswer),
    answer('get', '/tenants/{tenantId}/credentials', { items: opts.items ?? [credential] }),
  );
}

const renderCredentials = () => renderPage(<Credentials />, { url: `/t/${TENANT_ID}/credentials`, path: '/t/:tenantId/credentials' });

async function fillForm(user: ReturnType<typeof renderCredentials>['user']) {
  await user.type(await screen.findByRole('textbox', { name: /^Name/ }), 'staging');
  await user.type(screen.getByRole('textbox', { name: /^Directory \(tenant\) ID/ }), GUIDS.tenantId);
  await user.type(screen.getByRole('textbox', { name: /^Application \(client\) ID/ }), GUIDS.clientId);
  await user.type(screen.getByRole('textbox', { name: /^Subscription ID/ }), GUIDS.subscriptionId);
  await user.type(screen.getByLabelText(/^Client secret/), SECRET);
}

describe('credentials page', () => {
  it('lists credentials with public fields and status, never a secret', async () => {
    // Even if a server sent something secret-looking, the list renders only the documented fields.
    credentialsApi({ items: [{ ...credential, secret: 'stored', status: 'invalid', statusMessage: 'AADSTS7000215: invalid client secret', lastValidatedAt: new Date().toISOString() }] });
    renderCredentials();
    expect(await screen.findByRole('heading', { level: 1, name: 'Cloud credentials' })).toBeInTheDocument();
    const table = await screen.findByRole('table', { name: 'Credentials' });
    const row = within(table).getAllByRole('row')[1];
    expect(row).toHaveTextContent('prod-subscription');
    expect(row).toHaveTextContent('Linux VM (Azure)');
    expect(row).toHaveTextContent(credential.publicFields.clientId);
    expect(row).toHaveTextContent('invalid');
    expect(row).toHaveTextContent('AADSTS7000215: invalid client secret');
    expect(within(row).getByText('sandbox')).toBeInTheDocument();
    expect(table).not.toHaveTextContent('stored');
  });

  it('shows an unchecked credential as unchecked, never validated', async () => {
    credentialsApi();
    renderCredentials();
    const row = within(await screen.findByRole('table', { name: 'Credentials' })).getAllByRole('row')[1];
    expect(row).toHaveTextContent('unchecked');
    expect(row).toHaveTextContent('never');
  });

  it('explains when credentials are needed when there are none', async () => {
    credentialsApi({ items: [] });
    renderCredentials();
    const empty = await screen.findByTestId('empty-state');
    expect(empty).toHaveTextContent('No cloud credentials');
    expect(empty).toHaveTextContent('Linux VM (Azure) on your own cloud account');
    expect(empty).toHaveTextContent('Docker app and macOS VM (Orka) always do: they need no credentials');
  });

  it('adds a credential: sends public fields and secret with an Idempotency-Key, then clears the secret', async () => {
    const seen = recorder();
    credentialsApi({ items: [] });
    server.use(
      answer('post', '/tenants/{tenantId}/credentials', ({ body }) => {
        const b = body as { name: string; publicFields: Record<string, string> };
        return { ...credential, id: CREDENTIAL_ID, name: b.name, publicFields: b.publicFields };
      }, { status: 201 }),
    );
    const { user } = renderCredentials();
    await fillForm(user);
    await user.click(screen.getByRole('button', { name: 'Add credential' }));

    await waitFor(() => expect(seen.find((r) => r.method === 'POST')).toBeDefined());
    const sent = seen.find((r) => r.method === 'POST');
    expect(sent?.path).toBe(`/api/tenants/${TENANT_ID}/credentials`);
    expect(sent?.body).toEqual({ provider: 'azure', name: 'staging', publicFields: GUIDS, secret: SECRET });
    expect(sent?.headers.get('Idempotency-Key')).toMatch(/^web-/);
    expect(await screen.findByText(/Credential “staging” added/)).toBeInTheDocument();
    await waitFor(() => expect(screen.getByLabelText(/^Client secret/)).toHaveValue(''));
    expect(screen.queryByDisplayValue(SECRET)).not.toBeInTheDocument();
    expect(document.body).not.toHaveTextContent(SECRET);
  });

  it('shows a server field error on the field it belongs to', async () => {
    credentialsApi();
    server.use(answer('post', '/tenants/{tenantId}/credentials', () => problem(400, 'publicFields.clientId: must be the application (client) id, a GUID', [{ field: 'publicFields.clientId', message: 'must be the application (client) id, a GUID' }])));
    const { user } = renderCredentials();
    await fillForm(user);
    await user.click(screen.getByRole('button', { name: 'Add credential' }));
    expect(await screen.findByText('must be the application (client) id, a GUID')).toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: /^Application \(client\) ID/ })).toHaveAttribute('aria-invalid', 'true');
  });

  it('keeps the same Idempotency-Key when the same submission is retried', async () => {
    const seen = recorder();
    credentialsApi();
    server.use(answer('post', '/tenants/{tenantId}/credentials', () => problem(503, 'the server is busy, try again')));
    const { user } = renderCredentials();
    await fillForm(user);
    await user.click(screen.getByRole('button', { name: 'Add credential' }));
    expect(await screen.findByText('the server is busy, try again')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Add credential' }));
    await waitFor(() => expect(seen.filter((r) => r.method === 'POST')).toHaveLength(2));
    const [first, second] = seen.filter((r) => r.method === 'POST');
    expect(second.headers.get('Idempotency-Key')).toBe(first.headers.get('Idempotency-Key'));
  });

  it('validates a credential and reports the verdict', async () => {
    const seen = recorder();
    credentialsApi();
    server.use(answer('post', '/tenants/{tenantId}/credentials/{credentialId}/validate', { status: 'valid', message: null, credential: { ...credential, status: 'valid', lastValidatedAt: new Date().toISOString() } }));
    const { user } = renderCredentials();
    await user.click(await screen.findByRole('button', { name: 'Validate prod-subscription' }));
    expect(await screen.findByText('“prod-subscription” is valid: the provider accepted it.')).toBeInTheDocument();
    expect(seen.find((r) => r.method === 'POST')?.path).toBe(`/api/tenants/${TENANT_ID}/credentials/${CREDENTIAL_ID}/validate`);
  });

  it('deletes a credential only after confirmation, and says why when refused', async () => {
    const seen = recorder();
    credentialsApi();
    server.use(answer('delete', '/tenants/{tenantId}/credentials/{credentialId}', () => problem(409, 'instances use this credential (abc); destroy them first')));
    const { user } = renderCredentials();
    await user.click(await screen.findByRole('button', { name: 'Delete prod-subscription' }));
    const dialog = await screen.findByRole('dialog', { name: 'Delete the credential “prod-subscription”?' });
    expect(seen.some((r) => r.method === 'DELETE')).toBe(false);
    await user.click(within(dialog).getByRole('button', { name: 'Delete credential' }));
    await waitFor(() => expect(seen.find((r) => r.method === 'DELETE')?.path).toBe(`/api/tenants/${TENANT_ID}/credentials/${CREDENTIAL_ID}`));
    expect(await screen.findByText('instances use this credential (abc); destroy them first')).toBeInTheDocument();
  });

  it('deletes a credential once confirmed', async () => {
    credentialsApi();
    server.use(answer('delete', '/tenants/{tenantId}/credentials/{credentialId}', () => new Response(null, { status: 204 })));
    const { user } = renderCredentials();
    await user.click(await screen.findByRole('button', { name: 'Delete prod-subscription' }));
    await user.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Delete credential' }));
    expect(await screen.findByText('Credential “prod-subscription” deleted.')).toBeInTheDocument();
  });

  it('shows members the list without the form or the actions', async () => {
    credentialsApi({ role: 'member' });
    renderCredentials();
    await screen.findByRole('table', { name: 'Credentials' });
    expect(screen.getByText('Admins manage credentials')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Add credential' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^Validate/ })).not.toBeInTheDocument();
  });
});
