// Databases for tenants' apps on the tenant Postgres (a server separate from the platform's own).
//
// Per tenant AND per instance, on purpose:
//  - each organization gets a NOLOGIN group role `tg_<tenant>` owning a shared schema `tenant_<tenant>`
//    (created at signup, dropped when the organization closes), for data its apps share on purpose;
//  - each Docker app instance gets its own LOGIN role `app_<instance>` (random password, connection
//    limit, statement timeout) owning its own schema `app_<instance>`, and is a member of its
//    organization's group role. Destroying the instance drops its role and schema and nothing else.
// Nobody has privileges on `public` or on another organization's schemas: a query across tenants is
// answered "permission denied". Passwords are stored sealed in the platform database
// (app_databases), recorded before the role is created so a retry reuses the same one.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { externalName } from '../providers/contract';
import type { PlatformDeps } from '../deps';

export interface TenantPostgresConfig {
  /** A role with CREATEROLE on the tenant Postgres, to its apps database. */
  adminUrl: string;
  /** host:port of that server as the apps (containers) reach it. */
  appHost: string;
}

export interface AppDatabaseLogin {
  schema: string;
  role: string;
  /** The connection string handed to the app; contains the password, never logged or returned to workflows. */
  url: string;
}

const CONNECTION_LIMIT = 10;
const STATEMENT_TIMEOUT = '30s';

export const tenantGroupRole = (tenantId: string) => externalName('tg', tenantId).replace(/-/g, '_');
export const tenantSchema = (tenantId: string) => externalName('tenant', tenantId).replace(/-/g, '_');
export const appRole = (instanceId: string) => externalName('app', instanceId).replace(/-/g, '_');

const ident = (name: string) => pg.escapeIdentifier(name);

export function createTenantPostgres(deps: PlatformDeps & { tenantDb: TenantPostgresConfig }) {
  const { db, secrets } = deps;
  const adminDbName = decodeURIComponent(new URL(deps.tenantDb.adminUrl).pathname.slice(1));

  async function withAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
    const client = new pg.Client({ connectionString: deps.tenantDb.adminUrl, connectionTimeoutMillis: 10_000 });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  }

  const roleExists = async (c: pg.Client, role: string) => ((await c.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role])).rowCount ?? 0) > 0;

  /** Once per server: nobody gets anything by default. */
  async function lockDownDefaults(c: pg.Client) {
    await c.query('REVOKE ALL ON SCHEMA public FROM PUBLIC');
    await c.query(`REVOKE ALL ON DATABASE ${ident(adminDbName)} FROM PUBLIC`);
  }

  async function dropRole(c: pg.Client, role: string) {
    if (!(await roleExists(c, role))) return;
    await c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1', [role]);
    await c.query(`DROP OWNED BY ${ident(role)} CASCADE`);
    await c.query(`DROP ROLE IF EXISTS ${ident(role)}`);
  }

  return {
    async ensureTenantDatabase(tenantId: string): Promise<{ schema: string; role: string }> {
      const role = tenantGroupRole(tenantId);
      const schema = tenantSchema(tenantId);
      await db.appDatabase.upsert({ where: { roleName: role }, create: { tenantId, schemaName: schema, roleName: role }, update: {} });
      await withAdmin(async (c) => {
        await lockDownDefaults(c);
        if (!(await roleExists(c, role))) await c.query(`CREATE ROLE ${ident(role)} NOLOGIN`);
        await c.query(`GRANT CONNECT ON DATABASE ${ident(adminDbName)} TO ${ident(role)}`);
        await c.query(`CREATE SCHEMA IF NOT EXISTS ${ident(schema)} AUTHORIZATION ${ident(role)}`);
      });
      return { schema, role };
    },

    async dropTenantDatabase(tenantId: string): Promise<void> {
      const role = tenantGroupRole(tenantId);
      const schema = tenantSchema(tenantId);
      await withAdmin(async (c) => {
        await c.query(`DROP SCHEMA IF EXISTS ${ident(schema)} CASCADE`);
        await dropRole(c, role);
      });
      await db.appDatabase.deleteMany({ where: { roleName: role } });
    },

    /** The instance's own login; creates role and schema if missing. Returns the URL for the app's environment. */
    async ensureAppDatabase(tenantId: string, instanceId: string): Promise<AppDatabaseLogin> {
      const role = appRole(instanceId);
      const group = tenantGroupRole(tenantId);
      const existing = await db.appDatabase.findUnique({ where: { roleName: role } });
      let password: string;
      if (existing?.passwordCiphertext) {
        password = secrets.open(existing.passwordCiphertext, `appdb:${role}`);
      } else {
        password = randomBytes(24).toString('base64url');
        await db.appDatabase.upsert({
          where: { roleName: role },
          create: { tenantId, instanceId, schemaName: role, roleName: role, passwordCiphertext: secrets.seal(password, `appdb:${role}`) },
          update: { passwordCiphertext: secrets.seal(password, `appdb:${role}`) },
        });
      }
      await withAdmin(async (c) => {
        await lockDownDefaults(c);
        if (!(await roleExists(c, group))) await c.query(`CREATE ROLE ${ident(group)} NOLOGIN`);
        // Passwords cannot be bound as parameters in CREATE/ALTER ROLE; the literal is escaped.
        const pw = pg.escapeLiteral(password);
        if (await roleExists(c, role)) await c.query(`ALTER ROLE ${ident(role)} LOGIN PASSWORD ${pw}`);
        else await c.query(`CREATE ROLE ${ident(role)} LOGIN PASSWORD ${pw} CONNECTION LIMIT ${CONNECTION_LIMIT} IN ROLE ${ident(group)}`);
        await c.query(`ALTER ROLE ${ident(role)} SET statement_timeout = ${pg.escapeLiteral(STATEMENT_TIMEOUT)}`);
        await c.query(`ALTER ROLE ${ident(role)} SET search_path = ${ident(role)}, ${ident(tenantSchema(tenantId))}`);
        await c.query(`GRANT CONNECT ON DATABASE ${ident(adminDbName)} TO ${ident(role)}`);
        await c.query(`CREATE SCHEMA IF NOT EXISTS ${ident(role)} AUTHORIZATION ${ident(role)}`);
      });
      const url = `postgresql://${role}:${encodeURIComponent(password)}@${deps.tenantDb.appHost}/${encodeURIComponent(adminDbName)}`;
      return { schema: role, role, url };
    },

    async dropAppDatabase(instanceId: string): Promise<void> {
      const role = appRole(instanceId);
      await withAdmin(async (c) => {
        await c.query(`DROP SCHEMA IF EXISTS ${ident(role)} CASCADE`);
        await dropRole(c, role);
      });
      await db.appDatabase.deleteMany({ where: { roleName: role } });
    },

    /** True while the instance's role or schema still exists on the tenant Postgres. */
    async appDatabaseExists(instanceId: string): Promise<boolean> {
      const role = appRole(instanceId);
      return withAdmin(async (c) => {
        const r = await c.query('SELECT (SELECT count(*) FROM pg_roles WHERE rolname = $1) + (SELECT count(*) FROM pg_namespace WHERE nspname = $1) AS n', [role]);
        return Number(r.rows[0].n) > 0;
      });
    },

    /** Per-tenant database metrics: tables, total size, live rows (statistics, may lag a moment), per schema. */
    async tenantDatabaseMetrics(tenantId: string): Promise<{ schemas: { schema: string; tables: number; sizeBytes: number; rows: number }[] }> {
      const schemas = (await db.appDatabase.findMany({ where: { tenantId }, select: { schemaName: true } })).map((r) => r.schemaName);
      if (schemas.length === 0) return { schemas: [] };
      return withAdmin(async (c) => {
        const r = await c.query(
          `SELECT n.nspname AS schema,
                  count(cl.oid) FILTER (WHERE cl.relkind = 'r') AS tables,
                  coalesce(sum(pg_total_relation_size(cl.oid)) FILTER (WHERE cl.relkind = 'r'), 0) AS size,
                  coalesce(sum(st.n_live_tup) FILTER (WHERE cl.relkind = 'r'), 0) AS rows
           FROM pg_namespace n
           LEFT JOIN pg_class cl ON cl.relnamespace = n.oid
           LEFT JOIN pg_stat_all_tables st ON st.relid = cl.oid
           WHERE n.nspname = ANY($1) GROUP BY n.nspname ORDER BY n.nspname`,
          [schemas],
        );
        return { schemas: r.rows.map((x) => ({ schema: x.schema, tables: Number(x.tables), sizeBytes: Number(x.size), rows: Number(x.rows) })) };
      });
    },
  };
}
