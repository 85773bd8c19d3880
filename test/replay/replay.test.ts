// Determinism guard: every committed history (recorded from real runs, see histories.record.ts) must
// replay against the current workflow code. A change that alters the commands a workflow issues for
// an existing history fails here, before it can break running lifecycles in production.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { describe, expect, inject, it } from 'vitest';
import { quietRuntime } from '../helpers/stack';

const dir = join(import.meta.dirname, 'histories');
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
const load = (f: string) => historyFromJSON(JSON.parse(readFileSync(join(dir, f), 'utf8')));

describe('replay of committed histories', () => {
  it('has histories of every workflow type', async () => {
    const types = new Set(files.map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')).events[0].workflowExecutionStartedEventAttributes.workflowType.name));
    // Every workflow the worker registers (workflows/index.ts) has at least one recorded history.
    const registered = Object.keys(await import('../../workflows/index')).sort();
    expect([...types].sort()).toEqual(registered);
  });

  it.each(files)('%s replays deterministically', async (file) => {
    quietRuntime();
    await Worker.runReplayHistory({ workflowBundle: { codePath: inject('workflowBundlePath') } }, load(file));
  });

  it('catches a non-deterministic change', async () => {
    quietRuntime();
    // Pretend the code used to call a different activity first: the current code must refuse it.
    const history = JSON.parse(readFileSync(join(dir, 'instance-docker-lifecycle.json'), 'utf8'));
    const scheduled = history.events.find((e: { activityTaskScheduledEventAttributes?: unknown }) => e.activityTaskScheduledEventAttributes);
    scheduled.activityTaskScheduledEventAttributes.activityType.name = 'someOtherActivity';
    await expect(Worker.runReplayHistory({ workflowBundle: { codePath: inject('workflowBundlePath') } }, historyFromJSON(history))).rejects.toBeInstanceOf(DeterminismViolationError);
  });
});
