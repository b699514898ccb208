import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['./test/global-setup.ts'],
    reporters: ['default', './test/support/summary-reporter.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit-and-database',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['test/browser/**'],
          pool: 'forks',
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          // Installs Debian's Chromium when missing (root with apt-get), or stops at once with the command to run.
          globalSetup: ['./test/global-setup.ts', './test/browser-global-setup.ts'],
          include: ['test/browser/**/*.test.ts'],
          // Over PGlite as `commons serve` opens it: in a thread of its own (src/platform/database/pglite-thread.ts).
          env: { TEST_PGLITE_IN_WORKER: 'true' },
          pool: 'forks',
          // One Chromium at a time on a two-core machine.
          fileParallelism: false,
        },
      },
    ],
  },
});
