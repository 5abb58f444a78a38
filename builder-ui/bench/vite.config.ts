import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));

// The benchmark page: a production build of the builder's editor beside plain React Flow,
// built apart from the UI so it is never served by Pathwell.
export default defineConfig({
  root: here,
  base: './',
  plugins: [react()],
  build: {
    outDir: path.join(here, '../dist-bench'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
});
