// A complete Tenantry stack for one test file, on the run's shared Postgres server and Temporal dev
// server: its own database (migrated), its own task queue, a real worker and the real API on a
// random port. Tests talk to it over HTTP exactly like the console does.
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime, makeTelemetryFilterString, type Worker } from '@temporalio/worker';
import { inject } from 'vitest';
import { createApp } from '../../api/app';
import type { ApiDeps } from '../../api/deps';
import { loadConfig, type Config } from '../../lib/config';
import { createDb, type Db } from '../../lib/db';
import { ensureDatabase, withDatabase } from '../../lib/embedded-postgres';
import { createLogger } from '../../lib/logger';
import { createSecretBox, type SecretBox } from '../../lib/secrets';
import { migrate } from '../../prisma/migrate';
import { buildActivityDeps } from '../../worker/providers';
import { createWorker } from '../../worker/worker';
import type { ActivityDeps } from '../../activities';

let runtimeInstalled = false;
/** The Temporal runtime, installed once per test process, logging only errors. */
export function quietRuntime() {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  Runtime.install({
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: (m: string, meta?: unknown) => console.error(m, meta) } as never,
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR', other: 'ERROR' }) } },
  });
}

/** A fresh, migrated database on the shared test server. */
export async function freshDatabase(label: string): Promise<string> {
  const name = `t_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  const url = withDatabase(inject('pgAdminUrl'), name);
  await ensureDatabase(url);
  await migrate(url);
  return url;
}

export interface TestStack {
  config: Config;
  databaseUrl: string;
  db: Db;
  secrets: SecretBox;
  temporal: Client;
  worker: Worker | undefined;
  baseUrl: string;
  /** Environment for a worker process (worker/main.ts) equivalent to the in-process one. */
  workerEnv: Record<string, string>;
  /** Stops and restarts the worker (e.g. to simulate a crash); the stack keeps the new one. */
  restartWorker(opts?: { activityDeps?: Partial<ActivityDeps> }): Promise<void>;
  stopWorker(): Promise<void>;
  close(): Promise<void>;
}

export interface StackOptions {
  env?: Record<string, string>;
  activityDeps?: Partial<ActivityDeps>;
  /** Wraps the real providers (e.g. with test/helpers/gated-provider.ts). */
  wrapProviders?: (providers: ActivityDeps['providers']) => ActivityDeps['providers'];
  /** false: no in-process worker (the test runs worker processes itself). */
  worker?: boolean;
}

export async function startStack(label: string, opts: StackOptions = {}): Promise<TestStack> {
  quietRuntime();
  const databaseUrl = await freshDatabase(label);
  const taskQueue = `test-${label}-${randomBytes(4).toString('hex')}`;
  const encryptionKey = randomBytes(32);
  // The same environment configures the in-process worker and API and, for crash tests, worker processes.
  const env: Record<string, string> = {
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_TASK_QUEUE: taskQueue,
    TENANTRY_DATA_DIR: inject('scratchDir'),
    TENANT_DATABASE_URL: inject('tenantPgAppsUrl'),
    TENANTRY_STACK_ID: inject('stackId'),
    ORKA_ENDPOINT: inject('orkaEndpoint'),
    ORKA_TOKEN: inject('orkaToken'),
    ...inject('azureEnv'),
    TENANTRY_SANDBOX_PROVIDERS: 'orka,azure',
    APPS_PROXY_DIR: inject('appProxyDir'),
    APPS_PROXY_PORT: String(inject('appProxyPort')),
    LOG_LEVEL: 'silent',
    ENCRYPTION_KEY: encryptionKey.toString('base64'),
    ...opts.env,
  };
  const config = loadConfig(env);
  const log = createLogger({ level: 'silent' });
  const db = createDb(databaseUrl, { maxConnections: 5 });
  const secrets = createSecretBox([encryptionKey]);
  const connection = await Connection.connect({ address: inject('temporalAddress') });
  const temporal = new Client({ connection, namespace: config.temporal.namespace });
  const nativeConnection = await NativeConnection.connect({ address: inject('temporalAddress') });

  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  async function launchWorker(extra?: Partial<ActivityDeps>) {
    const deps = { ...buildActivityDeps(config, { db, secrets, log }), ...opts.activityDeps, ...extra };
    if (opts.wrapProviders) deps.providers = opts.wrapProviders(deps.providers);
    worker = await createWorker({ config, connection: nativeConnection, deps, workflowBundle: { codePath: inject('workflowBundlePath') } });
    running = worker.run();
  }
  async function stopWorker() {
    if (!worker) return;
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running;
  }
  if (opts.worker !== false) await launchWorker();

  const deps: ApiDeps = { config, db, temporal, secrets, log };
  const server: Server = createApp(deps).listen(0, '127.0.0.1');
  await new Promise<void>((r) => server.once('listening', () => r()));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    config,
    databaseUrl,
    db,
    secrets,
    temporal,
    get worker() {
      return worker;
    },
    baseUrl,
    workerEnv: { ...env, LOG_LEVEL: 'warn' },
    async restartWorker(o) {
      await stopWorker();
      await launchWorker(o?.activityDeps);
    },
    stopWorker,
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await stopWorker();
      await nativeConnection.close();
      await connection.close();
      await db.$disconnect();
    },
  };
}
