// Benchmark (not a test): time from the API call to a Docker app being healthy AND routed, against
// the raw floor of the same work done by hand: create the database role and schema, `docker create`
// + `docker start` of the same image with the same limits on the same network, and wait until its
// health endpoint answers. Both are measured side by side in one run, interleaved, on one machine.
// `npm run bench:docker` (BENCH_N provisions each, default 10). Needs a Docker engine and nginx.
//
// The platform path is what a customer's click costs: API (auth, checks, audit) → Temporal → worker
// → admission → image check → network → tenant database → container → start → health → nginx route
// → health through the proxy, with every phase written to the platform database.
import { randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime, DefaultLogger } from '@temporalio/worker';
import pg from 'pg';
import { createDockerClient } from '../activities/docker/engine';
import { ensureImage, demoAppRecipe } from '../activities/docker/images';
import { networkName } from '../activities/docker/provider';
import { createApp } from '../api/app';
import type { ApiDeps } from '../api/deps';
import { hashPassword } from '../api/routes/auth';
import { services } from '../api/services';
import { startAppProxy } from '../lib/app-proxy';
import { loadConfig, projectRoot } from '../lib/config';
import { createDb } from '../lib/db';
import { ensureDatabase, startEmbeddedPostgres, withDatabase } from '../lib/embedded-postgres';
import { httpGet } from '../lib/http-probe';
import { createLogger } from '../lib/logger';
import { freePort } from '../lib/ports';
import { createSecretBox } from '../lib/secrets';
import { startTenantPostgres, TENANT_DB_HOST_ALIAS } from '../lib/tenant-postgres-server';
import { migrate } from '../prisma/migrate';
import { startDevServer } from '../temporal-dev/dev-server';
import { buildActivityDeps } from '../worker/providers';
import { createWorker } from '../worker/worker';
import { statsTable, summarize, withoutLatencies, type Stats } from './lib/stats';

const N = Number(process.env.BENCH_N ?? 10);
const HOST_ALIAS_ENTRY = `${TENANT_DB_HOST_ALIAS}:host-gateway`;

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function main() {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const scratch = mkdtempSync(join(tmpdir(), 'tenantry-bench-docker-'));
  chmodSync(scratch, 0o777);
  const [pgPort, tenantPgPort, temporalPort, uiPort, proxyPort] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
  console.log(`starting Postgres ×2, Temporal, nginx, worker and API in ${scratch} ...`);
  const platformPg = await startEmbeddedPostgres({ dataDir: join(scratch, 'postgres'), port: pgPort });
  const tenantPg = await startTenantPostgres({ dataDir: join(scratch, 'tenant-postgres'), port: tenantPgPort });
  const temporalServer = await startDevServer({ dbFile: join(scratch, 'temporal.sqlite'), port: temporalPort, uiPort, namespace: 'default' });
  const proxy = await startAppProxy({ dir: join(scratch, 'app-proxy'), port: proxyPort });
  const docker = createDockerClient();
  const stackId = `bench-${process.pid}`;
  let server: Server | undefined;
  try {
    const databaseUrl = withDatabase(platformPg.adminUrl, 'bench');
    await ensureDatabase(databaseUrl);
    await migrate(databaseUrl);
    const key = randomBytes(32);
    const config = loadConfig({
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporalServer.address,
      TEMPORAL_TASK_QUEUE: 'bench-docker',
      TENANTRY_DATA_DIR: scratch,
      TENANT_DATABASE_URL: tenantPg.appsAdminUrl,
      APPS_PROXY_DIR: proxy.dir,
      APPS_PROXY_PORT: String(proxy.port),
      TENANTRY_STACK_ID: stackId,
      ENCRYPTION_KEY: key.toString('base64'),
      LOG_LEVEL: 'silent',
    });
    const platform = { db: createDb(databaseUrl, { maxConnections: 10 }), secrets: createSecretBox([key]), log: createLogger({ level: 'silent' }) };
    const connection = await Connection.connect({ address: temporalServer.address });
    const temporal = new Client({ connection, namespace: 'default' });
    const worker = await createWorker({ config, connection: await NativeConnection.connect({ address: temporalServer.address }), deps: buildActivityDeps(config, platform) });
    const workerRun = worker.run();
    const deps: ApiDeps = { config, ...platform, temporal };
    server = createApp(deps).listen(0, '127.0.0.1');
    await new Promise<void>((r) => server!.once('listening', () => r()));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    // One organization with room for everything (its signup is not what we measure).
    const tenantId = randomUUID();
    const userId = randomUUID();
    const slug = 'bench-docker';
    const password = 'a-long-enough-password';
    const { db } = platform;
    await db.tenant.create({ data: { id: tenantId, slug, name: 'Bench Docker', planCode: 'enterprise', status: 'active', trialEndsAt: new Date(Date.now() + 30 * 86_400_000) } });
    await db.user.create({ data: { id: userId, email: 'bench@example.com', name: 'Bench', passwordHash: await hashPassword(password) } });
    await db.membership.create({ data: { userId, tenantId, role: 'owner' } });
    await db.creditLedgerEntry.create({ data: { tenantId, amountMicro: 1_000_000_000n, reason: 'top_up', idempotencyKey: `bench:${tenantId}`, description: 'bench' } });
    const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'bench@example.com', password }) });
    const { token } = (await login.json()) as { token: string };
    const authed = { 'content-type': 'application/json', authorization: `Bearer ${token}` };

    // The image exists before either side is timed.
    await ensureImage(docker, demoAppRecipe);
    const admin = new pg.Client({ connectionString: tenantPg.appsAdminUrl });
    await admin.connect();
    admin.on('error', () => undefined); // a shutdown after a failure must not hide that failure

    const viaPlatform = async (i: number): Promise<number> => {
      const name = `p${i}`;
      const t0 = performance.now();
      const res = await fetch(`${base}/api/tenants/${tenantId}/instances`, { method: 'POST', headers: authed, body: JSON.stringify({ name, provider: 'docker', size: 'small' }) });
      const { id } = (await res.json()) as { id: string };
      if (res.status !== 202) throw new Error(`create answered ${res.status}`);
      const host = `${name}.${slug}.${config.apps.baseDomain}`;
      await until('healthy through the proxy', async () => (await httpGet(`http://127.0.0.1:${proxy.port}/healthz`, { host })).status === 200);
      const ms = performance.now() - t0;
      await fetch(`${base}/api/instances/${id}`, { method: 'DELETE', headers: authed });
      await until('destroyed', async () => (await db.instance.findUnique({ where: { id } }))?.phase === 'destroyed');
      return ms;
    };

    const network = networkName(tenantId);
    const byHand = async (i: number): Promise<number> => {
      const role = `raw_${i}_${randomBytes(3).toString('hex')}`;
      const pw = randomBytes(18).toString('base64url');
      // The network is not part of the floor (the platform path may have removed it with its last app).
      if (!(await docker.listNetworks({ filters: { name: [network] } })).some((n) => n.Name === network)) {
        await docker.createNetwork({ Name: network, Labels: { 'tenantry.stack': stackId } });
      }
      const t0 = performance.now();
      await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD '${pw}' CONNECTION LIMIT 10`);
      await admin.query(`GRANT CONNECT ON DATABASE apps TO ${role}`);
      await admin.query(`CREATE SCHEMA ${role} AUTHORIZATION ${role}`);
      await admin.query(`ALTER ROLE ${role} SET search_path = ${role}`);
      const container = await docker.createContainer({
        name: `raw-${stackId}-${i}`,
        Image: demoAppRecipe.tag,
        Env: ['PORT=8080', `DATABASE_URL=postgresql://${role}:${pw}@${tenantPg.appHost}/apps`, 'TENANT_SLUG=raw', 'TENANT_NAME=raw'],
        Labels: { 'tenantry.stack': stackId },
        HostConfig: { NetworkMode: network, Memory: 256 * 1048576, MemorySwap: 256 * 1048576, NanoCpus: 0.25e9, PidsLimit: 256, ExtraHosts: [HOST_ALIAS_ENTRY], ReadonlyRootfs: true, Tmpfs: { '/tmp': 'rw,size=16m' } },
      });
      await container.start();
      const ip = (await container.inspect()).NetworkSettings.Networks[network].IPAddress;
      await until('healthy', async () => (await httpGet(`http://${ip}:8080/healthz`)).status === 200);
      const ms = performance.now() - t0;
      await container.remove({ force: true });
      // Leave the network to the platform path, which creates the organization's own.
      await docker.getNetwork(network).remove().catch(() => undefined);
      await admin.query(`DROP SCHEMA ${role} CASCADE`);
      await admin.query(`DROP OWNED BY ${role}`);
      await admin.query(`DROP ROLE ${role}`);
      return ms;
    };

    // Warm both paths once (first-use costs: connections, caches), then alternate.
    console.log('warming up ...');
    await viaPlatform(N);
    await byHand(N);
    const platformMs: number[] = [];
    const rawMs: number[] = [];
    const started = { platform: 0, raw: 0 };
    console.log(`measuring ${N} provisions each, alternating ...`);
    for (let i = 0; i < N; i++) {
      let t = performance.now();
      rawMs.push(await byHand(i));
      started.raw += performance.now() - t;
      t = performance.now();
      platformMs.push(await viaPlatform(i));
      started.platform += performance.now() - t;
    }
    const platformStats: Stats = summarize(platformMs, 0, started.platform / 1000);
    const rawStats: Stats = summarize(rawMs, 0, started.raw / 1000);
    const ratio = { p50: platformStats.p50 / rawStats.p50, p99: platformStats.p99 / rawStats.p99 };
    console.log('');
    console.log(statsTable('to healthy (and routed)', [['platform: API call → routed & healthy', platformStats], ['raw floor: role+schema, create, start, health', rawStats]], { label: 'platform / raw', ...ratio }));
    console.log('');
    console.log(`(${cpus().length} CPUs shared by two Postgres servers, Temporal, the worker, the API, nginx and Docker; p99 of ${N} is the maximum)`);

    const out = { at: new Date().toISOString(), n: N, cpus: cpus().length, node: process.version, platform: withoutLatencies(platformStats), raw: withoutLatencies(rawStats), ratio, samples: { platformMs, rawMs } };
    const dir = join(projectRoot, 'bench', 'results');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `docker-provision-${out.at.replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
    console.log(`results: ${file}`);

    await admin.end();
    server.closeAllConnections();
    await new Promise((r) => server!.close(r));
    server = undefined;
    await services(deps).hub.close();
    worker.shutdown();
    await workerRun;
    await connection.close();
    await db.$disconnect();
  } finally {
    server?.close();
    for (const c of await docker.listContainers({ all: true, filters: { label: [`tenantry.stack=${stackId}`] } })) await docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined);
    for (const n of await docker.listNetworks({ filters: { label: [`tenantry.stack=${stackId}`] } })) await docker.getNetwork(n.Id).remove().catch(() => undefined);
    await proxy.stop();
    await temporalServer.stop();
    await tenantPg.stop();
    await platformPg.stop();
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
