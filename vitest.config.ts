import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    maxWorkers: 2,
    reporters: ['default'],
    projects: [
      {
        test: {
          name: 'platform',
          include: ['test/**/*.test.ts'],
          // Starts one real Postgres and one real Temporal dev server for the whole run (test/setup).
          globalSetup: ['test/setup/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
          pool: 'forks',
        },
      },
      {
        // The console's components in jsdom against a typed fake of the API (web/src/test); the real
        // stack in a real browser is test/e2e.
        plugins: [react()],
        test: {
          name: 'console',
          include: ['web/src/**/*.test.{ts,tsx}'],
          environment: 'jsdom',
          environmentOptions: { jsdom: { url: 'http://localhost:3000/' } },
          setupFiles: ['web/src/test/setup.ts'],
          testTimeout: 20_000,
        },
      },
    ],
  },
});
