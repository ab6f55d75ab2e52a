import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // sharp is a native module; separate processes keep each suite's libvips state its own.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // A skipped or focused test must never pass as green.
    allowOnly: false,
    passWithNoTests: false,
  },
});
