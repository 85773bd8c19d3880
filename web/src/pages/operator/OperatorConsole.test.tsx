import { configure, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { me, money, organizationSummary, TENANT_ID } from '../../test/fixtures';
import { renderPage } from '../../test/render';
import { answer, recorder, server } from '../../test/server';
import { OperatorConsole } from './OperatorConsole';

configure({ asyncUtilTimeout: 5000 });

const operator = { ...me, user: { ...me.user!, isOperator: true } };
const org = organizationSummary;

describe('operator console', () => {
  it('is refused to someone who is not an operator', async () => {
    server.use(answer('get', '/me', me));
    renderPage(<OperatorConsole />, { url: '/operator', path: '/operator' });
    expect(await screen.findByText('Only Tenantry operators see this page.')).toBeInTheDocument();
  });

  it('lists stuck provisions with their Temporal UI link and what they wait on', async () => {
    server.use(
      answer('get', '/me', operator),
      answer('get', '/admin/operations', {
        query: 'WorkflowType = "instanceWorkflow"',
        items: [
          {
            workflowId: 'instance-x',
            runId: 'run-1',
            instanceId: null,
            tenantId: TENANT_ID,
            tenantSlug: 'acme',
            name: 'web',
            provider: 'azure',
            phase: 'provisioning',
            startedAt: new Date().toISOString(),
            minutesRunning: 42,
            step: 'creating the VM',
            pendingReason: null,
            statusMessage: null,
            pendingActivities: [{ type: 'createVm', state: 'started', attempt: 7, lastFailure: 'quota exceeded', lastHeartbeatAt: null, nextAttemptIn: '30 s' }],
            temporalUrl: 'http://localhost:8233/namespaces/default/workflows/instance-x/run-1',
          },
        ],
      }),
    );
    renderPage(<OperatorConsole />, { url: '/operator', path: '/operator' });
    const table = await screen.findByRole('table', { name: 'Operations' });
    expect(within(table).getByText('42 min')).toBeInTheDocument();
    expect(within(table).getByText(/createVm · started · attempt 7 · quota exceeded/)).toBeInTheDocument();
    expect(within(table).getByRole('link', { name: 'Open in Temporal UI' })).toHaveAttribute('href', 'http://localhost:8233/namespaces/default/workflows/instance-x/run-1');
  });

  it('grants credits with one Idempotency-Key for the dialog, retries included', async () => {
    const seen = recorder();
    let calls = 0;
    server.use(
      answer('get', '/me', operator),
      answer('get', '/admin/tenants', { items: [org], nextCursor: null }),
      answer('post', '/admin/tenants/{tenantId}/credits', () => {
        calls++;
        if (calls === 1) return new Response('{}', { status: 503 });
        return { balance: money(110), status: 'active', granted: money(100) };
      }),
    );
    const { user } = renderPage(<OperatorConsole />, { url: '/operator/tenants', path: '/operator/:tab' });
    await user.click(await screen.findByRole('button', { name: 'Grant credits to Acme' }));
    const dialog = await screen.findByRole('dialog', { name: 'Grant credits to Acme' });
    await user.type(within(dialog).getByLabelText(/^Credits/), '100');
    await user.click(within(dialog).getByRole('button', { name: 'Grant credits' }));
    expect(await within(dialog).findByRole('alert')).toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Grant credits' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    const posts = seen.filter((r) => r.method === 'POST');
    expect(posts).toHaveLength(2);
    expect(posts[0].body).toEqual({ credits: 100, reason: 'top_up', description: 'Credits granted by an operator' });
    expect(posts[0].headers.get('Idempotency-Key')).toBeTruthy();
    expect(posts[1].headers.get('Idempotency-Key')).toBe(posts[0].headers.get('Idempotency-Key'));
  });
});
