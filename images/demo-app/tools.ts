// Diagnostics run by `docker exec` for instance commands (ping, sysinfo, ...). The image has no shell;
// each command is a fixed piece of code here, so no customer text is ever interpreted.
import { readdirSync, readFileSync, statfsSync } from 'node:fs';
import os from 'node:os';
import pg from 'pg';

async function ping() {
  const started = Date.now();
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL, connectionTimeoutMillis: 3000 });
  await client.connect();
  await client.query('SELECT 1');
  await client.end();
  return `pong: app up ${Math.round(process.uptime())} s in container, database answered in ${Date.now() - started} ms`;
}

function sysinfo() {
  return [
    `hostname: ${os.hostname()}`,
    `kernel: ${os.type()} ${os.release()} ${os.arch()}`,
    `cpus: ${os.cpus().length}`,
    `memory: ${Math.round(os.totalmem() / 1048576)} MB total, ${Math.round(os.freemem() / 1048576)} MB free`,
    `node: ${process.version}`,
  ].join('\n');
}

function uptime() {
  return `up ${Math.round(os.uptime())} s; load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`;
}

function disk() {
  const s = statfsSync('/');
  return `/: ${Math.round((s.blocks * s.bsize) / 1048576)} MB, ${Math.round((s.bavail * s.bsize) / 1048576)} MB free`;
}

function processes() {
  const rows = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map((pid) => {
      try {
        return `${pid.padStart(6)} ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim()}`;
      } catch {
        return undefined;
      }
    })
    .filter(Boolean);
  return ['   PID COMMAND', ...rows].join('\n');
}

const commands: Record<string, () => string | Promise<string>> = { ping, sysinfo, uptime, disk, processes };

const name = process.argv[2] ?? '';
const run = commands[name];
if (!run) {
  process.stderr.write(`unknown command "${name}"; known: ${Object.keys(commands).join(', ')}\n`);
  process.exit(2);
}
Promise.resolve(run()).then(
  (out) => {
    process.stdout.write(`${out}\n`);
  },
  (err: Error) => {
    process.stderr.write(`${name} failed: ${err.message}\n`);
    process.exit(1);
  },
);
