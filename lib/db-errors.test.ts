import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client';
import { PrismaClient as PgPrismaClient } from './generated/prisma-pg/client';
import { isUniqueViolation, isWriteConflict } from './db-errors';

// Real errors from the real drivers: a raw INSERT that repeats a key, as the usage ingest's multi-row insert can.
const dir = mkdtempSync(path.join(os.tmpdir(), 'tollbooth-db-errors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function rawDuplicate(client: { $executeRawUnsafe(sql: string): Promise<number>; $disconnect(): Promise<void> }, table: string): Promise<unknown> {
  try {
    await client.$executeRawUnsafe(`CREATE TABLE ${table} (k TEXT PRIMARY KEY)`);
    await client.$executeRawUnsafe(`INSERT INTO ${table} (k) VALUES ('a')`);
    await client.$executeRawUnsafe(`INSERT INTO ${table} (k) VALUES ('a')`);
    return null;
  } catch (err) {
    return err;
  } finally {
    await client.$disconnect();
  }
}

describe('database errors by meaning', () => {
  test('a raw unique violation on SQLite is a unique violation, not a write conflict', async () => {
    const client = new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: `file:${path.join(dir, 'a.db')}` }) });
    const err = await rawDuplicate(client, 'dup');
    expect((err as { code?: string }).code).toBe('P2010');
    expect(isUniqueViolation(err)).toBe(true);
    expect(isWriteConflict(err)).toBe(false);
  });

  test.runIf(process.env.TOLLBOOTH_TEST_POSTGRES_URL)('a raw unique violation on PostgreSQL is a unique violation', async () => {
    const client = new PgPrismaClient({ adapter: new PrismaPg({ connectionString: process.env.TOLLBOOTH_TEST_POSTGRES_URL }) });
    const err = await rawDuplicate(client, `pg_temp.dup_${process.pid}`);
    expect(isUniqueViolation(err)).toBe(true);
    expect(isWriteConflict(err)).toBe(false);
  });

  test("Prisma's own codes keep their meaning", () => {
    expect(isUniqueViolation({ code: 'P2002' })).toBe(true);
    expect(isWriteConflict({ code: 'P2034' })).toBe(true);
    expect(isWriteConflict({ code: 'P2010', meta: { driverAdapterError: { cause: { kind: 'postgres', originalCode: '40P01' } } } })).toBe(true);
    expect(isUniqueViolation(new Error('boom'))).toBe(false);
    expect(isUniqueViolation(null)).toBe(false);
  });
});
