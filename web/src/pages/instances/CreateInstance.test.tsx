import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Estimate } from '../../api/types';
import { INSTANCE_ID, instance, money, providersAnswer, TENANT_ID, tenant } from '../../test/fixtures';
import { renderPage } from '../../test/render';
import { answer, problem, recorder, server } from '../../test/server';
import { CreateInstance } from './CreateInstance';
import { InstanceList } from './InstanceList';
import { nameProblem, quotaCheck } from './instance-rules';

const estimate = (provider: string, size: string, perHour: number): Estimate => ({
  provider,
  size,
  count: 1,
  hours: 730,
  perHour: money(perHour),
  allocatedPerHour: money(perHour / 5),
  total: money(perHour * 730),
  monthly: money(perHour * 730),
  balance: money(42),
  affordableHours: 42 / perHour,
});

function showForm(t = tenant, extra: Parameters<typeof server.use> = []) {
  server.use(
    ...extra,
    answer('get', '/tenants/{tenantId}', t),
    answer('get', '/providers', providersAnswer),
    answer('get', '/tenants/{tenantId}/sites', { items: [] }),
    answer('get', '/tenants/{tenantId}/credentials', { items: [] }),
    answer('post', '/tenants/{tenantId}/billing/estimate', ({ body }) => {
      const b = body as { provider: string; size: string };
      return estimate(b.provider, b.size, b.provider === 'orka' ? 1.2 : 0.05);
    }),
  );
  return renderPage(<CreateInstance />, { url: `/t/${TENANT_ID}/instances/new`, path: '/t/:tenantId/instances/new' });
}

describe('the order rules', () => {
  it('refuses names the API refuses', () => {
    expect(nameProblem('shop')).toBeNull();
    expect(nameProblem('Shop')).toMatch(/lower-case/);
    expect(nameProblem('shop-')).toMatch(/not ending with a hyphen/);
    expect(nameProblem('a'.repeat(41))).toMatch(/at most 40/);
    expect(nameProblem('  ')).toBe('is required');
  });
  it('checks each quota', () => {
    const q = quotaCheck({ quotas: { maxInstances: 3, maxVcpu: 8, maxMemoryMb: 8192, maxConcurrentProvisions: 1 }, usage: { instances: 1, vcpu: 6, memoryMb: 1024 } }, { vcpu: 4, memoryMb: 8192 });
    expect(q.ok).toBe(false);
    expect(q.lines.map((l) => [l.what, l.ok])).toEqual([['instances', true], ['vCPU', false], ['memory', false]]);
  });
});

describe('create instance', () => {
  it('shows the cost, switches choices with the provider, and orders with an Idempotency-Key', async () => {
    const seen = recorder();
    server.use(answer('post', '/tenants/{tenantId}/instances', { id: INSTANCE_ID, workflowId: `instance-${INSTANCE_ID}`, phase: 'pending', links: { self: '', events: '' } }, { status: 202 }));
    const { user } = showForm();
    expect(await screen.findByText('0.05 credits / hour')).toBeInTheDocument();
    expect(screen.getByTestId('typical-provision')).toHaveTextContent('Usually running about 20 s after it starts provisioning.');
    await user.click(screen.getByRole('radio', { name: 'macOS VM (Orka)' }));
    expect(await screen.findByText('1.20 credits / hour')).toBeInTheDocument();
    expect(screen.getByTestId('typical-provision')).toHaveTextContent('about 2 min');
    expect(screen.getByRole('combobox', { name: 'Template' })).toHaveValue('macOS Sonoma');
    // Azure has no typical duration yet (see the fixtures): nothing is claimed.
    await user.click(screen.getByRole('radio', { name: 'Linux VM (Azure)' }));
    await waitFor(() => expect(screen.queryByTestId('typical-provision')).not.toBeInTheDocument());
    await user.click(screen.getByRole('radio', { name: 'Docker app' }));
    await user.type(screen.getByRole('textbox', { name: /^Name/ }), 'shop');
    await user.click(screen.getByRole('button', { name: 'Create instance' }));
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent(`/t/${TENANT_ID}/instances/${INSTANCE_ID}`));
    const sent = seen.find((r) => r.method === 'POST' && r.path === `/api/tenants/${TENANT_ID}/instances`)!;
    expect(sent.body).toEqual({ name: 'shop', provider: 'docker', template: 'demo-app', region: 'local', size: 'small', siteId: null, credentialId: null });
    expect(sent.headers.get('idempotency-key')).toMatch(/^[\w-]{16,}$/);
  });

  it('blocks the order before submitting when it is over quota', async () => {
    const full = { ...tenant, usage: { instances: 3, vcpu: 1, memoryMb: 512 } };
    showForm(full);
    expect(await screen.findByText(/Instances: 3 \+ 1 of 3/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Create instance' })).toBeDisabled();
    expect(screen.getByText(/Over your plan’s quota/)).toBeInTheDocument();
  });

  it('checks the name while typing and puts the server’s field error on its field', async () => {
    server.use(answer('post', '/tenants/{tenantId}/instances', () => problem(409, 'an instance named "shop" exists', [{ field: 'name', message: 'is used by another instance' }])));
    const { user } = showForm();
    const name = await screen.findByRole('textbox', { name: /^Name/ });
    await user.click(screen.getByRole('button', { name: 'Create instance' }));
    expect(await screen.findByText('is required')).toBeInTheDocument();
    await user.type(name, 'shop');
    await user.click(screen.getByRole('button', { name: 'Create instance' }));
    expect(await screen.findByText('is used by another instance')).toBeInTheDocument();
    expect(name).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByTestId('location')).toHaveTextContent('/instances/new');
  });

  it('tells viewers they cannot create instances', async () => {
    showForm({ ...tenant, role: 'viewer' });
    expect(await screen.findByText('Your role cannot create instances')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Create instance' })).not.toBeInTheDocument();
  });
});

describe('instance list', () => {
  function showList(items: (typeof instance)[]) {
    server.use(
      answer('get', '/tenants/{tenantId}', tenant),
      answer('get', '/providers', providersAnswer),
      answer('get', '/tenants/{tenantId}/instances', { items, nextCursor: null }),
    );
    return renderPage(<InstanceList />, { url: `/t/${TENANT_ID}/instances`, path: '/t/:tenantId/instances' });
  }
  it('invites to create the first instance when there is none', async () => {
    showList([]);
    expect(await screen.findByText('No instances yet')).toBeInTheDocument();
    expect((await screen.findAllByRole('link', { name: 'Create instance' }))[0]).toHaveAttribute('href', `/t/${TENANT_ID}/instances/new`);
  });
  it('lists instances with phase, endpoint and a link to each', async () => {
    showList([instance, { ...instance, id: 'i2', name: 'mac', provider: 'orka', phase: 'pending', pendingReason: 'waiting for a provisioning slot', endpoint: null }]);
    expect(await screen.findByRole('link', { name: 'web' })).toHaveAttribute('href', `/t/${TENANT_ID}/instances/${instance.id}`);
    expect(screen.getByRole('link', { name: /web\.acme\.localhost:8080/ })).toHaveAttribute('href', 'http://web.acme.localhost:8080/');
    expect(screen.getByText('waiting for a provisioning slot')).toBeInTheDocument();
    expect(screen.getAllByTestId('phase-badge').map((b) => b.dataset.phase)).toEqual(['running', 'pending']);
  });
});
