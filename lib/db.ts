import 'server-only';
import path from 'node:path';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client';
import { PrismaClient as PgPrismaClient } from './generated/prisma-pg/client';
import { secureDataDir } from './secrets/data-file';
import { shareSqliteConnection } from './sqlite-direct';
import { sharePgConnections } from './pg-direct';

export const DEFAULT_DATABASE_URL = 'file:./data/tollbooth.db';

export type DbProvider = 'sqlite' | 'postgresql';

const databaseUrl = () => process.env.DATABASE_URL || DEFAULT_DATABASE_URL;

/** Which database DATABASE_URL points at: `file:` is SQLite, `postgres(ql)://` is PostgreSQL. */
export function providerOf(url: string): DbProvider {
  if (url.startsWith('file:')) return 'sqlite';
  if (/^postgres(ql)?:\/\//.test(url)) return 'postgresql';
  throw new Error(`DATABASE_URL must be a file: (SQLite) or postgresql:// URL; got "${url.split(':')[0]}:"`);
}

export const dbProvider: DbProvider = providerOf(databaseUrl());

/** SQLite: the database file DATABASE_URL names, as an absolute path. */
export const sqliteDatabaseFile = (): string => path.resolve(databaseUrl().slice('file:'.length));

function createClient(): PrismaClient {
  const url = databaseUrl();
  if (dbProvider === 'postgresql') {
    // Both generated clients expose the same models; the SQLite client's type is the one the code uses.
    // Its transactions' connections are remembered for the ingest path's direct statements (lib/pg-direct.ts).
    return new PgPrismaClient({ adapter: sharePgConnections(new PrismaPg({ connectionString: url, max: 10 })) }) as unknown as PrismaClient;
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
