import { defineConfig } from 'vitest/config';

// `npm run histories:record`: re-records test/fixtures/histories/ on the real dev server.
export default defineConfig({
  test: {
    include: ['test/histories/record-histories.ts'],
    environment: 'node',
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 600_000,
    hookTimeout: 240_000,
  },
});
