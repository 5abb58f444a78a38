import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));

// The UI imports the engine's sources directly (../engine), so the browser validates and
// simulates with the very code the server and the workflow run.
export default defineConfig({
  root: here,
  plugins: [react()],
  // One bundle of about 250 kB gzipped (React, React Flow, zod, luxon, liquidjs and the engine):
  // loaded once by a designer's browser, so splitting it buys little.
  build: {
    outDir: path.join(here, 'dist'),
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    fs: { allow: [path.resolve(here, '..')] },
    proxy: { '/api': 'http://localhost:8080' },
  },
});
