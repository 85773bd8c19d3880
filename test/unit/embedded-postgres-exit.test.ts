// The embedded Postgres module must not decide how a process ends: embedded-postgres's own exit hooks
// once turned a failing test run's exit code into 0 and every clean exit into 1.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmbeddedPostgres } from '../../lib/embedded-postgres';
import { freePort } from '../../lib/ports';
import { describe, expect, it } from 'vitest';

const moduleUrl = new URL('../../lib/embedded-postgres.ts', import.meta.url).href;
const tsx = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));

function endsWith(body: string) {
  const r = spawnSync(tsx, ['--eval', `const pg = await import(${JSON.stringify(moduleUrl)}); ${body}`, '--input-type=module'], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stderr: r.stderr };
}

describe('a process that loaded the embedded Postgres module', () => {
  it('keeps the exit code it set when it ends by itself', () => {
    expect(endsWith('process.exitCode = 5;')).toMatchObject({ code: 5 });
  });

  it('exits 0 when nothing failed, without an error on the way out', () => {
    const r = endsWith('');
    expect(r.stderr).not.toMatch(/done is not a function/);
    expect(r.code).toBe(0);
  });

  it('does not leave a server it started running when it exits without stopping it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tenantry-pg-exit-'));
    chmodSync(dir, 0o777); // the server runs as its own user when we are root
    try {
      const dataDir = join(dir, 'data');
      const r = endsWith(`await pg.startEmbeddedPostgres({ dataDir: ${JSON.stringify(dataDir)}, port: ${await freePort()} }); process.exit(3);`);
      expect(r.code).toBe(3);
      expect(r.stderr).not.toMatch(/Error/);
      // The server's command line names its data directory; pgrep answers 1 when nothing matches.
      await expect.poll(() => spawnSync('pgrep', ['-f', dataDir]).status, { timeout: 15_000 }).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('stops a server that a terminal’s Ctrl-C already stopped, instead of waiting for it forever', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tenantry-pg-exit-'));
    chmodSync(dir, 0o777);
    try {
      const dataDir = join(dir, 'data');
      const pg = await startEmbeddedPostgres({ dataDir, port: await freePort() });
      // Ctrl-C reaches the server itself (same process group) before our shutdown asks it to stop.
      process.kill(Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]), 'SIGINT');
      await expect.poll(() => spawnSync('pgrep', ['-f', dataDir]).status, { timeout: 15_000 }).toBe(1);
      await pg.stop();
      expect(spawnSync('pgrep', ['-f', dataDir]).status).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
