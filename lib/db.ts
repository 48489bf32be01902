import 'server-only';
import path from 'node:path';
import fs from 'node:fs';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from './generated/prisma/client';

export const DEFAULT_DATABASE_URL = 'file:./data/tollbooth.db';

function createClient(): PrismaClient {
  const url = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  if (!url.startsWith('file:')) {
    throw new Error(`DATABASE_URL must be a file: URL (SQLite); got "${url.split(':')[0]}:"`);
  }
  const file = url.slice('file:'.length);
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  // `timeout` is SQLite's busy timeout: concurrent writers wait instead of failing.
  const adapter = new PrismaBetterSQLite3({ url, timeout: 10_000 });
  return new PrismaClient({ adapter });
}

const globalForDb = globalThis as unknown as { tollboothDb?: PrismaClient };

/** The one Prisma client of the process (kept across hot reloads in dev). */
export const db: PrismaClient = globalForDb.tollboothDb ?? createClient();
globalForDb.tollboothDb = db;

export type Db = PrismaClient;
export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];
