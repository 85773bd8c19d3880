// The migrations and schema.prisma must describe the same database, and the migration runner must
// keep Prisma's bookkeeping so `prisma migrate deploy` would agree with it.
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { migrate, readMigrations } from '../../prisma/migrate';
import { diffDatabaseToSchema } from '../../prisma/schema-engine';
import { freshDatabase } from '../helpers/stack';

describe('platform schema', () => {
  it('the migrated database matches schema.prisma (no drift)', async () => {
    const url = await freshDatabase('drift');
    const diff = await diffDatabaseToSchema(url);
    expect(diff, `schema.prisma and the migrations disagree; run npm run db:new-migration -- <name>:\n${diff}`).toBe('');
  });

  it('detects drift when the database differs from schema.prisma', async () => {
    const url = await freshDatabase('drift_neg');
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query('ALTER TABLE tenants ADD COLUMN surprise TEXT');
    await client.end();
    expect(await diffDatabaseToSchema(url)).toMatch(/DROP COLUMN "surprise"/);
  });

  it('records every migration in _prisma_migrations with its checksum, and a second run applies nothing', async () => {
    const url = await freshDatabase('bookkeeping');
    expect(await migrate(url)).toEqual([]);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query('SELECT migration_name, checksum, finished_at FROM _prisma_migrations ORDER BY migration_name');
    await client.end();
    const expected = readMigrations();
    expect(rows.map((r) => [r.migration_name, r.checksum])).toEqual(expected.map((m) => [m.name, m.checksum]));
    expect(rows.every((r) => r.finished_at)).toBe(true);
  });

  it('keeps the audit log and the ledger append-only', async () => {
    const url = await freshDatabase('append_only');
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`INSERT INTO audit_log (actor_type, action, result) VALUES ('system', 'test', 'success')`);
      await expect(client.query(`UPDATE audit_log SET action = 'rewritten'`)).rejects.toThrow(/append-only/);
      await expect(client.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
      await expect(client.query('TRUNCATE audit_log')).rejects.toThrow(/append-only/);
    } finally {
      await client.end();
    }
  });
});
