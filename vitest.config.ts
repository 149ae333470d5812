import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    // Set-up hooks run whole calibrations; give them the room a test gets, so a busy machine does not fail them.
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
