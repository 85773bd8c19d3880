// The demo app every Docker instance runs by default. Its page names the organization it belongs to,
// and its health endpoint proves it can use its own database schema (create, write, read), so
// "healthy" means the whole wiring works: container, network, database role and schema, routing.
import { createServer } from 'node:http';
import { hostname } from 'node:os';
import pg from 'pg';

const port = Number(process.env.PORT ?? 8080);
const tenant = process.env.TENANT_NAME ?? 'unknown organization';
const slug = process.env.TENANT_SLUG ?? '';
const instance = process.env.INSTANCE_NAME ?? hostname();
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 3, connectionTimeoutMillis: 3000 });

async function checkDatabase(): Promise<{ schema: string; visits: number }> {
  const client = await pool.connect();
  try {
    await client.query('CREATE TABLE IF NOT EXISTS visits (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now())');
    await client.query('INSERT INTO visits DEFAULT VALUES');
    const r = await client.query('SELECT current_schema() AS schema, (SELECT count(*) FROM visits)::int AS visits');
    return r.rows[0];
  } finally {
    client.release();
  }
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const server = createServer(async (req, res) => {
  try {
    if (req.url === '/healthz') {
      const db = await checkDatabase();
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, tenant: slug, instance, ...db }));
      return;
    }
    const db = await checkDatabase();
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(instance)} · ${escape(tenant)}</title></head>` +
        `<body style="font-family:system-ui;margin:3rem"><h1>${escape(instance)}</h1>` +
        `<p>This app belongs to <strong data-testid="tenant">${escape(tenant)}</strong> (${escape(slug)}).</p>` +
        `<p>Its own database schema <code>${escape(db.schema)}</code> has recorded ${db.visits} visits.</p></body></html>`,
    );
  } catch (err) {
    res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: false, error: (err as Error).message }));
  }
}).listen(port, '0.0.0.0');

// PID 1 in the container: without a handler, `docker stop` would wait its full timeout and kill.
process.on('SIGTERM', () => {
  server.close();
  void pool.end().finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 3000).unref();
});
