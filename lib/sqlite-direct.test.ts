import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { Prisma, PrismaClient } from './generated/prisma/client';
import { shareSqliteConnection, sqliteDate, sqliteDirectReady, sqliteRead, sqliteSynchronous, sqliteTransaction, type Run } from './sqlite-direct';

// Direct statements share Prisma's connection: they must never run inside a Prisma transaction that is open on it.
const dir = mkdtempSync(path.join(os.tmpdir(), 'tollbooth-sqlite-direct-'));
let prisma: PrismaClient;

beforeAll(async () => {
  prisma = new PrismaClient({ adapter: shareSqliteConnection(new PrismaBetterSQLite3({ url: `file:${path.join(dir, 'd.db')}` })) });
  await prisma.$executeRawUnsafe('CREATE TABLE t (k TEXT PRIMARY KEY, n INTEGER NOT NULL)');
});

afterAll(async () => {
  await prisma.$disconnect();
  rmSync(dir, { recursive: true, force: true });
});

const count = (run: Run) => Number(run.first<{ c: bigint }>(Prisma.sql`SELECT COUNT(*) AS c FROM t`)?.c);
const insert = (run: Run, k: string, n: number) => run.execute(Prisma.sql`INSERT INTO t (k, n) VALUES (${k}, ${n})`);

describe('direct SQLite statements on Prisma\'s connection', () => {
  test('open once Prisma has connected; statements are prepared once', async () => {
    expect(sqliteDirectReady()).toBe(true);
    await sqliteTransaction((run) => insert(run, 'a', 1));
    expect(await sqliteRead(count)).toBe(1);
  });

  test('the connection writes ahead (WAL) and commits without an fsync each (synchronous = NORMAL)', async () => {
    expect(await prisma.$queryRawUnsafe('PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
    // 1 = NORMAL (2 = FULL).
    expect(await prisma.$queryRawUnsafe('PRAGMA synchronous')).toEqual([{ synchronous: 1n }]);
    expect(await prisma.$queryRawUnsafe('PRAGMA wal_autocheckpoint')).toEqual([{ wal_autocheckpoint: 10_000n }]);
    expect(sqliteSynchronous(undefined)).toBe('NORMAL');
    expect(sqliteSynchronous(' Full ')).toBe('FULL');
    expect(() => sqliteSynchronous('off')).toThrow(/TOLLBOOTH_SQLITE_SYNCHRONOUS must be "normal" or "full"/);
  });

  test('a direct transaction waits for an open Prisma transaction to end, and a rolled-back one leaves nothing', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let insideSeen = -1;
    const prismaTx = prisma.$transaction(async (tx) => {
      await tx.$executeRawUnsafe("INSERT INTO t (k, n) VALUES ('b', 2)");
      await held;
    });
    await new Promise((r) => setTimeout(r, 20));
    // Started while Prisma's transaction is open: it must not join it.
    const direct = sqliteTransaction((run) => {
      insideSeen = count(run);
      insert(run, 'c', 3);
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(insideSeen).toBe(-1);
    release();
    await prismaTx;
    await direct;
    // It ran after the commit: it saw the committed row and its own insert is committed on its own.
    expect(insideSeen).toBe(2);
    expect(await sqliteRead(count)).toBe(3);

    await expect(
      sqliteTransaction((run) => {
        insert(run, 'd', 4);
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(await sqliteRead(count)).toBe(3);
  });

  test('a Prisma transaction that fails still lets waiting direct work run', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const failing = prisma.$transaction(async (tx) => {
      await tx.$executeRawUnsafe("INSERT INTO t (k, n) VALUES ('e', 5)");
      await held;
      throw new Error('rolled back');
    });
    await new Promise((r) => setTimeout(r, 20));
    const direct = sqliteRead(count);
    release();
    await expect(failing).rejects.toThrow('rolled back');
    expect(await direct).toBe(3);
  });
});

describe('sqliteDate', () => {
  const expected = (d: Date) => d.toISOString().replace('Z', '+00:00');
  test('spells every date as toISOString does, with +00:00 for Z', () => {
    const DAY = 86_400_000;
    const times = [
      0, -1, 1, DAY - 1, DAY, -DAY, -DAY - 1, 999, 1_000, 59_999, 3_599_999, 3_600_000,
      Date.UTC(2026, 10, 27, 23, 59, 59, 999), Date.UTC(2026, 10, 28), Date.UTC(2024, 1, 29, 12, 0, 0, 5),
      Date.UTC(9999, 11, 31, 23, 59, 59, 999), Date.UTC(10000, 0, 1), Date.UTC(0, 0, 1) - 1, Date.UTC(-1, 5, 6, 7, 8, 9, 10),
      8.64e15, -8.64e15,
    ];
    // And a spread of instants over ±300 years, several in the same day (the day's part is cached).
    let x = 0x2545f491;
    for (let i = 0; i < 20_000; i++) {
      x = (x * 1_103_515_245 + 12_345) % 2 ** 31;
      times.push(Math.round((x / 2 ** 31 - 0.5) * 600 * 365 * DAY), Date.UTC(2026, 10, 27) + (x % DAY));
    }
    for (const t of times) expect(sqliteDate(new Date(t)), String(t)).toBe(expected(new Date(t)));
  });

  test('an invalid date throws as toISOString does', () => {
    expect(() => sqliteDate(new Date(Number.NaN))).toThrow(RangeError);
  });
});
