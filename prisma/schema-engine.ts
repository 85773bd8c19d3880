// Prisma's schema engine compiled to WebAssembly, driven through the pg driver adapter. It computes
// the SQL between two schemas (a live database, a schema.prisma, or nothing), which we use to write
// migrations and to detect drift between the migrated database and schema.prisma, without the
// native schema-engine binary that cannot be downloaded here.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';

export const schemaPath = join(dirname(fileURLToPath(import.meta.url)), 'schema.prisma');

type SchemaFiles = { files: { path: string; content: string }[] };
/** `schemaDatasource` is the live database the driver adapter connects to. */
type DiffTarget =
  | { tag: 'empty' }
  | ({ tag: 'schemaDatasource'; configDir: string } & SchemaFiles)
  | ({ tag: 'schemaDatamodel' } & SchemaFiles);

interface Engine {
  diff(params: {
    from: DiffTarget;
    to: DiffTarget;
    script: boolean;
    exitCode: boolean | null;
    filters: { externalTables: string[]; externalEnums: string[] };
  }): Promise<{ exitCode: number; stdout: string | null }>;
  free(): void;
}

let wasmReady: Promise<{ SchemaEngine: { new: (o: unknown, cb: unknown, adapter: unknown) => Promise<Engine> } }> | undefined;

function loadWasm() {
  wasmReady ??= (async () => {
    const require = createRequire(import.meta.url);
    const pkgDir = dirname(require.resolve('@prisma/schema-engine-wasm'));
    // The package's entry imports the .wasm file as an ES module, which Node cannot do; instantiate by hand.
    // The engine reports Rust panics through this global; without it a panic hides its message.
    const g = globalThis as { PRISMA_WASM_PANIC_REGISTRY?: { set_message(m: string): void; message?: string } };
    g.PRISMA_WASM_PANIC_REGISTRY ??= {
      set_message(m: string) {
        this.message = m;
        process.stderr.write(`prisma schema engine panic: ${m}\n`);
      },
    };
    const bg = await import(join(pkgDir, 'schema_engine_bg.js'));
    const { instance } = await WebAssembly.instantiate(readFileSync(join(pkgDir, 'schema_engine_bg.wasm')), {
      './schema_engine_bg.js': bg,
    });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start?: () => void }).__wbindgen_start?.();
    return bg;
  })();
  return wasmReady;
}

async function withEngine<T>(databaseUrl: string, fn: (engine: Engine, schema: string) => Promise<T>): Promise<T> {
  const { SchemaEngine } = await loadWasm();
  const schema = readFileSync(schemaPath, 'utf8');
  const pool = new CatalogFriendlyPool({ connectionString: databaseUrl, max: 2 });
  const factory = new PrismaPg(pool, { disposeExternalPool: true });
  const adapter = bindMigrationAwareSqlAdapterFactory(withCharacterColumns(factory, pool));
  const engine = await SchemaEngine.new({ datamodels: [['schema.prisma', schema]] }, () => undefined, adapter);
  try {
    return await fn(engine, schema);
  } finally {
    engine.free();
  }
}

const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;
const CHARACTER_COLUMN_TYPE = 6; // ColumnTypeEnum.Character in @prisma/driver-adapter-utils

/**
 * The schema engine's introspection reads catalog columns of Postgres's internal one-byte `"char"`
 * type (relkind, contype, ...), which the pg driver adapter refuses to map. The pool relabels them as
 * text for the adapter and remembers, per SQL text, which columns they were; the adapter wrapper
 * below then reports those columns to the engine as `Character`, the type it expects.
 */
class CatalogFriendlyPool extends pg.Pool {
  readonly charColumns = new Map<string, Set<string>>();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override query(...args: any[]): any {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const result = (super.query as any)(...args);
    if (!result || typeof result.then !== 'function') return result;
    const sql: string = typeof args[0] === 'string' ? args[0] : args[0]?.text;
    return result.then((res: pg.QueryResult) => {
      const chars = new Set<string>();
      for (const field of res.fields ?? []) {
        if (field.dataTypeID === PG_CHAR_OID) {
          field.dataTypeID = PG_TEXT_OID;
          chars.add(field.name);
        }
      }
      if (chars.size) this.charColumns.set(sql, chars);
      return res;
    });
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyAdapter = any;

function withCharacterColumns(factory: PrismaPg, pool: CatalogFriendlyPool): AnyAdapter {
  const wrap = (adapter: AnyAdapter) =>
    new Proxy(adapter, {
      get(target, prop, receiver) {
        if (prop !== 'queryRaw') {
          const v = Reflect.get(target, prop, receiver);
          return typeof v === 'function' ? v.bind(target) : v;
        }
        return async (query: { sql: string }) => {
          const res = await target.queryRaw(query);
          const chars = pool.charColumns.get(query.sql);
          if (chars) {
            res.columnNames.forEach((name: string, i: number) => {
              if (chars.has(name)) res.columnTypes[i] = CHARACTER_COLUMN_TYPE;
            });
          }
          return res;
        };
      },
    });
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => wrap(await factory.connect()),
    connectToShadowDb: async () => wrap(await factory.connectToShadowDb()),
  };
}

const noFilters = { externalTables: [], externalEnums: [] };

/** SQL that would bring the database at `databaseUrl` to schema.prisma; empty when they agree. */
export async function diffDatabaseToSchema(databaseUrl: string): Promise<string> {
  return withEngine(databaseUrl, async (engine, schema) => {
    const files = [{ path: schemaPath, content: schema }];
    const res = await engine.diff({
      from: { tag: 'schemaDatasource', files, configDir: dirname(schemaPath) },
      to: { tag: 'schemaDatamodel', files },
      script: true,
      exitCode: null,
      filters: noFilters,
    });
    return stripEmptyDiff(res.stdout ?? '');
  });
}

/** Prisma prints this comment when there is nothing to do. */
function stripEmptyDiff(sql: string): string {
  const trimmed = sql.trim();
  return trimmed === '-- This is an empty migration.' ? '' : trimmed;
}
