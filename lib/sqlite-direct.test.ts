import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import Database from 'better-sqlite3';
import { Prisma, PrismaClient } from './generated/prisma/client';
import { commitDeferred, shareSqliteConnection, sqliteDate, sqliteDirectReady, sqliteRead, sqliteSynchronous, sqliteTransaction, type Run } from './sqlite-direct';

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

describe('deferred commits (a gateway admission\'s)', () => {
  // Another connection to the same file, as the ingest worker has: it sees only what is committed.
  let other: Database.Database;
  beforeAll(() => {
    other = new Database(path.join(dir, 'd.db'));
  });
  afterAll(() => other.close());
  const committed = (k: string) => other.prepare('SELECT n FROM t WHERE k = ?').get(k) as { n: number } | undefined;
  const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
  const deferred = <T>(fn: (run: Run) => T, onLost?: () => void) => sqliteTransaction(fn, { deferCommit: true, onLost });

  test('commit after the next turn of the event loop, and the work of calls arriving together is one transaction', async () => {
    const results = await Promise.all([deferred((run) => insert(run, 'f1', 1)), deferred((run) => insert(run, 'f2', 2)), deferred((run) => insert(run, 'f3', 3))]);
    expect(results).toEqual([1, 1, 1]);
    // Written on this connection (its own reads see them), not yet committed.
    expect(await sqliteRead((run) => Number(run.first<{ c: bigint }>(Prisma.sql`SELECT COUNT(*) AS c FROM t WHERE k LIKE 'f%'`)?.c))).toBe(3);
    expect(committed('f1')).toBeUndefined();
    // What the work queued for the next turn (as undici queues a request on a connection that was idle) runs first.
    const seenOnNextTurn = await new Promise((resolve) => setImmediate(() => resolve(committed('f1'))));
    expect(seenOnNextTurn).toBeUndefined();
    await nextTurn();
    expect([committed('f1'), committed('f2'), committed('f3')]).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
  });

  test('a unit that throws undoes only itself, first in its transaction or not', async () => {
    const first = deferred((run) => {
      insert(run, 'g1', 1);
      throw new Error('refused');
    });
    await expect(first).rejects.toThrow('refused');
    const [a, b, c] = await Promise.allSettled([
      deferred((run) => insert(run, 'g2', 2)),
      deferred((run) => {
        insert(run, 'g3', 3);
        throw new Error('refused too');
      }),
      deferred((run) => insert(run, 'g4', 4)),
    ]);
    expect([a.status, b.status, c.status]).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    await nextTurn();
    await nextTurn();
    expect([committed('g1'), committed('g2'), committed('g3'), committed('g4')]).toEqual([undefined, { n: 2 }, undefined, { n: 4 }]);
  });

  test('anything Prisma runs on the connection commits it first', async () => {
    await deferred((run) => insert(run, 'h1', 1));
    await prisma.$queryRawUnsafe('SELECT 1');
    expect(committed('h1')).toEqual({ n: 1 });

    await deferred((run) => insert(run, 'h2', 2));
    await prisma.$transaction(async (tx) => {
      expect(committed('h2')).toEqual({ n: 2 });
      await tx.$executeRawUnsafe("INSERT INTO t (k, n) VALUES ('h3', 3)");
    });
    expect(committed('h3')).toEqual({ n: 3 });

    // A transaction that commits at once commits the deferred one first, and then its own.
    await deferred((run) => insert(run, 'h4', 4));
    await sqliteTransaction((run) => insert(run, 'h5', 5));
    expect([committed('h4'), committed('h5')]).toEqual([{ n: 4 }, { n: 5 }]);
  });

  test('what a unit leaves to the commit (atCommit) is written just before it, in the same transaction, only for units that succeeded', async () => {
    const later = (k: string, n: number) => (run: Run) => void insert(run, k, n);
    await Promise.allSettled([
      sqliteTransaction((run) => insert(run, 'j1', 1), { deferCommit: true, atCommit: later('j1-later', 1) }),
      sqliteTransaction(
        (run) => {
          insert(run, 'j2', 2);
          throw new Error('refused');
        },
        { deferCommit: true, atCommit: later('j2-later', 2) },
      ),
      sqliteTransaction((run) => insert(run, 'j3', 3), { deferCommit: true, atCommit: later('j3-later', 3) }),
    ]);
    // Not even on this connection before the commit.
    expect(await sqliteRead((run) => run.first(Prisma.sql`SELECT n FROM t WHERE k = 'j1-later'`))).toBeUndefined();
    await nextTurn();
    await nextTurn();
    expect(['j1', 'j1-later', 'j2', 'j2-later', 'j3', 'j3-later'].map(committed)).toEqual([{ n: 1 }, { n: 1 }, undefined, undefined, { n: 3 }, { n: 3 }]);

    // Without deferCommit, in the transaction itself: if it throws, the unit's own work is undone with it.
    await sqliteTransaction((run) => insert(run, 'j4', 4), { atCommit: later('j4-later', 4) });
    expect([committed('j4'), committed('j4-later')]).toEqual([{ n: 4 }, { n: 4 }]);
    await expect(sqliteTransaction((run) => insert(run, 'j5', 5), { atCommit: later('j4', 5) })).rejects.toThrow(/UNIQUE/);
    expect(committed('j5')).toBeUndefined();
  });

  test('an atCommit that fails loses the deferred transaction whole and calls onLost', async () => {
    let lost = 0;
    const errors: unknown[] = [];
    const error = console.error;
    console.error = (...args: unknown[]) => void errors.push(args);
    try {
      await sqliteTransaction((run) => insert(run, 'k1', 1), { deferCommit: true, onLost: () => lost++ });
      // Its row's key is taken by the time the commit comes.
      await sqliteTransaction((run) => insert(run, 'k2', 2), { deferCommit: true, onLost: () => lost++, atCommit: (run) => void insert(run, 'k1', 9) });
      commitDeferred();
    } finally {
      console.error = error;
    }
    expect(lost).toBe(2);
    expect(errors).toHaveLength(1);
    expect([committed('k1'), committed('k2')]).toEqual([undefined, undefined]);
    await sqliteTransaction((run) => insert(run, 'k3', 3));
    expect(committed('k3')).toEqual({ n: 3 });
  });

  test('a commit that fails calls onLost, and the connection and lock are free afterwards', async () => {
    let lost = 0;
    // A deferred foreign key violation fails at COMMIT.
    await prisma.$executeRawUnsafe('CREATE TABLE parent (id TEXT PRIMARY KEY)');
    await prisma.$executeRawUnsafe('CREATE TABLE child (id TEXT PRIMARY KEY, parent TEXT REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)');
    const errors: unknown[] = [];
    const error = console.error;
    console.error = (...args: unknown[]) => void errors.push(args);
    try {
      await deferred((run) => run.execute(Prisma.sql`INSERT INTO child (id, parent) VALUES ('c1', 'missing')`), () => lost++);
      commitDeferred();
    } finally {
      console.error = error;
    }
    expect(lost).toBe(1);
    expect(errors).toHaveLength(1);
    expect(other.prepare('SELECT COUNT(*) AS c FROM child').get()).toEqual({ c: 0 });
    await sqliteTransaction((run) => insert(run, 'i1', 1));
    expect(committed('i1')).toEqual({ n: 1 });
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
