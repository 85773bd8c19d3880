import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Instance } from '../../api/types';
import { INSTANCE_ID, instance, providersAnswer, TENANT_ID, tenant } from '../../test/fixtures';
import { renderPage } from '../../test/render';
import { answer, problem, recorder, server } from '../../test/server';
import { FakeEventSource, installFakeEventSource } from './fake-event-source';
import { InstanceDetail } from './InstanceDetail';

const at = new Date().toISOString();
const event = (id: number, message: string, extra: Partial<{ phase: Instance['phase']; progress: number; step: string; level: 'info' | 'warn' | 'error' }> = {}) => ({
  id: String(id),
  at,
  level: extra.level ?? 'info',
  phase: extra.phase ?? null,
  progress: extra.progress ?? null,
  step: extra.step ?? null,
  message,
});

const provisioning: Instance = {
  ...instance,
  phase: 'provisioning',
  progress: 25,
  currentStep: 'create',
  endpoint: null,
  healthy: null,
  runningSince: null,
  actions: { start: false, stop: false, restart: false, cancel: true, destroy: true, commands: false },
};

function show(i: Instance, handlers: Parameters<typeof server.use> = []) {
  server.use(
    ...handlers,
    answer('get', '/tenants/{tenantId}', tenant),
    answer('get', '/providers', providersAnswer),
    answer('get', '/instances/{instanceId}', i),
    answer('get', '/instances/{instanceId}/metrics', {
      status: { state: 'running', healthy: true },
      metrics: { at, cpuPercent: 12.5, memoryBytes: 100 * 1048576, memoryLimitBytes: 256 * 1048576, networkRxBytes: 2048, networkTxBytes: 1024, status: 'running' },
    }),
  );
  return renderPage(<InstanceDetail />, { url: `/t/${TENANT_ID}/instances/${INSTANCE_ID}`, path: '/t/:tenantId/instances/:instanceId' });
}

let undo: () => void;
beforeEach(() => {
  undo = installFakeEventSource();
});
afterEach(() => undo());

describe('instance detail', () => {
  it('follows a provision live: named steps, progress, log lines, and the phase reaching running', async () => {
    show(provisioning);
    expect(await screen.findByRole('heading', { level: 1, name: 'web' })).toBeInTheDocument();
    const source = FakeEventSource.last!;
    expect(source.url).toBe(`http://localhost:3000/api/instances/${INSTANCE_ID}/events`);
    act(() => {
      source.emit('state', provisioning);
      source.emit('phase', event(1, 'provisioning slot granted', { phase: 'provisioning', progress: 10, step: 'prepare' }));
      source.emit('progress', event(2, 'prerequisites ready', { progress: 45, step: 'boot' }));
      source.emit('log', event(3, 'pulling the image', { level: 'warn' }));
    });
    const log = screen.getByTestId('instance-log');
    expect(within(log).getAllByRole('listitem').map((li) => li.textContent)).toEqual([expect.stringContaining('provisioning: provisioning slot granted'), expect.stringContaining('prerequisites ready'), expect.stringContaining('pulling the image')]);
    expect(screen.getByRole('progressbar', { name: 'Provisioning: 45%' })).toBeInTheDocument();
    expect(screen.getByText('Boot')).toBeInTheDocument();
    expect(screen.getByTestId('phase-badge')).toHaveAttribute('data-phase', 'provisioning');

    // A phase change refetches the instance: now it runs, with its endpoint.
    server.use(answer('get', '/instances/{instanceId}', instance));
    act(() => source.emit('phase', event(4, 'running', { phase: 'running', progress: 100 })));
    await waitFor(() => expect(screen.getByTestId('phase-badge')).toHaveAttribute('data-phase', 'running'));
    expect(screen.getByRole('link', { name: 'Open app' })).toHaveAttribute('href', 'http://web.acme.localhost:8080/');
    expect(screen.queryByRole('progressbar')).not.toBeInTheDocument();
  });

  it('says how long a provision usually takes, how long this one has taken, and when it takes longer than usual', async () => {
    const admittedAt = new Date(Date.now() - 12_000).toISOString();
    show({ ...provisioning, admittedAt });
    // (Until the catalogue has loaded it counts the time alone.)
    await waitFor(() => expect(screen.getByTestId('provision-timing')).toHaveTextContent(/^Usually takes about 20 s · 1[2-4] s so far$/));
    cleanup();
    show({ ...provisioning, admittedAt: new Date(Date.now() - 150_000).toISOString() });
    await waitFor(() => expect(screen.getByTestId('provision-timing')).toHaveTextContent(/^Taking longer than the usual 20 s \(2 min so far\)\. .*you can cancel at any time\.$/));
  });

  it('counts the time alone where the provider has no typical duration yet', async () => {
    show({ ...provisioning, provider: 'azure', admittedAt: new Date(Date.now() - 5_000).toISOString() });
    expect(await screen.findByTestId('provision-timing')).toHaveTextContent(/^[5-7] s so far$/);
  });

  it('closes the stream when the server says the lifecycle ended', async () => {
    show({ ...instance, phase: 'destroyed', endpoint: null, actions: { start: false, stop: false, restart: false, cancel: false, destroy: false, commands: false } });
    await screen.findByRole('heading', { level: 1, name: 'web' });
    act(() => FakeEventSource.last!.emit('end', { phase: 'destroyed' }));
    expect(FakeEventSource.last!.closed).toBe(true);
    expect(screen.getByText('final')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Start' })).not.toBeInTheDocument();
    expect(screen.getByText(/the instance no longer exists/)).toBeInTheDocument();
  });

  it('shows how to reach a Mac (SSH, VNC) and a Linux VM (FQDN, IP)', async () => {
    const mac = { ...instance, provider: 'orka' as const, template: 'sonoma', size: 'standard', endpoint: { ip: '127.0.0.1', ssh: 'ssh admin@127.0.0.1 -p 40022', vnc: 'vnc://127.0.0.1:40590', ports: { ssh: 40022, vnc: 40590 } } };
    const first = show(mac);
    expect(await screen.findByTestId('endpoint-ssh')).toHaveTextContent('ssh admin@127.0.0.1 -p 40022');
    expect(screen.getByTestId('endpoint-vnc')).toHaveTextContent('vnc://127.0.0.1:40590');
    expect(screen.getByRole('button', { name: 'Copy ssh admin@127.0.0.1 -p 40022' })).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Open app' })).not.toBeInTheDocument();
    expect((await screen.findAllByText('sandbox')).length).toBeGreaterThan(0);
    first.unmount();

    show({ ...instance, provider: 'azure', endpoint: { url: 'http://127.0.0.1:41000/', ip: '20.1.2.3', fqdn: 'claw-1a2b.westeurope.cloudapp.azure.com', ssh: 'ssh azureuser@20.1.2.3' } });
    expect(await screen.findByTestId('endpoint-fqdn')).toHaveTextContent('claw-1a2b.westeurope.cloudapp.azure.com');
    expect(screen.getByTestId('endpoint-ip')).toHaveTextContent('20.1.2.3');
    expect(screen.getByRole('link', { name: 'Open app' })).toHaveAttribute('href', 'http://127.0.0.1:41000/');
  });

  it('stops only after confirmation that says what happens to billing and data', async () => {
    const seen = recorder();
    const { user } = show(instance, [answer('post', '/instances/{instanceId}/stop', { ...instance, phase: 'stopping' })]);
    await user.click(await screen.findByRole('button', { name: 'Stop' }));
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('Disk and data are kept');
    expect(dialog).toHaveTextContent('stopped rate');
    expect(seen.some((r) => r.path.endsWith('/stop'))).toBe(false);
    await user.click(within(dialog).getByRole('button', { name: 'Stop instance' }));
    await waitFor(() => expect(seen.filter((r) => r.method === 'POST' && r.path === `/api/instances/${INSTANCE_ID}/stop`)).toHaveLength(1));
  });

  it('keeps the instance when the confirmation is dismissed', async () => {
    const seen = recorder();
    const { user } = show(instance);
    await user.click(await screen.findByRole('button', { name: 'Destroy' }));
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('cannot be recovered');
    await user.click(within(dialog).getByRole('button', { name: 'Keep as is' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(seen.some((r) => r.method === 'DELETE')).toBe(false);
  });

  it('cancels a provision in progress, and says why when the API refuses', async () => {
    const seen = recorder();
    const { user } = show(provisioning, [answer('post', '/instances/{instanceId}/cancel', () => problem(409, 'cannot cancel: the instance is running; only a provision in progress can be cancelled'))]);
    expect(screen.queryByRole('button', { name: 'Stop' })).not.toBeInTheDocument();
    await user.click(await screen.findByRole('button', { name: 'Cancel provisioning' }));
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('released');
    await user.click(within(dialog).getByRole('button', { name: 'Cancel provisioning' }));
    expect(await screen.findByText(/only a provision in progress can be cancelled/)).toBeInTheDocument();
    expect(seen.filter((r) => r.path === `/api/instances/${INSTANCE_ID}/cancel`)).toHaveLength(1);
  });

  it('runs a diagnostic command and shows its output', async () => {
    const seen = recorder();
    const { user } = show(instance, [answer('post', '/instances/{instanceId}/commands', { commandId: 'c1', command: 'uptime', exitCode: 0, output: ' 12:00:01 up 3 min, load average: 0.01', truncated: false })]);
    await user.click(await screen.findByRole('combobox', { name: 'Command' }));
    await user.click(await screen.findByRole('option', { name: /^uptime/, hidden: true }));
    await user.click(screen.getByRole('button', { name: 'Run' }));
    expect(await screen.findByTestId('command-output')).toHaveTextContent('up 3 min');
    expect(seen.find((r) => r.path.endsWith('/commands'))?.body).toEqual({ command: 'uptime' });
  });

  it('draws metrics of a running instance', async () => {
    show(instance);
    expect(await screen.findByTestId('metrics-now')).toHaveTextContent('12.5 %');
    expect(screen.getByTestId('metrics-now')).toHaveTextContent('100 MB of 256 MB');
    expect(screen.getByRole('figure', { name: 'CPU %' })).toBeInTheDocument();
  });

  it('says why a provision failed', async () => {
    show({ ...provisioning, phase: 'failed', statusMessage: 'create failed: the image does not exist', actions: { start: false, stop: false, restart: false, cancel: false, destroy: true, commands: false } });
    await waitFor(() => expect(screen.getAllByRole('alert').find((a) => a.textContent?.includes('Provisioning failed'))).toHaveTextContent('create failed: the image does not exist'));
    expect(await screen.findByRole('button', { name: 'Destroy' })).toBeInTheDocument();
  });

  it('links operators to the lifecycle in the Temporal UI', async () => {
    show({ ...instance, temporalUrl: 'http://127.0.0.1:8233/namespaces/default/workflows/instance-x' });
    expect(await screen.findByRole('link', { name: /Open in Temporal UI/ })).toHaveAttribute('href', 'http://127.0.0.1:8233/namespaces/default/workflows/instance-x');
  });

  it('hides actions from viewers', async () => {
    show(instance, [answer('get', '/tenants/{tenantId}', { ...tenant, role: 'viewer' })]);
    await screen.findByRole('heading', { level: 1, name: 'web' });
    await screen.findByTestId('metrics-now');
    expect(screen.queryByRole('button', { name: 'Stop' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Run' })).not.toBeInTheDocument();
  });
});
