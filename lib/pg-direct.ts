import { AsyncLocalStorage } from 'node:async_hooks';
import pg, { type PoolClient, type QueryResult } from 'pg';
import type { Prisma } from './generated/prisma/client';

// The ingest hot path's statements on PostgreSQL, run straight on the pg connection of the Prisma transaction they
// belong to. Through the ORM a raw statement costs a query compile and an interpretation of every parameter — for
// a batch's multi-row statements (arrays of a thousand values each) several times the database's own work; here it
// is one `client.query`. Same connection and transaction as the ORM's statements around them, awaited one at a time.
// The call path's admission (lib/budgets/admission.ts) needs no ORM at all: its statements run in a transaction of
// their own (pgStatements) or as one statement (pgRead), on a small pool of their own whose commits do not wait for the
// write-ahead log's flush (createPgPools).
// State sits on globalThis: every bundle of the process shares the same pools.

/** Where a transaction opened inside pgTransactionScope leaves its connection. */
type Opening = { client?: PoolClient };
type Shared = {
  byPid: Map<number, PoolClient>;
  direct: WeakMap<object, PoolClient>;
  opening: AsyncLocalStorage<Opening>;
  pool?: pg.Pool;
  asyncCommitPool?: pg.Pool;
  /** The name each prepared statement's text is prepared under, on every connection that runs it. */
  prepared: Map<string, string>;
};
const globalForPg = globalThis as unknown as { tollboothPgDirect?: Shared };
const shared: Shared = (globalForPg.tollboothPgDirect ??= { byPid: new Map(), direct: new WeakMap(), opening: new AsyncLocalStorage(), prepared: new Map() });
// A development server keeps globalThis across reloads: state made by an older version of this module lacks it.
shared.prepared ??= new Map();

type Transaction = { client: PoolClient; commit: () => Promise<void>; rollback: () => Promise<void> };
type Queryable = { startTransaction: (isolationLevel?: string) => Promise<Transaction> };
type AdapterFactory = { connect: () => Promise<unknown> };

/**
 * Called with the Prisma adapter factory before the client is made: remembers the connection each of its
 * transactions runs on (by the server process id PostgreSQL gives it), until the transaction ends.
 */
export function sharePgConnections<F extends AdapterFactory>(factory: F): F {
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = (await connect()) as Queryable;
    const start = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (isolationLevel) => {
      const tx = await start(isolationLevel);
      const pid = (tx.client as PoolClient & { processID?: number }).processID;
      if (typeof pid === 'number') shared.byPid.set(pid, tx.client);
      const opening = shared.opening.getStore();
      if (opening && !opening.client) opening.client = tx.client;
      const end = (fn: () => Promise<void>) => async () => {
        if (typeof pid === 'number' && shared.byPid.get(pid) === tx.client) shared.byPid.delete(pid);
        return fn();
      };
      tx.commit = end(tx.commit.bind(tx));
      tx.rollback = end(tx.rollback.bind(tx));
      return tx;
    };
    return adapter;
  };
  return factory;
}

type PrismaTx = { $queryRaw: (query: TemplateStringsArray) => Promise<unknown> };

/**
 * Opens the direct path for `tx` (an interactive Prisma transaction on PostgreSQL): asks the database which server
 * process runs it, and from then on execute/query of lib/sql-exec.ts send `tx`'s statements on that connection.
 * Without a match (another adapter) they keep going through the ORM.
 */
export async function attachPgConnection(tx: object): Promise<void> {
  const rows = (await (tx as PrismaTx).$queryRaw`SELECT pg_backend_pid() AS pid`) as { pid: number }[];
  const client = shared.byPid.get(Number(rows[0]?.pid));
  if (client) shared.direct.set(tx, client);
}

/**
 * Runs `begin`, which opens one interactive transaction and calls `attach(tx)` first thing inside it: the direct path
 * opens on the connection the adapter started that transaction on (seen through the async context), without asking
 * the database which one it is (a query and an ORM compile per transaction); attachPgConnection's lookup otherwise.
 */
export function pgTransactionScope<T>(begin: (attach: (tx: object) => Promise<void>) => Promise<T>): Promise<T> {
  const opening: Opening = {};
  return shared.opening.run(opening, () =>
    begin(async (tx) => {
      if (opening.client) shared.direct.set(tx, opening.client);
      else await attachPgConnection(tx);
    }),
  );
}

export type PgPools = { pool: pg.Pool; asyncCommitPool: pg.Pool };

/**
 * The process's connections to PostgreSQL: the ORM's pool, and a small one for the call path's admissions, whose
 * sessions commit without waiting for the write-ahead log to reach the disk (`synchronous_commit = off`: one flush
 * fewer on every budgeted call's way to its provider; 0.32 → 0.15 ms an admission on this machine's disk, more on
 * slower ones). Safe for admissions alone: the log is written in order, so the commit of any later transaction that
 * waits for its flush — a call's settlement, any edit — makes every admission before it durable as well; what a crash
 * of the database can lose is the last few hundred milliseconds of admissions, each with its reservation row (one
 * statement, or one transaction), never half of one, and a lost admission's call is charged in full when it settles
 * (no reservation to take back: takeReservations). Settled spend is never written on this pool.
 */
export function createPgPools(connectionString: string): PgPools {
  return { pool: new pg.Pool({ connectionString, max: 10 }), asyncCommitPool: new pg.Pool({ connectionString, max: 4 }) };
}

/** The admission pool's connections whose `synchronous_commit` is set (once each, before their first statement). */
const asyncCommitSet = new WeakSet<PoolClient>();

/**
 * A connection of `pools`, the one `options` choose; an admission pool's connection commits without waiting for the
 * log's flush (set when it is first handed out, awaited: a statement sent while another runs on a connection is
 * deprecated by pg). Not a startup parameter: PgBouncer refuses `options` it does not track.
 */
export async function connectPg(pools: PgPools, options?: PgPoolOptions): Promise<PoolClient> {
  const client = await (options?.asyncCommit ? pools.asyncCommitPool : pools.pool).connect();
  if (options?.asyncCommit && !asyncCommitSet.has(client)) {
    asyncCommitSet.add(client);
    // Should it fail, the connection commits as any other (waiting for the flush): slower, as safe.
    await client.query('SET synchronous_commit = off').catch(() => undefined);
  }
  return client;
}

/** Remembers the process's pools (lib/db.ts): the ORM's adapter draws from `pool`; pgStatements and pgRead from either. */
export function sharePgPools(pools: PgPools): void {
  shared.pool = pools.pool;
  shared.asyncCommitPool = pools.asyncCommitPool;
}

/** What a failed statement threw, as the Error pg's release takes to drop the connection. */
const asError = (e: unknown): Error => (e instanceof Error ? e : new Error(String(e)));

/** A connection of the process's pools (connectPg). */
function connect(options?: PgPoolOptions): Promise<PoolClient> {
  const { pool, asyncCommitPool } = shared;
  if (!pool || !asyncCommitPool) throw new Error('no PostgreSQL pool: lib/db.ts has not made its client');
  return connectPg({ pool, asyncCommitPool }, options);
}

/**
 * A transaction of raw statements alone (execute/query of lib/sql-exec.ts on the `tx` handed to `fn`; no ORM call in
 * it) on a connection of the ORM's pool: BEGIN, `fn`, COMMIT — ROLLBACK when `fn` throws. Through the ORM the same
 * transaction costs a compile per statement and the interactive transaction's own bookkeeping: an admission with a
 * budget measured 2.95 ms through it, 1.8 ms so (bench/README.md).
 */
export async function pgStatements<T>(fn: (tx: object) => Promise<T>, options?: PgPoolOptions): Promise<T> {
  const client = await connect(options);
  const tx = {};
  shared.direct.set(tx, client);
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await fn(tx);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    // A connection that cannot even roll back is dropped from the pool rather than handed out again.
    await client.query('ROLLBACK').catch((e: unknown) => (broken = asError(e)));
    throw err;
  } finally {
    shared.direct.delete(tx);
    client.release(broken);
  }
}

/** The pg connection `tx` runs on, when attachPgConnection opened the direct path for it. */
export const pgClientOf = (tx: object): PoolClient | undefined => shared.direct.get(tx);

/** A parameter as PostgreSQL reads it: dates as UTC ISO-8601 (columns are `timestamp(3)`, kept in UTC as Prisma does). */
const param = (v: unknown): unknown => (v instanceof Date ? v.toISOString() : v);

// Results as the ORM's raw queries give them: timestamps as UTC dates, bigints as bigint.
const TIMESTAMP = 1114;
const INT8 = 20;
const parseTimestamp = (s: string) => new Date(`${s.replace(' ', 'T')}Z`);
const parseInt8 = (s: string) => BigInt(s);
const types = {
  getTypeParser: ((oid: number, format?: string) => {
    if (format !== 'binary' && oid === TIMESTAMP) return parseTimestamp;
    if (format !== 'binary' && oid === INT8) return parseInt8;
    return pg.types.getTypeParser(oid, format as 'text');
  }) as never,
};

/**
 * Statements prepared by name are at most this many texts: a text made with a varying number of values would otherwise
 * prepare a new statement on every connection for good. Past it, statements run unnamed.
 */
const MAX_PREPARED = 64;

/** The name `text` is prepared under (the same on every connection, for every bundle of the process), if any. */
function preparedName(text: string): string | undefined {
  let name = shared.prepared.get(text);
  if (name === undefined && shared.prepared.size < MAX_PREPARED) shared.prepared.set(text, (name = `tollbooth_${shared.prepared.size + 1}`));
  return name;
}

export type PgQueryOptions = {
  /**
   * Prepare the statement once per connection and run it by name from then on: PostgreSQL neither parses nor plans it
   * again (the call path's admission statement, ~0.37 → ~0.1 ms a round trip). For statements of a few fixed texts.
   */
  prepared?: boolean;
};

/** Where pgRead and pgStatements take their connection from. */
export type PgPoolOptions = {
  /** The pool whose commits do not wait for the log's flush (createPgPools says when that is safe). Admissions only. */
  asyncCommit?: boolean;
};

/** Runs `statement` on `client` (its `$n` text and values): a transaction's connection, or the pool. */
export function pgQuery<T>(client: pg.ClientBase | pg.Pool, statement: Prisma.Sql, options?: PgQueryOptions): Promise<QueryResult<T & object>> {
  const name = options?.prepared ? preparedName(statement.text) : undefined;
  return client.query<T & object>({ text: statement.text, values: statement.values.map(param), types, name });
}

/** One statement outside any transaction, on a connection of the pool `options` choose; its rows. */
export async function pgRead<T>(statement: Prisma.Sql, options?: PgQueryOptions & PgPoolOptions): Promise<T[]> {
  const client = await connect(options);
  let broken: Error | undefined;
  try {
    return (await pgQuery<T>(client, statement, options)).rows;
  } catch (err) {
    // As pg's pool.query does: a connection whose statement failed is not handed out again.
    broken = asError(err);
    throw err;
  } finally {
    client.release(broken);
  }
}
