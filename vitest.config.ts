import { defineConfig } from 'vitest/config';
import path from 'node:path';

export default defineConfig({
  test: {
    include: ['lib/**/*.test.ts', 'components/**/*.test.ts', 'app/**/*.test.ts'],
    environment: 'node',
    // Migrates the PostgreSQL test template once (when TOLLBOOTH_TEST_POSTGRES_URL is set).
    globalSetup: ['tests/support/unit-global-setup.ts'],
  },
  resolve: {
    alias: {
      'server-only': path.resolve('tests/support/server-only-stub.ts'),
      '@': path.resolve('.'),
    },
  },
});
