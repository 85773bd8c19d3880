// `npm run db:new-migration -- <name>`: writes prisma/migrations/<timestamp>_<name>/migration.sql with
// the SQL that takes the current migrations to schema.prisma. It applies the existing migrations to a
// throw-away embedded Postgres and asks the schema engine for the difference. Review the file, add
// what Prisma cannot express (triggers, row-level security policies, seed rows), then commit.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDatabase, startEmbeddedPostgres, withDatabase } from '../lib/embedded-postgres';
import { migrate, migrationsDir } from './migrate';
import { diffDatabaseToSchema } from './schema-engine';

async function main() {
  const name = process.argv[2];
  if (!name || !/^[a-z0-9_]+$/.test(name)) {
    throw new Error('usage: npm run db:new-migration -- <name in snake_case>');
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'tenantry-migration-'));
  const { chmodSync } = await import('node:fs');
  chmodSync(dataDir, 0o777);
  const pg = await startEmbeddedPostgres({ dataDir: join(dataDir, 'pg'), port: 54000 + Math.floor(Math.random() * 900) });
  try {
    const url = withDatabase(pg.adminUrl, 'scratch');
    await ensureDatabase(url);
    await migrate(url);
    const sql = await diffDatabaseToSchema(url);
    if (!sql) {
      console.log('schema.prisma matches the migrations; nothing to write');
      return;
    }
    const stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
    const dir = join(migrationsDir, `${stamp}_${name}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'migration.sql'), `${sql}\n`);
    console.log(`wrote ${join(dir, 'migration.sql')}`);
  } finally {
    await pg.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
