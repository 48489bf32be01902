// Applies committed migrations before `npm start` (fails fast when the database cannot be migrated).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';

// JSON lines like the server's (lib/log.ts), so a log collector reads the start-up as it reads the rest.
const log = pino({ base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime, formatters: { level: (label) => ({ level: label }) } });

const SQLITE_PAGE_SIZE = 32_768;

// The default of lib/database-url.ts (this script runs before any TypeScript is compiled).
const url = process.env.DATABASE_URL || 'file:./data/tollbooth.db';
// The database and its journals hold API-key hashes and usage: private to this user (the migration
// engine inherits the umask, so the file it creates is 0600 in a 0700 folder).
process.umask(0o077);
const dbFile = url.startsWith('file:') ? path.resolve(url.slice('file:'.length)) : null;
if (dbFile) {
  // A new folder is 0700; an existing one keeps its mode (it may be shared, e.g. /tmp).
  fs.mkdirSync(path.dirname(dbFile), { recursive: true, mode: 0o700 });
  if (!fs.existsSync(dbFile)) await createSqliteDatabase(dbFile);
}

/**
 * A new SQLite database gets 32 KiB pages (SQLite's default is 4 KiB) and write-ahead logging, before the first
 * migration writes to it: the page size is fixed once a database has pages. Each event an ingest batch writes lands
 * on a random page of the per-identity indexes and rollups, and each page a commit touches is one more frame in the
 * log; with larger pages a batch touches fewer of them (bench/ingest.ts: backfill ~1.2× faster). An existing database
 * keeps its page size (README → Performance → Ingest says how to convert one).
 */
async function createSqliteDatabase(file) {
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(file);
  try {
    db.pragma(`page_size = ${SQLITE_PAGE_SIZE}`);
    db.pragma('journal_mode = WAL');
  } finally {
    db.close();
  }
}

/** Names of the committed migrations (folders under prisma/<provider>/migrations). */
function committedMigrations() {
  const dir = path.join('prisma', dbFile ? 'sqlite' : 'postgresql', 'migrations');
  return fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
}

/** Migrations the database has applied (empty when it has none yet); a read that never waits for a writer. */
async function appliedMigrations() {
  const sql = 'SELECT "migration_name" AS name FROM "_prisma_migrations" WHERE "finished_at" IS NOT NULL AND "rolled_back_at" IS NULL';
  try {
    if (dbFile) {
      if (!fs.existsSync(dbFile)) return [];
      const { default: Database } = await import('better-sqlite3');
      const db = new Database(dbFile, { readonly: true, fileMustExist: true });
      try {
        return db.prepare(sql).all().map((r) => r.name);
      } finally {
        db.close();
      }
    }
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query(sql)).rows.map((r) => r.name);
    } finally {
      await client.end();
    }
  } catch {
    return []; // no migrations table yet (or unreadable): let prisma migrate deploy decide
  }
}

const applied = new Set(await appliedMigrations());
const pending = committedMigrations().filter((name) => !applied.has(name));
let result = { status: 0 };
if (pending.length === 0) {
  // Nothing to do: a running server (or another instance) may hold the database, and that is fine.
  log.info('Database is up to date: every migration is applied.');
} else {
  // Another process may be migrating or writing: wait for the lock (up to 2 minutes) rather than fail.
  const deadline = Date.now() + 120_000;
  for (let attempt = 1; ; attempt++) {
    result = spawnSync('npx', ['prisma', 'migrate', 'deploy'], { encoding: 'utf8', env: { ...process.env, DATABASE_URL: url } });
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
    const locked = /database is locked|SQLITE_BUSY|advisory lock|timed out/i.test(output);
    if (result.status === 0) {
      log.info({ output }, `Applied ${pending.length} migration(s): ${pending.join(', ')}`);
      break;
    }
    if (!locked || Date.now() > deadline) {
      log.error({ output, status: result.status }, `prisma migrate deploy failed:\n${output}`);
      break;
    }
    log.warn(`The database is locked by another process; applying ${pending.length} migration(s) again in 2 s (attempt ${attempt})…`);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
}
if (dbFile) {
  for (const file of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`, `${dbFile}-journal`]) {
    if (fs.existsSync(file)) fs.chmodSync(file, 0o600);
  }
}
process.exit(result.status ?? 1);
