// Integration suite: real `next start`, real SQLite file, real HTTP (see tests/support/global-setup.ts).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  root,
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['tests/support/global-setup.ts'],
    // One server and one database for the run; files run one after another.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
  },
  resolve: {
    alias: {
      'server-only': fileURLToPath(new URL('./support/server-only-stub.ts', import.meta.url)),
      '@': root,
    },
  },
});
