// Starting up: `node scripts/migrate.mjs` (run by `npm start` and `npm run seed:demo`) while another process holds the
// database: with every migration applied it says so and exits at once instead of timing out on the lock.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, startServer, type TestServer } from './support/server';

let server: TestServer;

beforeAll(async () => {
  server = await startServer();
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

const migrate = () =>
  spawnSync(process.execPath, ['scripts/migrate.mjs'], { cwd: repoRoot, env: { ...process.env, DATABASE_URL: server.databaseUrl }, encoding: 'utf8', timeout: 60_000 });

describe('scripts/migrate.mjs beside a running server', () => {
  it('skips an up-to-date database, even while another process holds its write lock', () => {
    // On SQLite, take the write lock the way a busy server does; PostgreSQL only has the running server.
    const holder = server.databaseUrl.startsWith('file:') ? new Database(server.databaseUrl.slice('file:'.length)) : null;
    holder?.exec('BEGIN IMMEDIATE');
    try {
      const started = Date.now();
      const run = migrate();
      expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
      expect(run.stdout).toContain('Database is up to date');
      expect(Date.now() - started).toBeLessThan(15_000);
    } finally {
      holder?.exec('ROLLBACK');
      holder?.close();
    }
  });
});

describe('scripts/migrate.mjs creating a SQLite database', () => {
  it('gives a new database 32 KiB pages and write-ahead logging; an existing one keeps its pages', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tollbooth-migrate-'));
    try {
      const file = path.join(dir, 'new.db');
      const old = path.join(dir, 'old.db');
      fs.writeFileSync(old, ''); // there already, as an empty file: SQLite's default page size
      for (const db of [file, old]) {
        const run = spawnSync(process.execPath, ['scripts/migrate.mjs'], { cwd: repoRoot, env: { ...process.env, DATABASE_URL: `file:${db}` }, encoding: 'utf8', timeout: 60_000 });
        expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
      }
      const created = new Database(file, { readonly: true });
      const existing = new Database(old, { readonly: true });
      try {
        expect(created.pragma('page_size', { simple: true })).toBe(32_768);
        expect(created.pragma('journal_mode', { simple: true })).toBe('wal');
        expect(created.prepare(`SELECT COUNT(*) AS n FROM "_prisma_migrations" WHERE "finished_at" IS NOT NULL`).get()).toEqual({ n: fs.readdirSync(path.join(repoRoot, 'prisma/sqlite/migrations')).filter((n) => !n.endsWith('.toml')).length });
        expect(existing.pragma('page_size', { simple: true })).toBe(4_096);
        expect(existing.prepare(`SELECT COUNT(*) AS n FROM "_prisma_migrations"`).get()).toEqual(created.prepare(`SELECT COUNT(*) AS n FROM "_prisma_migrations"`).get());
      } finally {
        created.close();
        existing.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('the environment, checked at start', () => {
  it('refuses to start with one clear line per bad variable', async () => {
    const failed = await startServer({ env: { TOLLBOOTH_RESERVATION_TTL_SECONDS: 'ten', TOLLBOOTH_TRUST_PROXY: 'yes', TOLLBOOTH_PROVIDER_LOCAL_BASE_URL: 'localhost:11434' } }).then(
      (s) => s.stop().then(() => null),
      (err: unknown) => String(err),
    );
    expect(failed).toContain('cannot start: fix the environment');
    expect(failed).toContain('TOLLBOOTH_RESERVATION_TTL_SECONDS: must be a whole number of seconds');
    expect(failed).toContain('TOLLBOOTH_TRUST_PROXY: must be 1 (on) or 0 (off)');
    expect(failed).toContain('TOLLBOOTH_PROVIDER_LOCAL_BASE_URL: must be an http(s) URL');
  }, 120_000);
});
