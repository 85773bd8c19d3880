// Health: an app that stops behind the platform's back is reported unhealthy by the sweep (and
// healthy again when it comes back), never silently "running"; and the platform's dependencies
// (both Postgres servers, the Docker engine, the Orka cluster, Azure) report their state.
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerName } from '../../activities/docker/provider';
import { healthSweepWorkflow, platformHealthWorkflow } from '../../workflows/health';
import { destroyInstanceSignal } from '../../workflows/instance';
import { signUpActive } from '../helpers/http';
import { order, waitForPhase, waitForRecordedPhase } from '../helpers/instances';
import { startStack, type TestStack } from '../helpers/stack';

const docker = new Docker({ socketPath: '/var/run/docker.sock' });
let stack: TestStack;
beforeAll(async () => {
  stack = await startStack('health');
});
afterAll(async () => {
  await stack?.close();
});

const sweep = () => stack.temporal.workflow.execute(healthSweepWorkflow, { taskQueue: stack.config.temporal.taskQueue, workflowId: `health-sweep-${Date.now()}`, args: [['docker']] });

describe('health', () => {
  it('reports an app that stopped behind our back as unhealthy, and healthy again when it is back', async () => {
    const t = await signUpActive(stack, { plan: 'pro' });
    const o = await order(stack, t, { name: 'fragile' });
    await waitForPhase(o.handle, 'running');
    await waitForRecordedPhase(stack, o.instanceId, 'running');
    expect((await sweep()).docker).toMatchObject({ changed: 0 });

    await docker.getContainer(containerName(o.instanceId)).stop({ t: 1 });
    expect((await sweep()).docker.changed).toBe(1);
    const broken = await stack.db.instance.findUniqueOrThrow({ where: { id: o.instanceId } });
    expect(broken).toMatchObject({ phase: 'running', healthy: false, statusMessage: 'the provider reports it stopped (exited)' });
    // Reported once, not on every sweep.
    expect((await sweep()).docker.changed).toBe(0);

    await docker.getContainer(containerName(o.instanceId)).start();
    await expect.poll(async () => (await sweep()).docker.changed, { timeout: 30_000, interval: 1000 }).toBe(1);
    expect(await stack.db.instance.findUniqueOrThrow({ where: { id: o.instanceId } })).toMatchObject({ healthy: true, statusMessage: null });
    const events = await stack.db.instanceEvent.findMany({ where: { instanceId: o.instanceId, dedupeKey: { startsWith: 'health:' } }, orderBy: { id: 'asc' } });
    expect(events.map((e) => e.level)).toEqual(['warn', 'info']);

    await o.handle.signal(destroyInstanceSignal, { type: 'user', id: t.userId });
    await o.handle.result();
  });

  it('checks the platform’s dependencies', async () => {
    const checks = await stack.temporal.workflow.execute(platformHealthWorkflow, { taskQueue: stack.config.temporal.taskQueue, workflowId: `platform-health-${Date.now()}` });
    expect(Object.keys(checks).sort()).toEqual(['azure', 'docker', 'orka', 'platform-postgres', 'tenant-postgres']);
    for (const [name, c] of Object.entries(checks)) expect(c.ok, `${name}: ${c.detail}`).toBe(true);
    expect(checks.docker.detail).toMatch(/^engine /);
    expect(checks.orka.detail).toMatch(/node\(s\) ready/);
  });
});
