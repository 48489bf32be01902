import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client';
import { PrismaClient as PgPrismaClient } from './generated/prisma-pg/client';
import { isForeignKeyViolation, isUniqueViolation, isWriteConflict } from './db-errors';
import { attachPgConnection, pgClientOf, pgQuery, pgTransactionScope, sharePgConnections } from './pg-direct';
import { Prisma } from './generated/prisma/client';

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
  // What @prisma/adapter-pg throws as it is from an ORM query inside an interactive transaction: a DriverAdapterError
  // whose cause is the converted driver error (convertDriverError: originalCode, originalMessage, kind).
  const adapterError = (cause: Record<string, unknown>) => Object.assign(new Error(String(cause.originalMessage)), { name: 'DriverAdapterError', cause });

  test('a deadlock, a serialization failure and a foreign key violation thrown bare by the adapter are recognised', () => {
    expect(isWriteConflict(adapterError({ kind: 'postgres', originalCode: '40P01', originalMessage: 'deadlock detected' }))).toBe(true);
    expect(isWriteConflict(adapterError({ kind: 'TransactionWriteConflict', originalCode: '40001', originalMessage: 'could not serialize access' }))).toBe(true);
    expect(isForeignKeyViolation(adapterError({ kind: 'ForeignKeyConstraintViolation', originalCode: '23503', originalMessage: 'violates foreign key constraint' }))).toBe(true);
    expect(isUniqueViolation(adapterError({ kind: 'UniqueConstraintViolation', originalCode: '23505', originalMessage: 'duplicate key value' }))).toBe(true);
    const other = adapterError({ kind: 'postgres', originalCode: '22003', originalMessage: 'out of range' });
    expect([isWriteConflict(other), isForeignKeyViolation(other), isUniqueViolation(other)]).toEqual([false, false, false]);
  });

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

  test.runIf(process.env.TOLLBOOTH_TEST_POSTGRES_URL)(
    "PostgreSQL's direct path (lib/pg-direct.ts): the transaction's own connection, values as the ORM reads them, errors by meaning",
    async () => {
      const client = new PgPrismaClient({ adapter: sharePgConnections(new PrismaPg({ connectionString: process.env.TOLLBOOTH_TEST_POSTGRES_URL })) });
      const table = `pg_temp.direct_${process.pid}`;
      try {
        const err = await client
          .$transaction(async (tx) => {
            await attachPgConnection(tx);
            const pg = pgClientOf(tx);
            expect(pg).toBeDefined();
            if (!pg) return;
            // Written directly, read back through the ORM in the same transaction (and the other way round).
            await pgQuery(pg, Prisma.sql`CREATE TABLE ${Prisma.raw(table)} (k TEXT PRIMARY KEY, at TIMESTAMP(3), n BIGINT, ok BOOLEAN)`);
            const at = new Date('2031-05-20T23:30:00.123Z');
            await pgQuery(pg, Prisma.sql`INSERT INTO ${Prisma.raw(table)} VALUES (${'a'}, ${at}, ${9_007_199_254_740_993n}, ${true})`);
            const viaOrm = await tx.$queryRawUnsafe<{ at: Date; n: bigint }[]>(`SELECT at, n FROM ${table}`);
            expect(viaOrm[0]).toEqual({ at, n: 9_007_199_254_740_993n });
            const direct = (await pgQuery<{ at: Date; n: bigint; ok: boolean }>(pg, Prisma.sql`SELECT at, n, ok FROM ${Prisma.raw(table)}`)).rows;
            expect(direct[0]).toEqual({ at, n: 9_007_199_254_740_993n, ok: true });
            return pgQuery(pg, Prisma.sql`INSERT INTO ${Prisma.raw(table)} (k) VALUES (${'a'})`).then(
              () => null,
              (e: unknown) => e,
            );
          })
          .catch((e: unknown) => e);
        expect(isUniqueViolation(err)).toBe(true);
        expect(isWriteConflict(err)).toBe(false);
        expect(isWriteConflict({ code: '40001' })).toBe(true);
      } finally {
        await client.$disconnect();
      }
    },
  );

  test.runIf(process.env.TOLLBOOTH_TEST_POSTGRES_URL)(
    'pgTransactionScope opens the direct path on the connection each transaction runs on, several at once',
    async () => {
      const client = new PgPrismaClient({ adapter: sharePgConnections(new PrismaPg({ connectionString: process.env.TOLLBOOTH_TEST_POSTGRES_URL })) });
      try {
        const seen = await Promise.all(
          Array.from({ length: 4 }, () =>
            pgTransactionScope((attach) =>
              client.$transaction(async (tx) => {
                await attach(tx);
                const pg = pgClientOf(tx);
                const [{ pid }] = await tx.$queryRawUnsafe<{ pid: number }[]>('SELECT pg_backend_pid() AS pid');
                const direct = pg ? (await pgQuery<{ pid: number }>(pg, Prisma.sql`SELECT pg_backend_pid() AS pid`)).rows[0].pid : null;
                // Held open together, so the four run on four connections.
                await new Promise((resolve) => setTimeout(resolve, 50));
                return { pid, direct };
              }),
            ),
          ),
        );
        for (const { pid, direct } of seen) expect(direct).toBe(pid);
        expect(new Set(seen.map((s) => s.pid)).size).toBe(4);
      } finally {
        await client.$disconnect();
      }
    },
  );

  test("Prisma's own codes keep their meaning", () => {
    expect(isUniqueViolation({ code: 'P2002' })).toBe(true);
    expect(isWriteConflict({ code: 'P2034' })).toBe(true);
    expect(isWriteConflict({ code: 'P2010', meta: { driverAdapterError: { cause: { kind: 'postgres', originalCode: '40P01' } } } })).toBe(true);
    expect(isForeignKeyViolation({ code: 'P2003' })).toBe(true);
    expect(isForeignKeyViolation({ code: 'P2010', meta: { driverAdapterError: { cause: { kind: 'ForeignKeyConstraintViolation' } } } })).toBe(true);
    expect(isForeignKeyViolation({ code: 'P2002' })).toBe(false);
    expect(isUniqueViolation(new Error('boom'))).toBe(false);
    expect(isUniqueViolation(null)).toBe(false);
  });
});
