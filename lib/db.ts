// The platform database client: Prisma 7 without native engines (WASM query compiler + pg adapter).
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../prisma/generated/client';

export type Db = InstanceType<typeof PrismaClient>;
export { Prisma } from '../prisma/generated/client';
export * from '../prisma/generated/enums';

export function createDb(databaseUrl: string, opts: { maxConnections?: number } = {}): Db {
  const adapter = new PrismaPg({ connectionString: databaseUrl, max: opts.maxConnections ?? 10 });
  return new PrismaClient({ adapter });
}
