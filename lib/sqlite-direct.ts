import type BetterSqlite3 from 'better-sqlite3';
import type { Prisma } from './generated/prisma/client';
import { isMainThread } from 'node:worker_threads';
import { acquireSqliteWriteLock, releaseSqliteWriteLock, tryAcquireSqliteWriteLock } from './sqlite-write-lock';

// The call path's few SQLite statements, run straight on Prisma's own better-sqlite3 connection with
// statements prepared once. Through the ORM each statement costs a query compile, a fresh `prepare`
// and several promise hops (~0.3–0.5 ms); here a whole admission is one synchronous transaction of
// a few microseconds. Same connection, so there is one writer per process as before: a direct
// transaction runs only when no Prisma transaction is open on it (otherwise it would join that
// transaction) and, being synchronous, nothing can start one halfway through.
// State sits on globalThis: the Node listener's bundle and Next's route bundles share one connection.

type Waiter = () => void;
type Shared = {
  client: BetterSqlite3.Database | null;
  statements: Map<string, BetterSqlite3.Statement>;
  /** Resolved as soon as the connection is outside any Prisma transaction. */
  waiters: Waiter[];
  /** The checkpoint thread copies the log back (see leaveCheckpointsToThread). */
  checkpointsElsewhere?: boolean;
  /** The open transaction whose commit waits for the event loop's turn after next (sqliteTransaction's `deferCommit`). */
  deferred?: Deferred | null;
  /** Resolves once a deferred transaction is open: callers that arrive meanwhile join it rather than queue for the lock. */
  opening?: Promise<void> | null;
};

type Deferred = {
  commit: NodeJS.Immediate;
  /** Units of work run in it so far (the first needs no savepoint: undoing it is undoing the transaction). */
  units: number;
  /** Called when the transaction could not be committed (its work is lost). */
  lost: (() => void)[];
  /** Run just before the commit, in the transaction (TransactionOptions.atCommit). */
  atCommit: ((run: Run) => void)[];
};

const globalForSqlite = globalThis as unknown as { tollboothSqlite?: Shared };
const shared: Shared = (globalForSqlite.tollboothSqlite ??= { client: null, statements: new Map(), waiters: [] });

type Queryable = {
  client: BetterSqlite3.Database;
  startTransaction: (isolationLevel?: string) => Promise<Transaction>;
  queryRaw: (query: unknown) => Promise<unknown>;
  executeRaw: (query: unknown) => Promise<unknown>;
  executeScript: (script: string) => Promise<void>;
};
type Transaction = { commit: () => Promise<void>; rollback: () => Promise<void> };
type AdapterFactory = { connect: () => Promise<unknown> };

/**
 * Called with the Prisma adapter factory before the client is made: keeps the connection it opens and
 * learns when each of its transactions ends, so direct transactions waiting for it run right then.
 */
export function shareSqliteConnection<F extends AdapterFactory>(factory: F): F {
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = (await connect()) as Queryable;
    shared.client = adapter.client;
    applyPragmas(adapter.client);
    shared.statements.clear();
    // Whatever Prisma runs on the connection outside its own transactions commits a deferred transaction first: a
    // write of its own would otherwise join it, and could be answered before it is durable.
    for (const method of ['queryRaw', 'executeRaw', 'executeScript'] as const) {
      const original = adapter[method].bind(adapter) as (arg: unknown) => Promise<unknown>;
      (adapter as unknown as Record<string, (arg: unknown) => Promise<unknown>>)[method] = (arg) => {
        commitDeferred();
        return original(arg);
      };
    }
    if (isMainThread) process.once('exit', commitDeferred);
    const start = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (isolationLevel) => {
      commitDeferred();
      // The other thread's connection may be writing: take turns (lib/sqlite-write-lock.ts).
      await acquireSqliteWriteLock();
      let tx: Transaction;
      try {
        tx = await start(isolationLevel);
      } catch (err) {
        releaseSqliteWriteLock();
        throw err;
      }
      const end = (fn: () => Promise<void>) => async () => {
        try {
          await fn();
        } finally {
          releaseSqliteWriteLock();
          wakeWaiters();
        }
      };
      tx.commit = end(tx.commit.bind(tx));
      tx.rollback = end(tx.rollback.bind(tx));
      return tx;
    };
    return adapter;
  };
  return factory;
}

/**
 * Write-ahead logging lets readers carry on while a batch is written. With it, `synchronous = NORMAL` (SQLite's
 * advice for WAL) makes a commit durable once it is in the log, without waiting for the disk: a killed process loses
 * nothing, and only a power cut or OS crash can lose the last moments of commits. Each commit otherwise waits for an
 * fsync (~20 ms for an ingest batch here). TOLLBOOTH_SQLITE_SYNCHRONOUS=full keeps the fsync on every commit.
 */
function applyPragmas(client: BetterSqlite3.Database) {
  client.pragma('journal_mode = WAL');
  client.pragma(`synchronous = ${sqliteSynchronous(process.env.TOLLBOOTH_SQLITE_SYNCHRONOUS)}`);
  // 64 MiB of page cache (the default is 2 MiB): an ingest batch's index pages stay in memory between batches.
  client.pragma('cache_size = -65536');
  // Copy the log back into the database every ~40 MiB of it rather than every 4 MiB: an index page rewritten by many
  // batches is copied once, and an ingest batch's commit no longer pays for a checkpoint each time. In the production
  // server neither the main thread's nor the ingest worker's connection checkpoints on commit: a thread of its own
  // does, beside the writers (lib/sqlite-checkpointer.ts).
  client.pragma(`wal_autocheckpoint = ${shared.checkpointsElsewhere || !isMainThread ? 0 : CHECKPOINT_PAGES}`);
}

const CHECKPOINT_PAGES = 10_000;

/**
 * With the checkpoint thread running (lib/sqlite-checkpointer.ts), the main thread's connection never checkpoints on
 * commit: a checkpoint there would hold up every request.
 */
export function leaveCheckpointsToThread(): void {
  shared.checkpointsElsewhere = true;
  shared.client?.pragma('wal_autocheckpoint = 0');
}

/** The `synchronous` level TOLLBOOTH_SQLITE_SYNCHRONOUS asks for (normal unless it says full). */
export function sqliteSynchronous(value: string | undefined): 'NORMAL' | 'FULL' {
  const v = (value ?? '').trim().toLowerCase();
  if (v === '' || v === 'normal') return 'NORMAL';
  if (v === 'full') return 'FULL';
  throw new Error(`TOLLBOOTH_SQLITE_SYNCHRONOUS must be "normal" or "full", got "${value}"`);
}

function wakeWaiters() {
  const waiting = shared.waiters.splice(0);
  for (const wake of waiting) wake();
}

const DAY_MS = 86_400_000;
/** `YYYY-MM-DDT` of a UTC day (by its first millisecond), for sqliteDate. */
const dayPrefixes = new Map<number, string>();
const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);
const pad3 = (n: number) => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);

/**
 * `date.toISOString()` with `+00:00` for its `Z`, as Prisma's SQLite adapter writes dates: the day's part from a small
 * cache, the time of day from arithmetic (an ingest batch writes thousands of dates; toISOString and replace cost ~4×
 * as much). Years past 9999 or before 0 keep toISOString's six digits and sign.
 */
export function sqliteDate(date: Date): string {
  const t = date.getTime();
  if (Number.isNaN(t)) return date.toISOString(); // throws RangeError, as it always did
  const ms = ((t % DAY_MS) + DAY_MS) % DAY_MS;
  const day = t - ms;
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    const iso = new Date(day).toISOString();
    prefix = iso.slice(0, iso.indexOf('T') + 1);
    if (dayPrefixes.size >= 4_096) dayPrefixes.clear();
    dayPrefixes.set(day, prefix);
  }
  const seconds = Math.floor(ms / 1000);
  return `${prefix}${pad2(Math.floor(seconds / 3600))}:${pad2(Math.floor(seconds / 60) % 60)}:${pad2(seconds % 60)}.${pad3(ms % 1000)}+00:00`;
}

/** What Prisma's SQLite adapter writes for a value: dates as ISO-8601 with +00:00, booleans as 0/1. */
export function sqliteValue(value: unknown): unknown {
  if (value instanceof Date) return sqliteDate(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value === undefined) return null;
  return value;
}

/** Runs the same `Prisma.sql` statements the ORM path runs, prepared once per connection. */
export type Run = {
  /** Rows changed. */
  execute: (statement: Prisma.Sql) => number;
  /** The first row, if any. */
  first: <T>(statement: Prisma.Sql) => T | undefined;
};

const run: Run = {
  execute: (s) => sqliteStatement(s.sql).run(...s.values.map(sqliteValue)).changes,
  first: <T>(s: Prisma.Sql) => sqliteStatement(s.sql).get(...s.values.map(sqliteValue)) as T | undefined,
};

const statement = (sql: string): BetterSqlite3.Statement => {
  let stmt = shared.statements.get(sql);
  if (!stmt) {
    stmt = (shared.client as BetterSqlite3.Database).prepare(sql);
    shared.statements.set(sql, stmt);
  }
  return stmt;
};

/** Whether Prisma's connection is inside a transaction (the one whose callback is running, Prisma runs one at a time). */
export const sqliteInTransaction = (): boolean => shared.client?.inTransaction === true;

/** Most distinct statements kept prepared: multi-row inserts vary with their row count. */
const MAX_STATEMENTS = 500;

/** A statement on Prisma's connection, prepared once (for code already inside a Prisma transaction). */
export function sqliteStatement(sql: string): BetterSqlite3.Statement {
  if (shared.statements.size >= MAX_STATEMENTS && !shared.statements.has(sql)) {
    const oldest = shared.statements.keys().next();
    if (!oldest.done) shared.statements.delete(oldest.value);
  }
  return statement(sql);
}

/** Whether the direct path is open: SQLite, and Prisma has connected. */
export const sqliteDirectReady = (): boolean => shared.client !== null;

/** A transaction of Prisma's is open on the connection (not the deferred one of this module's own). */
const inPrismaTransaction = (client: BetterSqlite3.Database): boolean => client.inTransaction && !shared.deferred;

/** Resolves once no Prisma transaction is open on the connection (at once when none is, or the open one is a deferred one of ours). */
async function outsidePrismaTransaction(client: BetterSqlite3.Database): Promise<void> {
  while (inPrismaTransaction(client)) await new Promise<void>((resolve) => shared.waiters.push(resolve));
}

/** Takes the write lock once no Prisma transaction is open on the connection. */
async function takeConnection(client: BetterSqlite3.Database): Promise<void> {
  for (;;) {
    await outsidePrismaTransaction(client);
    await acquireSqliteWriteLock();
    // A Prisma transaction takes the lock before it begins, so none can have begun meanwhile; but be sure.
    if (!client.inTransaction) return;
    releaseSqliteWriteLock();
  }
}

export type TransactionOptions = {
  /**
   * Commit on a later turn of the event loop rather than before resolving: work that follows at once (a call forwarded
   * to its provider) goes first, and the transactions of calls that arrive meanwhile are one commit. Only for work
   * whose loss with the process is harmless (a gateway call's reservation: the call dies with it). Anything Prisma
   * runs on the connection commits it first.
   */
  deferCommit?: boolean;
  /** With deferCommit: called if the commit fails (the work is lost; e.g. forget what the work was thought to write). */
  onLost?: () => void;
  /**
   * Statements that `fn`, once it succeeded, leaves to the end of its transaction: run just before the commit, in the
   * same transaction. With deferCommit, work nothing reads before the commit (a reservation's row) leaves the caller's
   * way this way. If one throws, the transaction is rolled back (deferred: its work is lost, onLost is called).
   */
  atCommit?: (run: Run) => void;
};

/**
 * Runs `fn` synchronously in one IMMEDIATE transaction (committed when it returns, rolled back when it
 * throws), after any Prisma transaction open on the connection has ended. Requires sqliteDirectReady().
 * With `deferCommit`, `fn` may share the transaction with others of its kind (each in a savepoint of its own but the
 * first, so that one that throws undoes only itself) and the commit comes on a later turn of the event loop.
 */
export async function sqliteTransaction<T>(fn: (run: Run) => T, options: TransactionOptions = {}): Promise<T> {
  const client = shared.client;
  if (!client) throw new Error('sqliteTransaction: the SQLite connection is not open yet');
  if (options.deferCommit) return deferredUnit(client, fn, options);
  commitDeferred();
  await takeConnection(client);
  const { atCommit } = options;
  try {
    return client
      .transaction(() => {
        const result = fn(run);
        atCommit?.(run);
        return result;
      })
      .immediate();
  } finally {
    releaseSqliteWriteLock();
  }
}

function deferredUnit<T>(client: BetterSqlite3.Database, fn: (run: Run) => T, options: TransactionOptions): Promise<T> {
  // The usual case — a deferred transaction is open, or the connection and the write lock are free — runs at once: no
  // turn of the event loop between the caller and its statements (~0.03 ms of promise hops in the server).
  try {
    if (!shared.deferred && !shared.opening && !client.inTransaction && tryAcquireSqliteWriteLock()) beginDeferred();
    if (shared.deferred) return Promise.resolve(deferredWork(client, shared.deferred, fn, options));
  } catch (err) {
    return Promise.reject(err);
  }
  return deferredUnitLater(client, fn, options);
}

async function deferredUnitLater<T>(client: BetterSqlite3.Database, fn: (run: Run) => T, options: TransactionOptions): Promise<T> {
  while (!shared.deferred) {
    shared.opening ??= openDeferred(client).finally(() => (shared.opening = null));
    await shared.opening;
  }
  return deferredWork(client, shared.deferred, fn, options);
}

/** Runs a unit of work in the open deferred transaction. */
function deferredWork<T>(client: BetterSqlite3.Database, deferred: Deferred, fn: (run: Run) => T, { onLost, atCommit }: TransactionOptions): T {
  let result: T;
  if (deferred.units === 0) {
    // Alone in the transaction so far: if it throws, the transaction is rolled back whole (nothing else is in it).
    try {
      result = fn(run);
    } catch (err) {
      endDeferred(deferred, 'ROLLBACK');
      throw err;
    }
  } else {
    // better-sqlite3 runs a transaction function inside an open transaction as a savepoint.
    result = client.transaction(() => fn(run))();
  }
  deferred.units++;
  if (onLost) deferred.lost.push(onLost);
  if (atCommit) deferred.atCommit.push(atCommit);
  return result;
}

async function openDeferred(client: BetterSqlite3.Database): Promise<void> {
  await takeConnection(client);
  beginDeferred();
}

/** With the write lock held: opens the deferred transaction (gives the lock back if it cannot). */
function beginDeferred(): void {
  try {
    statement('BEGIN IMMEDIATE').run();
  } catch (err) {
    releaseSqliteWriteLock();
    throw err;
  }
  // Two hops: undici (7.30 on) sends a request on a kept-alive connection that was idle from an immediate of its own,
  // queued after this one (it first lets the connection's pending input be read). A commit in the same check phase
  // would go first and hold the call's request back for its ~0.06 ms; one turn later, the request is on its way.
  const deferred: Deferred = { commit: setImmediate(() => (deferred.commit = setImmediate(() => endDeferred(deferred, 'COMMIT')))), units: 0, lost: [], atCommit: [] };
  shared.deferred = deferred;
}

/** Commits the deferred transaction, if one is open (before anything else uses the connection, and at exit). */
export function commitDeferred(): void {
  if (shared.deferred) endDeferred(shared.deferred, 'COMMIT');
}

function endDeferred(deferred: Deferred, end: 'COMMIT' | 'ROLLBACK'): void {
  if (shared.deferred !== deferred) return;
  shared.deferred = null;
  clearImmediate(deferred.commit);
  const client = shared.client as BetterSqlite3.Database;
  try {
    if (end === 'COMMIT') for (const work of deferred.atCommit) work(run);
    statement(end).run();
  } catch (err) {
    try {
      if (client.inTransaction) statement('ROLLBACK').run();
    } catch {
      // The connection is left as SQLite left it; the next transaction finds out.
    }
    for (const lost of deferred.lost) lost();
    console.error('SQLite could not commit a deferred transaction; its work is lost', err);
  } finally {
    releaseSqliteWriteLock();
    wakeWaiters();
  }
}

/**
 * One statement outside a transaction (a read), when no Prisma transaction is open; else waits for it. Run at once when
 * none is (the usual case: no promise hops before the statement, on every gateway call's version read).
 */
export function sqliteRead<T>(fn: (run: Run) => T): Promise<T> {
  const client = shared.client;
  if (!client) return Promise.reject(new Error('sqliteRead: the SQLite connection is not open yet'));
  // Inside Prisma's open transaction the read would see its uncommitted writes: wait until it ends.
  if (inPrismaTransaction(client)) return outsidePrismaTransaction(client).then(() => fn(run));
  try {
    return Promise.resolve(fn(run));
  } catch (err) {
    return Promise.reject(err);
  }
}
