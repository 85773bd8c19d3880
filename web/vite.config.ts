import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    // Libraries change less often than the console: their own chunks stay cached across releases, and
    // the charts load only with the pages that draw them.
    rollupOptions: {
      output: {
        manualChunks(id) {
          if (!id.includes('node_modules')) return undefined;
          if (/[\\/](recharts|d3-[a-z-]+|victory-vendor|@mantine[\\/]charts)[\\/]/.test(id)) return 'vendor-charts';
          if (/[\\/](@mantine|@floating-ui|@tabler)[\\/]/.test(id)) return 'vendor-ui';
          return 'vendor';
        },
      },
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
