import 'server-only';
import path from 'node:path';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client';
import { PrismaClient as PgPrismaClient } from './generated/prisma-pg/client';
import { secureDataDir } from './secrets/data-file';
import { shareSqliteConnection } from './sqlite-direct';
import { createPgPools, sharePgConnections, sharePgPools } from './pg-direct';
import { databaseUrl, providerOf, sqliteFileOf, type DbProvider } from './database-url';

export const dbProvider: DbProvider = providerOf(databaseUrl());

/** SQLite: the database file DATABASE_URL names, as an absolute path. */
export function sqliteDatabaseFile(): string {
  const file = sqliteFileOf(databaseUrl());
  if (!file) throw new Error('DATABASE_URL names no SQLite file');
  return file;
}

function createClient(): PrismaClient {
  const url = databaseUrl();
  if (dbProvider === 'postgresql') {
    // Both generated clients expose the same models; the SQLite client's type is the one the code uses.
    // Its transactions' connections are remembered for the ingest path's direct statements (lib/pg-direct.ts).
    // The admissions' statements, which skip the ORM (pgStatements, pgRead), have a small pool of their own.
    const pools = createPgPools(url);
    sharePgPools(pools);
    return new PgPrismaClient({ adapter: sharePgConnections(new PrismaPg(pools.pool, { disposeExternalPool: true })) }) as unknown as PrismaClient;
  }
  const file = sqliteDatabaseFile();
  // Before the file is opened: the database, its -wal and -shm (SQLite gives them the database's mode) stay private.
  secureDataDir(path.dirname(file), file);
  // `timeout` is SQLite's busy timeout: concurrent writers wait instead of failing.
  // Its connection is shared with the call path's direct statements (lib/sqlite-direct.ts).
  return new PrismaClient({ adapter: shareSqliteConnection(new PrismaBetterSQLite3({ url, timeout: 10_000 })) });
}

const globalForDb = globalThis as unknown as { tollboothDb?: PrismaClient };

/** The one Prisma client of the process (kept across hot reloads in dev). */
export const db: PrismaClient = globalForDb.tollboothDb ?? createClient();
globalForDb.tollboothDb = db;

export type Db = PrismaClient;
export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];
