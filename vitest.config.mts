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
    // The SDK's notice that its 2027 releases need Node 22 (see local/s3-server.ts), for clients made early.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
