// `npm start`: the whole platform on one machine. Starts (or reuses) Postgres and Temporal, applies
// migrations, then runs the worker and the API as child processes and prints where everything is.
// Ctrl-C stops everything this script started, in reverse order.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { loadConfig, projectRoot } from '../lib/config';
import { ensureDatabase, startEmbeddedPostgres, withDatabase } from '../lib/embedded-postgres';
import { connectionOptions } from '../lib/temporal';
import { createDockerClient } from '../activities/docker/engine';
import { startAppProxy } from '../lib/app-proxy';
import { dockerBridgeGateway, startTenantPostgres } from '../lib/tenant-postgres-server';
import { migrate } from '../prisma/migrate';
import { azureSimulatorEnv, startAzureSimulator } from '../simulators/azure/server';
import { startOrkaSimulator } from '../simulators/orka/server';
import { startDevServer } from '../temporal-dev/dev-server';
import { ensureSearchAttributes } from '../temporal-dev/search-attributes';

const started = Date.now();
const say = (msg: string) => process.stdout.write(`[tenantry] ${msg}\n`);
const stoppers: Array<{ name: string; stop: () => Promise<void> }> = [];
let stopping = false;

async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  say('stopping...');
  for (const s of stoppers.reverse()) {
    try {
      await s.stop();
      say(`stopped ${s.name}`);
    } catch (err) {
      say(`could not stop ${s.name}: ${(err as Error).message}`);
    }
  }
  process.exit(code);
}

function runChild(name: string, script: string, env: NodeJS.ProcessEnv): ChildProcess {
  // Own process group: a terminal's Ctrl-C reaches only this script, which then stops the children
  // in order (API first, then the worker, which needs Temporal to finish its shutdown).
  const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: projectRoot, env, stdio: ['ignore', 'inherit', 'inherit'], detached: true });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      say(`${name} exited (${signal ?? code}); stopping the platform`);
      void shutdown(1);
    }
  });
  stoppers.push({
    name,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        const killer = setTimeout(() => child.kill('SIGKILL'), 25_000);
        child.once('exit', () => {
          clearTimeout(killer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  });
  return child;
}

async function waitForReady(url: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
      last = await res.text();
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`the API did not become ready within ${timeoutMs / 1000} s: ${last}`);
}

async function main() {
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  const config = loadConfig();
  mkdirSync(config.dataDir, { recursive: true, mode: 0o755 });
  const env: NodeJS.ProcessEnv = { ...process.env, TENANTRY_DATA_DIR: config.dataDir };

  // Postgres.
  let databaseUrl = config.database.url;
  if (!databaseUrl) {
    const pg = await startEmbeddedPostgres({ dataDir: join(config.dataDir, 'postgres'), port: config.database.embeddedPort });
    stoppers.push({ name: 'postgres', stop: pg.stop });
    databaseUrl = withDatabase(pg.adminUrl, 'tenantry');
    say(`postgres (embedded) on 127.0.0.1:${pg.port}, data in ${join(config.dataDir, 'postgres')}`);
  } else {
    say('postgres from DATABASE_URL');
  }
  await ensureDatabase(databaseUrl);
  const applied = await migrate(databaseUrl, { log: (m) => say(m) });
  say(applied.length ? `applied ${applied.length} migration(s)` : 'database schema up to date');
  env.DATABASE_URL = databaseUrl;

  // Docker engine, the tenant Postgres its apps use, and the proxy that routes their subdomains.
  const dockerUp = await createDockerClient(config.docker.host).ping().then(() => true, () => false);
  if (!dockerUp) say('WARNING: no Docker engine answers; Docker app instances will fail until dockerd runs (or set DOCKER_HOST)');
  if (!config.tenantDatabase.url) {
    const tenantPg = await startTenantPostgres({ dataDir: join(config.dataDir, 'tenant-postgres'), port: config.tenantDatabase.embeddedPort });
    stoppers.push({ name: 'tenant postgres', stop: tenantPg.stop });
    env.TENANT_DATABASE_URL = tenantPg.appsAdminUrl;
    say(`tenant postgres (embedded) on 127.0.0.1:${tenantPg.port}${dockerBridgeGateway() ? ` and ${dockerBridgeGateway()} (for app containers)` : ''}`);
  }
  try {
    const proxy = await startAppProxy({ dir: config.apps.proxyDir, port: config.apps.proxyPort });
    stoppers.push({ name: 'app proxy', stop: proxy.stop });
    say(`app proxy (nginx) on 127.0.0.1:${proxy.port}: apps at http://<instance>.<organization>.${config.apps.baseDomain}:${proxy.port}/`);
  } catch (err) {
    say(`WARNING: app proxy not started (${(err as Error).message}); Docker apps will not be routed`);
  }

  // Providers without real credentials run against the project's simulators (labelled sandbox).
  const sandbox: string[] = [];
  if (!config.orka.endpoint) {
    const orka = await startOrkaSimulator({ token: config.orka.token ?? `orka-sim-${randomBytes(8).toString('hex')}`, namespace: config.orka.namespace });
    stoppers.push({ name: 'orka simulator', stop: orka.stop });
    Object.assign(env, { ORKA_ENDPOINT: orka.endpoint, ORKA_TOKEN: orka.token, ORKA_NAMESPACE: orka.namespace });
    sandbox.push('orka');
    say(`orka: simulator (sandbox) on ${orka.endpoint}`);
  }
  if (!config.azure.armEndpoint && !config.azure.subscriptionId) {
    const azure = await startAzureSimulator();
    stoppers.push({ name: 'azure simulator', stop: azure.stop });
    Object.assign(env, azureSimulatorEnv(azure, join(config.dataDir, 'azure-simulator-ca.pem')));
    sandbox.push('azure');
    say(`azure: ARM simulator (sandbox) on ${azure.armEndpoint}`);
  }
  env.TENANTRY_SANDBOX_PROVIDERS = sandbox.join(',');

  // Temporal.
  let temporalUi = config.temporal.uiUrl;
  if (!config.temporal.address) {
    const dev = await startDevServer({
      dbFile: join(config.dataDir, 'temporal', 'dev.sqlite'),
      port: config.temporal.devPort,
      uiPort: config.temporal.uiPort,
      namespace: config.temporal.namespace,
    });
    stoppers.push({ name: 'temporal dev server', stop: dev.stop });
    env.TEMPORAL_ADDRESS = dev.address;
    temporalUi = dev.uiUrl;
    say(`temporal dev server ${dev.reused ? '(already running) ' : ''}on ${dev.address}`);
  }
  const connection = await Connection.connect(connectionOptions({ ...config.temporal, address: env.TEMPORAL_ADDRESS }));
  await ensureSearchAttributes(connection, config.temporal.namespace);
  await connection.close();

  runChild('worker', 'worker/main.ts', env);
  runChild('api', 'api/main.ts', env);
  await waitForReady(`http://127.0.0.1:${config.api.port}/readyz`, 60_000);

  const base = config.api.publicUrl;
  say(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  say('');
  say(`  console        ${base}/`);
  say(`  API reference  ${base}/api/docs   (OpenAPI: ${base}/api/openapi.json)`);
  say(`  Temporal UI    ${temporalUi}`);
  say('');
  say('Ctrl-C stops everything.');
}

main().catch((err) => {
  say(`failed to start: ${(err as Error).stack ?? err}`);
  void shutdown(1);
});
