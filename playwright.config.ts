import os from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';

// Studio end-to-end tests: Debian's Chromium against the built server (`next build` first) on a fresh database:
// a new SQLite file, or the empty PostgreSQL database named by E2E_DATABASE_URL.
// E2E_PORT lets two checkouts run their e2e tests side by side (each with its own data folder).
const PORT = Number(process.env.E2E_PORT) || 3100;
const DATA_DIR = path.join(os.tmpdir(), PORT === 3100 ? 'tollbooth-e2e-studio' : `tollbooth-e2e-studio-${PORT}`);
const DB_FILE = path.join(DATA_DIR, 'tollbooth.db');

export const E2E_ENV = {
  baseURL: `http://127.0.0.1:${PORT}`,
  /** A provider the tests play themselves (e2e/workspace-budgets.spec.ts holds a call open to see its reservation). */
  heldProviderPort: PORT + 1,
  apiKey: 'tb_e2e_root_key_0123456789abcdef',
  adminEmail: 'admin@tollbooth.test',
  adminPassword: 'e2e-correct-horse-battery-staple',
};

/** Debian's Chromium (Playwright's own browsers cannot be downloaded here). */
const chromium = {
  browserName: 'chromium' as const,
  launchOptions: {
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  },
};

export default defineConfig({
  testDir: 'e2e',
  timeout: 30_000,
  expect: { timeout: 7_000 },
  fullyParallel: false,
  workers: 1,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: E2E_ENV.baseURL,
    trace: 'retain-on-failure',
    viewport: { width: 1360, height: 900 },
  },
  projects: [
    // The empty states need the fresh database: their file runs first, alone.
    { name: 'fresh', testMatch: /empty-states\.spec\.ts/, use: chromium },
    { name: 'studio', testIgnore: /empty-states\.spec\.ts/, dependencies: ['fresh'], use: chromium },
  ],
  webServer: {
    // The data folder (database + generated session secret) is deleted first: every run starts empty.
    command: `rm -rf "${DATA_DIR}" && mkdir -p "${DATA_DIR}" && node scripts/migrate.mjs && node "${process.env.NEXT_DIST_DIR || '.next'}/tollbooth-server.mjs" -p ${PORT} -H 127.0.0.1`,
    url: `${E2E_ENV.baseURL}/api/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      DATABASE_URL: process.env.E2E_DATABASE_URL || `file:${DB_FILE}`,
      TOLLBOOTH_API_KEY: E2E_ENV.apiKey,
      TOLLBOOTH_ADMIN_EMAIL: E2E_ENV.adminEmail,
      TOLLBOOTH_ADMIN_PASSWORD: E2E_ENV.adminPassword,
      TOLLBOOTH_TEST_CLOCK: '1',
      // The server's warnings and errors reach the test output (stdout is piped); its access lines do not.
      TOLLBOOTH_LOG_LEVEL: 'warn',
      TOLLBOOTH_PROVIDER_E2EHOLD_BASE_URL: `http://127.0.0.1:${E2E_ENV.heldProviderPort}/v1`,
      ...(process.env.NEXT_DIST_DIR ? { NEXT_DIST_DIR: process.env.NEXT_DIST_DIR } : {}),
    },
  },
});
