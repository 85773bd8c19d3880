// A macOS VM's life through the instance workflow, against the Orka simulator over its REST API:
// order → running with SSH/VNC → stop → start → destroy, with nothing left in the cluster.
import { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrkaClient, orkaVmName } from '../../activities/orka';
import { destroyInstanceSignal, startInstanceUpdate, stopInstanceUpdate } from '../../workflows/instance';
import { signUpActive, type SignedUp } from '../helpers/http';
import { order, waitForPhase } from '../helpers/instances';
import { startStack, type TestStack } from '../helpers/stack';

const user = { type: 'user' as const, id: 'test' };
let stack: TestStack;
let tenant: SignedUp;
let orka: OrkaClient;

beforeAll(async () => {
  stack = await startStack('orka_lifecycle');
  tenant = await signUpActive(stack, { plan: 'pro' });
  orka = new OrkaClient({ endpoint: stack.config.orka.endpoint!, token: stack.config.orka.token!, namespace: stack.config.orka.namespace });
});
afterAll(async () => {
  await stack?.close();
});

function banner(port: number): Promise<string> {
  return new Promise((resolve) => {
    const s = new Socket();
    s.setTimeout(2000);
    s.once('data', (d) => {
      resolve(d.toString());
      s.destroy();
    });
    s.once('error', () => resolve(''));
    s.once('timeout', () => {
      resolve('');
      s.destroy();
    });
    s.connect(port, '127.0.0.1');
  });
}

describe('an Orka macOS VM', () => {
  it('provisions, answers SSH, stops, starts and is destroyed without leftovers', async () => {
    const o = await order(stack, tenant, { provider: 'orka', name: 'mac' });
    const running = await waitForPhase(o.handle, 'running');
    expect(running.endpoint?.ssh).toMatch(/^ssh admin@127\.0\.0\.1 -p \d+$/);
    const sshPort = Number(running.endpoint!.ssh!.split(' -p ')[1]);
    expect(await banner(sshPort)).toMatch(/^SSH-2\.0-/);
    const vm = await orka.getVm(orkaVmName(o.instanceId));
    expect(vm?.name).toBe(orkaVmName(o.instanceId));

    expect((await o.handle.executeUpdate(stopInstanceUpdate, { args: [user] })).phase).toBe('stopped');
    expect(await banner(sshPort)).toBe('');
    expect((await o.handle.executeUpdate(startInstanceUpdate, { args: [user] })).phase).toBe('running');

    await o.handle.signal(destroyInstanceSignal, user);
    expect((await o.handle.result()).phase).toBe('destroyed');
    expect(await orka.findVm(orkaVmName(o.instanceId))).toBeUndefined();
  });
});
