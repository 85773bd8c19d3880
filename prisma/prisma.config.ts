// Prisma CLI configuration. The runtime never reads this: lib/db.ts builds the client from config.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: './schema.prisma',
  migrations: { path: './migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://postgres:postgres@127.0.0.1:54329/tenantry' },
});
