import { defineConfig } from 'vitest/config';

// `npm run bench`: prints figures, asserts no durations, and is not part of `npm test`.
export default defineConfig({
  test: {
    include: ['test/bench/*.bench.ts'],
    environment: 'node',
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 900_000,
    hookTimeout: 240_000,
    // One file at a time: the two benchmarks must not share the two cores.
    fileParallelism: false,
  },
});
