// Benchmark (not a test): instance-creation throughput and latency through the API, side by side
// with raw Temporal client starts of the same lifecycle workflow, in the same run, on the same
// Postgres and Temporal dev server. `npm run bench:api` (BENCH_N, BENCH_CONCURRENCY to change the
// load). The API path is the full one a customer takes: authentication, access, validation, the
// row-level-security transaction with the quota/credit/name checks, the workflow start and the audit
// entry. No worker runs, so the workflows only start (what "creation" measures) and nothing is
// provisioned. Results go to bench/results/ (ignored by git) and a table is printed.
import { randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { createApp } from '../api/app';
import type { ApiDeps } from '../api/deps';
import { startInstanceOrder } from '../api/instance-orders';
import { hashPassword } from '../api/routes/auth';
import { services } from '../api/services';
import { loadConfig, projectRoot } from '../lib/config';
import { createDb } from '../lib/db';
import { ensureDatabase, startEmbeddedPostgres, withDatabase } from '../lib/embedded-postgres';
import { createLogger } from '../lib/logger';
import { createSecretBox } from '../lib/secrets';
import { migrate } from '../prisma/migrate';
import { freePort } from '../lib/ports';
import { startDevServer } from '../temporal-dev/dev-server';
import { mergeStats, statsTable, summarize, withoutLatencies, type Stats } from './lib/stats';

const N = Number(process.env.BENCH_N ?? 600);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const WARMUP = 40;

/** Runs `op(i)` n times with `concurrency` in flight; latencies in ms. */
async function load(n: number, concurrency: number, op: (i: number) => Promise<boolean>): Promise<Stats> {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (;;) {
        const i = next++;
        if (i >= n) return;
        const t0 = performance.now();
        const ok = await op(i).catch(() => false);
        latencies.push(performance.now() - t0);
        if (!ok) errors += 1;
      }
    }),
  );
  return summarize(latencies, errors, (performance.now() - started) / 1000);
}

const strip = withoutLatencies;

async function main() {
  const scratch = mkdtempSync(join(tmpdir(), 'tenantry-bench-'));
  chmodSync(scratch, 0o777);
  const [pgPort, temporalPort, uiPort] = await Promise.all([freePort(), freePort(), freePort()]);
  console.log(`starting Postgres and the Temporal dev server in ${scratch} ...`);
  const pg = await startEmbeddedPostgres({ dataDir: join(scratch, 'postgres'), port: pgPort });
  const temporalServer = await startDevServer({ dbFile: join(scratch, 'temporal.sqlite'), port: temporalPort, uiPort, namespace: 'default' });
  let server: Server | undefined;
  try {
    const databaseUrl = withDatabase(pg.adminUrl, 'bench');
    await ensureDatabase(databaseUrl);
    await migrate(databaseUrl);
    const key = randomBytes(32);
    const config = loadConfig({ DATABASE_URL: databaseUrl, TEMPORAL_ADDRESS: temporalServer.address, TEMPORAL_TASK_QUEUE: 'bench', TENANTRY_DATA_DIR: scratch, ENCRYPTION_KEY: key.toString('base64'), LOG_LEVEL: 'silent' });
    const db = createDb(databaseUrl, { maxConnections: 10 });
    const connection = await Connection.connect({ address: temporalServer.address });
    const temporal = new Client({ connection, namespace: 'default' });
    const deps: ApiDeps = { config, db, temporal, secrets: createSecretBox([key]), log: createLogger({ level: 'silent' }) };

    // One organization, its owner and credits, written directly (the signup workflow is not what we measure).
    const tenantId = randomUUID();
    const userId = randomUUID();
    const slug = 'bench-org';
    const password = 'a-long-enough-password';
    await db.tenant.create({ data: { id: tenantId, slug, name: 'Bench Org', planCode: 'enterprise', status: 'active', trialEndsAt: new Date(Date.now() + 30 * 86_400_000), maxInstances: 1_000_000, maxVcpu: 1_000_000, maxMemoryMb: 1_000_000_000 } });
    await db.user.create({ data: { id: userId, email: 'bench@example.com', name: 'Bench', passwordHash: await hashPassword(password) } });
    await db.membership.create({ data: { userId, tenantId, role: 'owner' } });
    await db.creditLedgerEntry.create({ data: { tenantId, amountMicro: 1_000_000_000n, reason: 'top_up', idempotencyKey: `bench:${tenantId}`, description: 'bench' } });

    server = createApp(deps).listen(0, '127.0.0.1');
    await new Promise<void>((r) => server!.once('listening', () => r()));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'bench@example.com', password }) });
    const { token } = (await login.json()) as { token: string };

    const viaApi = (prefix: string) => async (i: number) => {
      const res = await fetch(`${base}/api/tenants/${tenantId}/instances`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ name: `${prefix}${i}`, provider: 'docker' }),
      });
      await res.arrayBuffer();
      return res.status === 202;
    };
    const raw = (prefix: string) => async (i: number) => {
      await startInstanceOrder(temporal, config.temporal.taskQueue, {
        tenant: { id: tenantId, slug, name: 'Bench Org' },
        name: `${prefix}${i}`,
        provider: 'docker',
        requestedBy: { type: 'user', id: userId },
      });
      return true;
    };

    console.log(`warming up (${WARMUP} each) ...`);
    await load(WARMUP, CONCURRENCY, viaApi('warm-api-'));
    await load(WARMUP, CONCURRENCY, raw('warm-raw-'));
    // Half of each, interleaved, so drift of the machine or the dev server hits both sides alike.
    const half = Math.floor(N / 2);
    console.log(`measuring ${N} creations each at concurrency ${CONCURRENCY} ...`);
    const api1 = await load(half, CONCURRENCY, viaApi('api-a-'));
    const raw1 = await load(half, CONCURRENCY, raw('raw-a-'));
    const raw2 = await load(N - half, CONCURRENCY, raw('raw-b-'));
    const api2 = await load(N - half, CONCURRENCY, viaApi('api-b-'));
    const merge = mergeStats;
    const api = merge(api1, api2);
    const rawStats = merge(raw1, raw2);
    const ratio = { throughput: api.throughput / rawStats.throughput, p99: api.p99 / rawStats.p99, p50: api.p50 / rawStats.p50 };

    const started = await db.auditLog.count({ where: { tenantId, action: 'instance.create' } });
    console.log('');
    console.log(statsTable('instance creation', [['POST /api/tenants/{id}/instances', api], ['raw Temporal client start', rawStats]], { label: 'API / raw', ...ratio }));
    console.log('');
    console.log(`(${cpus().length} CPUs; Postgres, the Temporal dev server, the API and this load generator share them; audit entries written: ${started})`);

    const out = {
      at: new Date().toISOString(),
      n: N,
      concurrency: CONCURRENCY,
      cpus: cpus().length,
      node: process.version,
      api: strip(api),
      raw: strip(rawStats),
      halves: { api: [strip(api1), strip(api2)], raw: [strip(raw1), strip(raw2)] },
      ratio,
    };
    const dir = join(projectRoot, 'bench', 'results');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `api-create-${out.at.replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
    console.log(`results: ${file}`);

    server.closeAllConnections();
    await new Promise((r) => server!.close(r));
    server = undefined;
    await services(deps).hub.close();
    await connection.close();
    await db.$disconnect();
  } finally {
    server?.close();
    await temporalServer.stop();
    await pg.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
