import { defineConfig } from 'vitest/config';

// Two projects: `unit` needs nothing running; `integration` gets a real Temporal dev server and
// a fresh PostgreSQL database template from the global setup, and every file makes its own
// database, task queue and SMTP servers, so files never see each other's runs.
export default defineConfig({
  test: {
    allowOnly: false,
    projects: [
      {
        test: {
          name: 'unit',
          environment: 'node',
          sequence: { groupOrder: 0 },
          include: [
            'engine/**/*.test.ts',
            'activities/**/*.test.ts',
            'server/**/*.test.ts',
            'workflows/**/*.test.ts',
            'test/unit/**/*.test.ts',
          ],
          exclude: ['**/*.int.test.ts', '**/node_modules/**'],
        },
      },
      {
        // The builder UI's graph logic and components, in a browser-like DOM.
        test: {
          name: 'ui',
          environment: 'jsdom',
          sequence: { groupOrder: 0 },
          include: ['builder-ui/src/**/*.test.{ts,tsx}'],
          setupFiles: ['builder-ui/src/test-setup.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          environment: 'node',
          // After the unit project: fast failures first, and the two never compete for cores.
          sequence: { groupOrder: 1 },
          include: ['**/*.int.test.ts'],
          exclude: ['**/node_modules/**'],
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 240_000,
          // Each file runs Temporal workers and SMTP servers; on two cores more than two files
          // at once only makes every timer late.
          maxWorkers: 2,
        },
      },
    ],
  },
});
