// The Orka client against the simulator: wire shapes, and each kind of failure as its typed error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  OrkaAuthenticationError,
  OrkaClient,
  OrkaConflictError,
  OrkaInvalidRequestError,
  OrkaNotFoundError,
  OrkaServerError,
  OrkaUnreachableError,
} from '../../activities/orka';
import { startOrkaSimulator, type OrkaSimulator } from '../../simulators/orka/server';
import { freePort } from '../../lib/ports';

let sim: OrkaSimulator;
let client: OrkaClient;

beforeAll(async () => {
  sim = await startOrkaSimulator({ deployDelayMs: 50 });
  client = new OrkaClient({ endpoint: `${sim.endpoint}/`, token: sim.token, namespace: sim.namespace });
});
afterAll(async () => {
  await sim?.stop();
});

async function failureOf(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e,
  );
}

describe('OrkaClient', () => {
  it('reads cluster info without a token', async () => {
    const anonymous = new OrkaClient({ endpoint: sim.endpoint, token: '', namespace: sim.namespace });
    expect(await anonymous.clusterInfo()).toMatchObject({ apiEndpoint: expect.stringMatching(/^https:/) });
  });

  it('deploys, lists, gets and deletes a VM; a second delete says absent', async () => {
    const vm = await client.deployVm({ name: 'client-vm-1', image: 'sonoma-90gb-orka3-arm', cpu: 2, memory: 4 });
    expect(vm).toMatchObject({ name: 'client-vm-1', status: 'Running', ip: '127.0.0.1', cpu: 2, memoryGb: 4, type: 'arm64' });
    expect(vm.ssh).toBeGreaterThan(0);
    expect((await client.listVms()).map((v) => v.name)).toEqual(['client-vm-1']);
    expect(await client.findVm('client-vm-1')).toMatchObject({ node: vm.node });
    expect((await client.listNodes()).find((n) => n.name === vm.node)).toMatchObject({ availableCpu: 6, availableMemoryGb: 24, phase: 'READY' });
    expect(await client.deleteVm('client-vm-1')).toBe('deleted');
    expect(await client.deleteVm('client-vm-1')).toBe('absent');
    expect(await client.findVm('client-vm-1')).toBeUndefined();
    await expect(client.getVm('client-vm-1')).rejects.toBeInstanceOf(OrkaNotFoundError);
  });

  it('lists images with their cache state, and VM configs', async () => {
    sim.markImageUncached('sequoia-90gb-orka3-arm', Infinity);
    expect(await client.listImages()).toContainEqual(expect.objectContaining({ name: 'sequoia-90gb-orka3-arm', type: 'arm64', state: 'Caching' }));
    sim.markImageCached('sequoia-90gb-orka3-arm');
    expect(await client.listVmConfigs()).toEqual([]);
  });

  it('maps 401 and 403 to OrkaAuthenticationError, without the token in the message', async () => {
    const badToken = new OrkaClient({ endpoint: sim.endpoint, token: 'secret-but-wrong', namespace: sim.namespace });
    const unauthorized = await failureOf(badToken.listVms());
    expect(unauthorized).toBeInstanceOf(OrkaAuthenticationError);
    expect(unauthorized).toMatchObject({ status: 401, retryable: false });
    expect((unauthorized as Error).message).not.toContain('secret-but-wrong');
    const otherNamespace = new OrkaClient({ endpoint: sim.endpoint, token: sim.token, namespace: 'orka-team-b' });
    expect(await failureOf(otherNamespace.listNodes())).toMatchObject({ status: 403, kind: 'authentication' });
    sim.addToken('team-b-token', ['orka-team-b']);
    const teamB = new OrkaClient({ endpoint: sim.endpoint, token: 'team-b-token', namespace: 'orka-team-b' });
    expect(await teamB.listNodes()).toEqual([]);
  });

  it('maps 409 AlreadyExists and 422/400 validation failures', async () => {
    await client.deployVm({ name: 'client-vm-2', image: 'sonoma-90gb-orka3-arm', cpu: 2, memory: 4 });
    const dup = await failureOf(client.deployVm({ name: 'client-vm-2', image: 'sonoma-90gb-orka3-arm', cpu: 2 }));
    expect(dup).toBeInstanceOf(OrkaConflictError);
    expect(dup).toMatchObject({ reason: 'AlreadyExists' });
    expect(await failureOf(client.deployVm({ name: 'Bad_Name', image: 'sonoma-90gb-orka3-arm' }))).toBeInstanceOf(OrkaInvalidRequestError);
    expect(await failureOf(client.deployVm({ name: 'no-image' }))).toMatchObject({ status: 400, kind: 'invalid' });
    expect(await failureOf(client.deployVm({ name: 'unknown-image', image: 'nope' }))).toBeInstanceOf(OrkaNotFoundError);
    await client.deleteVm('client-vm-2');
  });

  it('maps 5xx, JSON or not, to a retryable OrkaServerError', async () => {
    sim.failNextRequests(1, { status: 503 });
    expect(await failureOf(client.listVms())).toMatchObject({ status: 503, retryable: true, reason: 'ServiceUnavailable' });
    sim.failNextRequests(1, { status: 502, nonJson: true });
    const proxy = await failureOf(client.listVms());
    expect(proxy).toBeInstanceOf(OrkaServerError);
    expect((proxy as Error).message).toMatch(/HTTP 502: 502 Bad Gateway nginx/);
    expect(await client.listVms()).toEqual([]);
  });

  it('gives up on a call with no answer in time, and hands back the caller’s own abort', async () => {
    sim.stallBoot(true);
    try {
      const slow = await failureOf(client.deployVm({ name: 'client-vm-3', image: 'sonoma-90gb-orka3-arm', cpu: 2 }, { timeoutMs: 200 }));
      expect(slow).toBeInstanceOf(OrkaUnreachableError);
      expect(slow).toMatchObject({ timedOut: true, retryable: true });
      const controller = new AbortController();
      const reason = new Error('activity cancelled');
      const pending = client.deployVm({ name: 'client-vm-4', image: 'sonoma-90gb-orka3-arm', cpu: 2 }, { signal: controller.signal });
      // Abort while Orka holds the request (the VM exists, Pending).
      while (!sim.vm('client-vm-4')) await new Promise((r) => setTimeout(r, 10));
      controller.abort(reason);
      expect(await failureOf(pending)).toBe(reason);
    } finally {
      sim.stallBoot(false);
    }
    // Both deploys went on server-side; the VMs are there to be adopted or deleted by name.
    expect((await client.listVms()).map((v) => v.name).sort()).toEqual(['client-vm-3', 'client-vm-4']);
  });

  it('reports an endpoint where nothing listens as unreachable, not timed out', async () => {
    const nowhere = new OrkaClient({ endpoint: `http://127.0.0.1:${await freePort()}`, token: 't', namespace: 'orka-default' });
    expect(await failureOf(nowhere.listVms())).toMatchObject({ kind: 'unreachable', timedOut: false, retryable: true });
  });
});
