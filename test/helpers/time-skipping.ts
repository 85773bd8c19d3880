// Temporal's time-skipping test server (a real server whose clock jumps over idle timers) with our
// search attributes registered, a real platform database and a worker running the real workflows
// and platform activities. For billing and trial expiry: days pass in seconds.
import { randomBytes, randomUUID } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import proto from '@temporalio/proto';
import { inject } from 'vitest';
import { createActivities, type ActivityDeps } from '../../activities';
import { createDb, type Db } from '../../lib/db';
import { createLogger } from '../../lib/logger';
import { createSecretBox, type SecretBox } from '../../lib/secrets';
import { temporalTestServerPath } from '../../temporal-dev/cli';
import { allSearchAttributeKeys } from '../../workflows/search-attributes';
import { tenantWorkflow, tenantWorkflowId, type BillingSettings } from '../../workflows/tenant';
import { freshDatabase, quietRuntime } from './stack';

const KEYWORD = proto.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;

export interface TimeSkippingStack {
  env: TestWorkflowEnvironment;
  db: Db;
  secrets: SecretBox;
  taskQueue: string;
  deps: ActivityDeps;
  /**
   * Starts a worker (real workflows, real platform activities); returns a stopper. One worker per
   * test: the time-skipping server does not hand a stopped worker's sticky queue to a new one, so a
   * mid-test restart stalls (worker crashes are tested on the dev server instead).
   */
  startWorker(): Promise<{ stop(): Promise<void> }>;
  close(): Promise<void>;
}

export async function startTimeSkippingStack(label: string): Promise<TimeSkippingStack> {
  quietRuntime();
  const databaseUrl = await freshDatabase(label);
  const db = createDb(databaseUrl, { maxConnections: 5 });
  const secrets = createSecretBox([randomBytes(32)]);
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: temporalTestServerPath() } } });
  await env.connection.operatorService.addSearchAttributes({
    namespace: 'default',
    searchAttributes: Object.fromEntries(allSearchAttributeKeys.map((k) => [k.name, KEYWORD])),
  });
  const taskQueue = `ts-${label}`;
  const deps: ActivityDeps = {
    db,
    secrets,
    log: createLogger({ level: 'silent' }),
    tenantDb: { adminUrl: inject('tenantPgAppsUrl'), appHost: 'tenantry-db:5432' },
    providers: {},
  };
  return {
    env,
    db,
    secrets,
    taskQueue,
    deps,
    async startWorker() {
      const worker = await Worker.create({
        connection: env.nativeConnection,
        taskQueue,
        workflowBundle: { codePath: inject('workflowBundlePath') },
        activities: createActivities(deps),
      });
      const running = worker.run();
      return {
        async stop() {
          worker.shutdown();
          await running;
        },
      };
    },
    async close() {
      await env.teardown();
      await db.$disconnect();
    },
  };
}

/** Starts a tenant workflow (signup included) and returns its handle and ids. */
export async function startTenant(s: TimeSkippingStack, opts: { slug: string; plan: string; billing?: Partial<BillingSettings> }) {
  const tenantId = randomUUID();
  const userId = randomUUID();
  const handle = await s.env.client.workflow.start(tenantWorkflow, {
    taskQueue: s.taskQueue,
    workflowId: tenantWorkflowId(opts.slug),
    args: [
      {
        tenantId,
        slug: opts.slug,
        name: `Org ${opts.slug}`,
        planCode: opts.plan,
        owner: { userId, email: `${opts.slug}@example.com`, name: 'Owner', sealedPasswordHash: s.secrets.seal('$argon2id$test', `signup:${userId}`) },
        billing: opts.billing,
      },
    ],
  });
  return { tenantId, userId, handle };
}
