// Builds the Tenantry worker: all workflows and all activities on one task queue.
import { createRequire } from 'node:module';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';
import type { Config } from '../lib/config';

export const workflowsPath = createRequire(import.meta.url).resolve('../workflows/index.ts');

export async function createWorker(opts: {
  config: Config;
  connection: NativeConnection;
  deps: ActivityDeps;
  taskQueue?: string;
  /** Pre-bundled workflow code (tests bundle once for all workers). */
  workflowBundle?: WorkerOptions['workflowBundle'];
}): Promise<Worker> {
  return Worker.create({
    connection: opts.connection,
    namespace: opts.config.temporal.namespace,
    taskQueue: opts.taskQueue ?? opts.config.temporal.taskQueue,
    ...(opts.workflowBundle ? { workflowBundle: opts.workflowBundle } : { workflowsPath }),
    activities: createActivities(opts.deps),
    // Let in-flight activities finish on Ctrl-C / SIGTERM instead of abandoning them mid-call.
    shutdownGraceTime: '20 seconds',
    maxConcurrentActivityTaskExecutions: 50,
    // Cancellation reaches a running activity only with its next heartbeat to the server; the default
    // throttling (up to 80 % of the heartbeat timeout) would delay a customer's Cancel by ~25 s.
    defaultHeartbeatThrottleInterval: '1 second',
    maxHeartbeatThrottleInterval: '2 seconds',
  });
}
