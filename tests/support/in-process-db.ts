// A migrated database of one test file's own — a SQLite file, or a new PostgreSQL database when
// TOLLBOOTH_TEST_POSTGRES_URL names a server — for tests that import lib/ code in this process (no server).
// lib/db.ts reads DATABASE_URL when first imported: call open() before importing it (withInProcessLib does).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { repoRoot } from './server';
import { queryDb } from './db';
import { createMigratedPgDatabase } from './pg-template';

export type InProcessDb = {
  databaseUrl: string;
  isPg: boolean;
  /** Creates and migrates the database and points DATABASE_URL at it. */
  open: () => Promise<void>;
  /** Drops the database and its folder (disconnect lib's client first). */
  close: () => Promise<void>;
  /**
   * The plan of `sql` ($1-style parameters), one line per step: EXPLAIN QUERY PLAN on SQLite, EXPLAIN on PostgreSQL
   * after `pgSettings` (e.g. 'SET enable_seqscan = off', so a small test table shows the index a large one uses).
   */
  plan: (sql: string, params: unknown[], pgSettings?: string) => Promise<string>;
};

export function inProcessDatabase(label: string): InProcessDb {
  const admin = process.env.TOLLBOOTH_TEST_POSTGRES_URL;
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), `tollbooth-${label}-`));
  const pgName = `tollbooth_itest_${randomBytes(6).toString('hex')}`;
  const databaseUrl = admin ? Object.assign(new URL(admin), { pathname: `/${pgName}` }).toString() : `file:${path.join(tmpDir, `${label}.db`)}`;
  const adminQuery = async (sql: string) => {
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    await client.query(sql).finally(() => client.end());
  };
  return {
    databaseUrl,
    isPg: Boolean(admin),
    open: async () => {
      if (admin) await createMigratedPgDatabase(admin, pgName);
      const migrate = spawnSync(process.execPath, ['scripts/migrate.mjs'], { cwd: repoRoot, env: { ...process.env, DATABASE_URL: databaseUrl }, encoding: 'utf8' });
      if (migrate.status !== 0) throw new Error(`migrate failed: ${migrate.stdout}\n${migrate.stderr}`);
      process.env.DATABASE_URL = databaseUrl;
    },
    close: async () => {
      if (admin) await adminQuery(`DROP DATABASE IF EXISTS ${pgName} WITH (FORCE)`);
      fs.rmSync(tmpDir, { recursive: true, force: true });
    },
    plan: async (sql, params, pgSettings) => {
      if (!admin) return (await queryDb<{ detail: string }>(databaseUrl, `EXPLAIN QUERY PLAN ${sql}`, params)).map((r) => r.detail).join('\n');
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      try {
        if (pgSettings) await client.query(pgSettings);
        return (await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, params)).rows.map((r) => r['QUERY PLAN']).join('\n');
      } finally {
        await client.end();
      }
    },
  };
}

/** lib/db and lib/workspaces/service, with what a test file imports besides. */
type InProcessLibModules<L extends object> = typeof import('../../lib/db') & typeof import('../../lib/workspaces/service') & L;

/** `lib` and `workspaceId` are set by the beforeAll: read them inside hooks and tests, not at the top level. */
export type InProcessLib<L extends object> = { database: InProcessDb; lib: InProcessLibModules<L>; workspaceId: string };

/**
 * A migrated database of the file's own with lib/ modules imported against it: registers a beforeAll (open, import,
 * default workspace) and an afterAll (disconnect, close) where it is called. `load` imports the file's own modules.
 */
export function withInProcessLib<L extends object>(label: string, load: () => Promise<L>, timeoutMs = 120_000): InProcessLib<L> {
  const context = { database: inProcessDatabase(label) } as InProcessLib<L>;
  beforeAll(async () => {
    await context.database.open();
    context.lib = { ...(await import('../../lib/db')), ...(await import('../../lib/workspaces/service')), ...(await load()) };
    context.workspaceId = await context.lib.ensureDefaultWorkspace();
  }, timeoutMs);
  afterAll(async () => {
    // A fold scheduled by the last batches would open the database again after it is gone.
    (await import('../../lib/usage/window-totals')).cancelWindowFolds();
    await context.lib?.db.$disconnect();
    await context.database.close();
  });
  return context;
}
