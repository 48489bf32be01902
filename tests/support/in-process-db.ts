// A migrated database of one test file's own — a SQLite file, or a new PostgreSQL database when
// TOLLBOOTH_TEST_POSTGRES_URL names a server — for tests that import lib/ code in this process (no server).
// lib/db.ts reads DATABASE_URL when first imported: call open() before importing it.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
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
