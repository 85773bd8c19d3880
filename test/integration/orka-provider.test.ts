// The Orka provider through its real HTTP client against our Orka 3 simulator (real loopback
// sockets for each VM's SSH and VNC), with instance rows in a real Postgres.
import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOrkaProvider, orkaVmName, OrkaServerError, OrkaVmStillExistsError, type OrkaSettings } from '../../activities/orka';
import type { ComputeProvider, InstanceTarget, StepOutcome } from '../../activities/providers/contract';
import { readProviderRefs } from '../../activities/providers/refs';
import { resolveSpec } from '../../lib/catalog';
import { createDb, type Db } from '../../lib/db';
import { createLogger } from '../../lib/logger';
import { createSecretBox } from '../../lib/secrets';
import { startOrkaSimulator, type OrkaSimulator, type OrkaSimulatorOptions } from '../../simulators/orka/server';
import { freshDatabase } from '../helpers/stack';

let db: Db;
let tenantId: string;
const sims: OrkaSimulator[] = [];
let sim: OrkaSimulator;
let orka: ComputeProvider;

const fastTimeouts: OrkaSettings['timeouts'] = { pollMs: 100, heartbeatMs: 500, probeMs: 1000 };

function providerFor(s: OrkaSimulator, override: Partial<OrkaSettings> = {}): ComputeProvider {
  return createOrkaProvider({
    db,
    secrets: createSecretBox([Buffer.alloc(32, 7)]),
    log: createLogger({ level: 'silent' }),
    orka: { endpoint: s.endpoint, token: s.token, namespace: s.namespace, timeouts: fastTimeouts, ...override },
  });
}

async function simulator(opts: OrkaSimulatorOptions = {}): Promise<OrkaSimulator> {
  const s = await startOrkaSimulator({ deployDelayMs: 200, powerOnDelayMs: 200, ...opts });
  sims.push(s);
  return s;
}

/** An instance row (the provider records its refs there) and the target the workflow would pass. */
async function newInstance(choice: { template?: string; size?: string } = {}): Promise<InstanceTarget> {
  const resolved = resolveSpec('orka', choice);
  if (!resolved.ok) throw new Error('bad test spec');
  const id = randomUUID();
  const name = `mac-${id.slice(0, 6)}`;
  await db.instance.create({
    data: {
      id,
      tenantId,
      name,
      provider: 'orka',
      template: resolved.spec.template,
      size: resolved.spec.size,
      region: resolved.spec.region,
      spec: resolved.spec as object,
      workflowId: `instance-${id}`,
    },
  });
  return { instanceId: id, tenantId, tenantSlug: 'orka-tests', name, provider: 'orka', spec: resolved.spec };
}

/** The first line a loopback port sends; rejects when nothing listens. */
function greeting(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.setEncoding('latin1');
    socket.once('data', (chunk: string) => {
      socket.destroy();
      resolve(chunk.split('\n')[0].replace(/\r$/, ''));
    });
    socket.once('error', reject);
  });
}

async function failureOf(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e,
  );
}

const nextHeartbeat = (env: MockActivityEnvironment) => new Promise<unknown>((r) => env.once('heartbeat', r));

beforeAll(async () => {
  db = createDb(await freshDatabase('orka'), { maxConnections: 4 });
  tenantId = randomUUID();
  await db.tenant.create({ data: { id: tenantId, slug: `orka-${tenantId.slice(0, 8)}`, name: 'Orka tests', planCode: 'trial', trialEndsAt: new Date(Date.now() + 86_400_000) } });
});
afterAll(async () => {
  await db?.$disconnect();
});
beforeEach(async () => {
  sim = await simulator();
  orka = providerFor(sim);
});
afterEach(async () => {
  await Promise.all(sims.splice(0).map((s) => s.stop()));
});

describe('orka provider lifecycle', () => {
  it('provisions a reachable macOS VM, stops, starts, restarts and destroys it, leaving nothing behind', async () => {
    const t = await newInstance();
    const name = orkaVmName(t.instanceId);

    const prepared = await orka.prepare(t);
    expect(prepared.wait).toBeUndefined();

    const created = await orka.create(t);
    expect(created.refs).toMatchObject({ orkaVm: name });
    expect(sim.vms()).toEqual([expect.objectContaining({ name, cpu: 4, memoryGb: 8, image: 'sonoma-90gb-orka3-arm' })]);

    const booted = await orka.boot(t);
    expect(booted.refs).toMatchObject({ orkaVm: name, orkaIp: '127.0.0.1' });

    const installed = await orka.install(t);
    const ports = installed.endpoint!.ports!;
    expect(installed.endpoint).toEqual({
      ip: '127.0.0.1',
      ssh: `ssh admin@127.0.0.1 -p ${ports.ssh}`,
      vnc: `vnc://127.0.0.1:${ports.vnc}`,
      ports: { ssh: ports.ssh, vnc: ports.vnc, screenshare: ports.screenshare },
    });
    expect(await greeting(ports.ssh)).toMatch(/^SSH-2\.0-/);
    expect(await greeting(ports.vnc)).toBe('RFB 003.008');
    expect(await readProviderRefs(db, t.instanceId)).toMatchObject({ orkaVm: name, orkaNamespace: 'orka-default', orkaIp: '127.0.0.1', orkaSshPort: String(ports.ssh) });

    expect(await orka.status(t)).toEqual({ state: 'running', healthy: true });
    expect(await orka.metrics(t)).toMatchObject({ status: 'running' });

    await orka.stop(t);
    expect(sim.vm(name)).toMatchObject({ status: 'Running', powered: false });
    expect(await orka.status(t)).toMatchObject({ state: 'stopped' });
    await expect(greeting(ports.ssh)).rejects.toThrow();

    await orka.start(t);
    expect(await orka.status(t)).toEqual({ state: 'running', healthy: true });
    await orka.restart(t);
    expect(await orka.status(t)).toEqual({ state: 'running', healthy: true });
    expect(await greeting(ports.ssh)).toMatch(/^SSH-2\.0-/);

    await expect(failureOf(orka.verifyGone(t))).resolves.toBeInstanceOf(OrkaVmStillExistsError);
    expect((await orka.releaseCompute(t)).message).toBe(`VM ${name} deleted`);
    expect((await orka.releasePrepared(t)).message).toMatch(/nothing to release/);
    await orka.verifyGone(t);
    expect(sim.vms()).toEqual([]);
    await expect(greeting(ports.ssh)).rejects.toThrow();
    await expect(greeting(ports.vnc)).rejects.toThrow();
    expect(await orka.status(t)).toMatchObject({ state: 'missing' });
    // Releasing again is a no-op, not a failure.
    expect((await orka.releaseCompute(t)).message).toBe(`VM ${name} was already gone`);
  });
});

describe('orka provider idempotency', () => {
  it('records the VM name before asking Orka, and a failed deploy leaves no VM behind', async () => {
    const s = await simulator({ scheduleTimeoutMs: 300 });
    const provider = providerFor(s);
    s.setFreeCapacity({ cpu: 0 });
    const t = await newInstance();
    const err = await failureOf(provider.create(t));
    expect(err).toBeInstanceOf(OrkaServerError);
    expect((err as Error).message).toMatch(/Not enough CPU available.*deleted the half-deployed VM/);
    expect(s.vms()).toEqual([]);
    expect(await readProviderRefs(db, t.instanceId)).toMatchObject({ orkaVm: orkaVmName(t.instanceId), orkaNamespace: 'orka-default' });
  });

  it('create twice adopts the first VM', async () => {
    const t = await newInstance();
    await orka.create(t);
    const again = await orka.create(t);
    expect(again.message).toMatch(/adopted/);
    expect(sim.vms().map((v) => v.name)).toEqual([orkaVmName(t.instanceId)]);
  });

  it('two concurrent creates end with one VM', async () => {
    const t = await newInstance();
    const results = await Promise.all([orka.create(t), orka.create(t)]);
    expect(results.map((r) => r.refs?.orkaVm)).toEqual([orkaVmName(t.instanceId), orkaVmName(t.instanceId)]);
    expect(sim.vms()).toHaveLength(1);
  });

  it('after a lost deploy response, create adopts the VM Orka made; a retry adopts it again', async () => {
    const t = await newInstance();
    sim.loseNextDeployResponse();
    const first = await orka.create(t);
    expect(first.message).toMatch(/answer was lost; adopted/);
    const second = await orka.create(t);
    expect(second.message).toMatch(/adopted/);
    expect(sim.vms().map((v) => v.name)).toEqual([orkaVmName(t.instanceId)]);
    await orka.boot(t);
    expect(sim.vms()).toEqual([expect.objectContaining({ status: 'Running' })]);
  });
});

describe('orka provider waits instead of failing', () => {
  it('says no macOS host has room, naming what is short', async () => {
    const t = await newInstance();
    sim.setFreeCapacity({ cpu: 2 });
    expect((await orka.prepare(t)).wait).toEqual({ reason: 'no macOS host with 4 free vCPUs right now', retryAfterSeconds: 30 });
    sim.setFreeCapacity({ cpu: 8, memoryGb: 4 });
    expect((await orka.prepare(t)).wait?.reason).toBe('no macOS host with 4 free vCPUs and 8 GB of free memory right now');
    sim.setNodePhase('mini-arm-01', 'NOT READY');
    sim.setNodePhase('mini-arm-02', 'NOT READY');
    expect((await orka.prepare(t)).wait?.reason).toBe('no macOS host is online right now');
    sim.setNodePhase('mini-arm-01', 'READY');
    sim.setFreeCapacity({ cpu: 8, memoryGb: 28 });
    expect((await orka.prepare(t)).wait).toBeUndefined();
  });

  it('says the image is being cached and roughly how long, then goes ahead once it is', async () => {
    const t = await newInstance({ template: 'sequoia' });
    sim.markImageUncached('sequoia-90gb-orka3-arm', Infinity);
    const prepared = await orka.prepare(t);
    expect(prepared.wait).toEqual({ reason: 'macOS image sequoia-90gb-orka3-arm is being cached on the Orka hosts, about 600 s', retryAfterSeconds: 30, etaSeconds: 600 });
    sim.markImageCached('sequoia-90gb-orka3-arm');
    expect((await orka.prepare(t)).wait).toBeUndefined();
  });

  it('does not wait for its own VM: prepare after create is ready', async () => {
    const t = await newInstance();
    await orka.create(t);
    sim.setFreeCapacity({ cpu: 0 });
    const prepared = await orka.prepare(t);
    expect(prepared.wait).toBeUndefined();
    expect(prepared.message).toMatch(/already exists/);
  });
});

describe('orka provider failures', () => {
  it('a bad token is a non-retryable AuthenticationError', async () => {
    const t = await newInstance();
    const provider = providerFor(sim, { token: 'not-the-token' });
    const err = await failureOf(provider.prepare(t));
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err).toMatchObject({ type: 'AuthenticationError', nonRetryable: true });
    expect((err as Error).message).toMatch(/HTTP 401/);
    expect((err as Error).message).not.toContain('not-the-token');
  });

  it('a namespace the token may not use is a non-retryable AuthenticationError', async () => {
    const t = await newInstance();
    const err = await failureOf(providerFor(sim, { namespace: 'orka-elsewhere' }).create(t));
    expect(err).toMatchObject({ type: 'AuthenticationError', nonRetryable: true });
    expect((err as Error).message).toMatch(/no access to namespace orka-elsewhere/);
    expect(sim.vms()).toEqual([]);
  });

  it('a 500 or a proxy error page from Orka is a retryable error', async () => {
    const t = await newInstance();
    sim.failNextRequests(1);
    const err = await failureOf(orka.status(t));
    expect(err).toBeInstanceOf(OrkaServerError);
    expect(err).toMatchObject({ retryable: true, status: 500 });
    expect(err).not.toBeInstanceOf(ApplicationFailure);

    sim.failNextRequests(1, { status: 502, nonJson: true });
    const proxy = await failureOf(orka.prepare(t));
    expect(proxy).toBeInstanceOf(OrkaServerError);
    expect((proxy as Error).message).toMatch(/HTTP 502: 502 Bad Gateway/);
    // The next call goes through.
    expect(await orka.status(t)).toMatchObject({ state: 'missing' });
  });

  it('an image Orka does not have is a validation error', async () => {
    const t = await newInstance();
    const err = await failureOf(orka.prepare({ ...t, spec: { ...t.spec, image: 'no-such-image' } }));
    expect(err).toMatchObject({ type: 'ValidationError', nonRetryable: true });
  });

  it('exec is refused with how to connect over SSH', async () => {
    const t = await newInstance();
    await orka.create(t);
    const vm = sim.vm(orkaVmName(t.instanceId))!;
    const err = await failureOf(orka.exec(t, 'uptime'));
    expect(err).toMatchObject({ type: 'ValidationError', nonRetryable: true });
    expect((err as Error).message).toBe(`Orka cannot run commands through its API; connect over SSH: ssh admin@127.0.0.1 -p ${vm.ports!.ssh}`);
  });

  it('where Orka offers power operations for Intel VMs only, stopping an Apple-silicon VM is a validation error', async () => {
    const s = await simulator({ powerOps: 'intel-only' });
    const provider = providerFor(s);
    const t = await newInstance();
    await provider.create(t);
    await provider.install(t);
    const err = await failureOf(provider.stop(t));
    expect(err).toMatchObject({ type: 'ValidationError', nonRetryable: true });
    expect((err as Error).message).toMatch(/Intel VMs only/);
    expect(await provider.status(t)).toEqual({ state: 'running', healthy: true });
  });

  it('day-2 operations on a VM that is gone are NotFound', async () => {
    const t = await newInstance();
    const err = await failureOf(orka.stop(t));
    expect(err).toMatchObject({ type: 'NotFoundError', nonRetryable: true });
  });

  it('a VM that failed at Orka makes boot fail retryably with Orka’s reason', async () => {
    const t = await newInstance();
    await orka.create(t);
    await sim.failVm(orkaVmName(t.instanceId), 'virtual machine pod exited');
    const err = await failureOf(orka.boot(t));
    expect(err).not.toBeInstanceOf(ApplicationFailure);
    expect((err as Error).message).toMatch(/failed at Orka: virtual machine pod exited/);
    expect(await orka.status(t)).toEqual({ state: 'error', detail: 'virtual machine pod exited' });
  });
});

describe('orka provider inside an activity', () => {
  it('heartbeats while the synchronous deploy call is held by Orka', async () => {
    const t = await newInstance();
    const name = orkaVmName(t.instanceId);
    sim.stallBoot(true);
    const env = new MockActivityEnvironment();
    const heartbeats: unknown[] = [];
    env.on('heartbeat', (d) => heartbeats.push(d));
    const created = env.run(orka.create, t) as Promise<StepOutcome>;
    // Wait until Orka holds the deploy (VM Pending), then for a heartbeat sent while it does.
    while (sim.vm(name)?.status !== 'Pending') await nextHeartbeat(env);
    await nextHeartbeat(env);
    sim.stallBoot(false);
    expect((await created).refs).toMatchObject({ orkaVm: name, orkaIp: '127.0.0.1' });
    expect(heartbeats).toContainEqual({ step: 'create', vm: name });
  });

  it('cancelling boot while the VM never comes up ends at once with CancelledFailure', async () => {
    const t = await newInstance();
    const name = orkaVmName(t.instanceId);
    sim.stallBoot(true);
    sim.loseNextDeployResponse();
    await orka.create(t);
    expect(sim.vms()).toEqual([expect.objectContaining({ name, status: 'Pending' })]);

    const env = new MockActivityEnvironment();
    const heartbeats: unknown[] = [];
    env.on('heartbeat', (d) => heartbeats.push(d));
    const booting = env.run(orka.boot, t);
    while (!heartbeats.some((h) => (h as { status?: string }).status === 'Pending')) await nextHeartbeat(env);
    env.cancel();
    await expect(booting).rejects.toBeInstanceOf(CancelledFailure);
    expect(heartbeats).toContainEqual({ step: 'boot', vm: name, status: 'Pending' });
    // The VM is still there for the workflow's compensation to delete.
    await orka.releaseCompute(t);
    await orka.verifyGone(t);
  });

  it('cancelling install while SSH never answers ends at once with CancelledFailure', async () => {
    const t = await newInstance();
    await orka.create(t);
    await orka.stop(t);
    const env = new MockActivityEnvironment();
    const installing = env.run(orka.install, t);
    await nextHeartbeat(env);
    await nextHeartbeat(env);
    env.cancel();
    await expect(installing).rejects.toBeInstanceOf(CancelledFailure);
  });
});
