import { defineConfig } from 'vitest/config';
import path from 'node:path';

export default defineConfig({
  test: {
    include: ['lib/**/*.test.ts', 'components/**/*.test.ts', 'app/**/*.test.ts'],
    environment: 'node',
  },
  resolve: {
    alias: {
      'server-only': path.resolve('tests/support/server-only-stub.ts'),
      '@': path.resolve('.'),
    },
  },
});
