import { notifications } from '@mantine/notifications';
import { configure, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../api/types';
import { INSTANCE_ID, tenant, TENANT_ID, USER_ID } from '../../test/fixtures';
import { renderPage } from '../../test/render';
import { answer, recorder, server } from '../../test/server';
import { chooseOption } from '../../test/choose-option';
import { AuditLog } from './AuditLog';

configure({ asyncUtilTimeout: 5000 });
afterEach(() => notifications.clean());

const entry = (id: number, over: Partial<AuditEntry> = {}): AuditEntry => ({
  id: String(id),
  at: new Date(Date.now() - id * 60_000).toISOString(),
  actor: { type: 'user', id: USER_ID, name: 'Ada <ada@example.com>' },
  action: 'instance.stop',
  target: { type: 'instance', id: INSTANCE_ID },
  result: 'success',
  ip: '203.0.113.7',
  requestId: `req-${id}`,
  details: { reason: 'nightly' },
  ...over,
});

const renderAudit = (search = '') => renderPage(<AuditLog />, { url: `/t/${TENANT_ID}/audit${search}`, path: '/t/:tenantId/audit' });
const auditRequests = (seen: ReturnType<typeof recorder>) => seen.filter((r) => r.path.startsWith(`/api/tenants/${TENANT_ID}/audit`)).map((r) => new URL(`http://x${r.path}`).searchParams);
const location = () => new URL(`http://x${screen.getByTestId('location').textContent}`);

function auditApi(respond: (query: URLSearchParams) => { items: AuditEntry[]; nextCursor: string | null }, role: 'owner' | 'member' = 'owner') {
  server.use(
    answer('get', '/tenants/{tenantId}', { ...tenant, role }),
    answer('get', '/tenants/{tenantId}/audit', ({ request }) => respond(new URL(request.url).searchParams)),
  );
}

describe('audit log', () => {
  it('lists entries with actor, action, target and result, and opens one for its details', async () => {
    auditApi(() => ({ items: [entry(1), entry(2, { actor: { type: 'api_key', id: 'k1', name: 'ci-deploys (tk_3f9a2c1b7d0e)' }, action: 'api_key.create', result: 'denied', target: { type: null, id: null } })], nextCursor: null }));
    const { user } = renderAudit();
    const table = await screen.findByRole('table', { name: 'Audit entries' });
    expect(within(table).getByText('Ada <ada@example.com>')).toBeInTheDocument();
    expect(within(table).getByText('ci-deploys (tk_3f9a2c1b7d0e)')).toBeInTheDocument();
    expect(within(table).getByText('denied')).toBeInTheDocument();
    expect(within(table).getAllByRole('link', { name: /^33333333/ })[0]).toHaveAttribute('href', `/t/${TENANT_ID}/instances/${INSTANCE_ID}`);
    expect(screen.queryByText('req-1')).not.toBeInTheDocument();

    const toggle = within(table).getByRole('button', { name: /Show details of instance.stop/ });
    await user.click(toggle);
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    expect(screen.getByText('req-1')).toBeInTheDocument();
    expect(screen.getByText('203.0.113.7')).toBeInTheDocument();
    expect(screen.getByLabelText('Entry details')).toHaveTextContent('"reason": "nightly"');
  });

  it('applies filters to the URL and to the request', async () => {
    const seen = recorder();
    auditApi(() => ({ items: [entry(1)], nextCursor: null }));
    const { user } = renderAudit();
    await screen.findByRole('table', { name: 'Audit entries' });
    await user.type(screen.getByRole('combobox', { name: 'Action' }), 'instance.*');
    await chooseOption(user, 'Result', 'denied');
    await user.type(screen.getByLabelText(/^From/), '2026-01-05');
    await user.type(screen.getByLabelText(/^To/), '2026-01-06');
    await user.click(screen.getByRole('button', { name: 'Apply filters' }));

    await waitFor(() => expect(location().searchParams.get('action')).toBe('instance.*'));
    expect(Object.fromEntries(location().searchParams)).toEqual({ action: 'instance.*', result: 'denied', from: '2026-01-05', to: '2026-01-06' });
    await waitFor(() => expect(auditRequests(seen).at(-1)?.get('action')).toBe('instance.*'));
    const sent = auditRequests(seen).at(-1)!;
    expect(sent.get('result')).toBe('denied');
    expect(sent.get('from')).toBe(new Date('2026-01-05T00:00:00').toISOString());
    // "To" includes its whole day: the API's bound is exclusive.
    expect(sent.get('to')).toBe(new Date('2026-01-07T00:00:00').toISOString());
  });

  it('opens a shared, filtered view from the URL', async () => {
    const seen = recorder();
    auditApi(() => ({ items: [entry(1)], nextCursor: null }));
    renderAudit('?actorType=api_key&targetId=abc&result=bogus');
    await screen.findByRole('table', { name: 'Audit entries' });
    const sent = auditRequests(seen)[0];
    expect(sent.get('actorType')).toBe('api_key');
    expect(sent.get('targetId')).toBe('abc');
    expect(sent.has('result')).toBe(false);
    expect(screen.getByRole('combobox', { name: 'Actor type' })).toHaveValue('API key');
    expect(screen.getByRole('textbox', { name: 'Target id' })).toHaveValue('abc');
  });

  it('narrows to an entry’s actor from its details', async () => {
    auditApi(() => ({ items: [entry(1)], nextCursor: null }));
    const { user } = renderAudit('?action=instance.*');
    await user.click(await screen.findByRole('button', { name: /Show details/ }));
    await user.click(screen.getByRole('button', { name: 'Only this actor' }));
    await waitFor(() => expect(Object.fromEntries(location().searchParams)).toEqual({ action: 'instance.*', actorType: 'user', actorId: USER_ID }));
  });

  it('pages through older entries with the API’s cursor and back', async () => {
    const seen = recorder();
    auditApi((q) =>
      q.get('cursor') === '51' ? { items: [entry(51, { action: 'member.invite' })], nextCursor: null } : { items: Array.from({ length: 50 }, (_, i) => entry(i + 1)), nextCursor: '51' },
    );
    const { user } = renderAudit('?action=instance.*');
    await screen.findByRole('table', { name: 'Audit entries' });
    expect(screen.getByText(/Page 1 · 50 entries/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Older' }));

    expect(await screen.findByText('member.invite')).toBeInTheDocument();
    expect(location().searchParams.get('cursor')).toBe('51');
    expect(location().searchParams.get('action')).toBe('instance.*');
    const sent = auditRequests(seen).at(-1)!;
    expect(sent.get('cursor')).toBe('51');
    expect(sent.get('action')).toBe('instance.*');
    expect(sent.get('limit')).toBe('50');
    expect(screen.getByText(/Page 2 · 1 entry/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Older' })).toBeDisabled();

    await user.click(screen.getByRole('button', { name: 'Newer' }));
    await waitFor(() => expect(location().searchParams.has('cursor')).toBe(false));
    expect(await screen.findByText(/Page 1 · 50 entries/)).toBeInTheDocument();
  });

  it('says when nothing matches and clears the filters', async () => {
    auditApi((q) => (q.get('action') ? { items: [], nextCursor: null } : { items: [entry(1)], nextCursor: null }));
    const { user } = renderAudit('?action=billing.*');
    expect(await screen.findByText('No entries match these filters')).toBeInTheDocument();
    await user.click(within(screen.getByTestId('empty-state')).getByRole('button', { name: 'Clear filters' }));
    await waitFor(() => expect(location().search).toBe(''));
    expect(await screen.findByRole('table', { name: 'Audit entries' })).toBeInTheDocument();
  });

  it('tells a non-admin it is for admins without asking the API', async () => {
    const seen = recorder();
    auditApi(() => ({ items: [], nextCursor: null }), 'member');
    renderAudit();
    expect(await screen.findByText('Only admins and owners read the audit log')).toBeInTheDocument();
    expect(auditRequests(seen)).toHaveLength(0);
  });
});
