// A worker process killed (SIGKILL) in the middle of a provision: a new worker process takes over,
// the activity that was running times out on its heartbeat and is retried, adopting what the dead
// worker created. The lifecycle completes with exactly one container, and a running instance
// survives the control plane restarting.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../lib/config';
import { destroyInstanceSignal } from '../../workflows/instance';
import { containersOf, dockerLeftovers } from '../helpers/docker-leftovers';
import { signUpActive, waitFor } from '../helpers/http';
import { order, waitForPhase } from '../helpers/instances';
import { startStack, type TestStack } from '../helpers/stack';

let stack: TestStack;
const workers: ChildProcess[] = [];

function startWorkerProcess(): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], {
    cwd: projectRoot,
    env: { ...process.env, ...stack.workerEnv },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr?.on('data', (d) => process.env.DEBUG_WORKERS && process.stderr.write(`[worker ${child.pid}] ${d}`));
  workers.push(child);
  return child;
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

beforeAll(async () => {
  // No in-process worker: the workers are real processes the test can kill.
  stack = await startStack('crash', { worker: false });
});
afterAll(async () => {
  for (const w of workers) await kill(w);
  await stack?.close();
});

describe('a worker killed mid-provision', () => {
  it('is replaced and the provision completes without a duplicate container; running instances survive a restart', async () => {
    const first = startWorkerProcess();
    const tenant = await signUpActive(stack, { plan: 'pro' });
    const o = await order(stack, tenant, { name: 'survivor' });

    // The container's name is recorded before the engine is asked to create it: kill right then.
    await waitFor('create pending recorded', async () => {
      const row = await stack.db.instance.findUnique({ where: { id: o.instanceId } });
      return Boolean((row?.providerRefs as Record<string, string> | undefined)?.container);
    }, 60_000, 20);
    await kill(first);

    startWorkerProcess();
    await waitForPhase(o.handle, 'running', 120_000);
    expect(await containersOf(o.instanceId)).toHaveLength(1);
    // Running as recorded (the query may show a state whose workflow task is not committed yet).
    await waitFor('running recorded', async () => (await stack.db.instance.findUnique({ where: { id: o.instanceId } }))?.phase === 'running');
    const eventsBefore = await stack.db.instanceEvent.count({ where: { instanceId: o.instanceId } });

    // The whole control plane restarts: the running instance is left alone.
    await kill(workers.at(-1)!);
    startWorkerProcess();
    expect((await waitForPhase(o.handle, 'running')).phase).toBe('running');
    expect((await stack.db.instance.findUniqueOrThrow({ where: { id: o.instanceId } })).phase).toBe('running');
    expect(await stack.db.instanceEvent.count({ where: { instanceId: o.instanceId } })).toBe(eventsBefore);
    expect((await containersOf(o.instanceId))[0].State).toBe('running');

    await o.handle.signal(destroyInstanceSignal, { type: 'user', id: tenant.userId });
    expect((await o.handle.result()).phase).toBe('destroyed');
    expect(await dockerLeftovers(stack, o.target)).toEqual([]);
  }, 240_000);
});
