import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Builds the dashboard once before any worker starts: its browser tests load the built pages.
    globalSetup: ['test/dashboard/support/build-web.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // The machine has two cores; more workers only queue behind argon2.
    maxWorkers: 2,
  },
});
