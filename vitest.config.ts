import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Starts one real Postgres and one real Temporal dev server for the whole run (test/setup).
    globalSetup: ['test/setup/global-setup.ts'],
    include: ['test/**/*.test.ts', 'web/src/**/*.test.tsx'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default'],
  },
});
