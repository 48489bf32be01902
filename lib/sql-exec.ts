import { Prisma } from './generated/prisma/client';
import { db, dbProvider, type Tx } from './db';
import { sqliteInTransaction, sqliteStatement, sqliteValue } from './sqlite-direct';
import { pgClientOf, pgQuery } from './pg-direct';
import { isCopyType, NotCopyable, pgCopyIn, type CopyType } from './pg-copy';

// Raw statements of the write hot paths (usage ingest, settlement) inside a Prisma transaction. On SQLite
// they run straight on the connection the transaction is open on (lib/sqlite-direct.ts) with statements
// prepared once: the ORM's per-statement query compile and `prepare` were most of a batch's time.
// On PostgreSQL, in a transaction whose direct path is open (lib/pg-direct.ts, the ingest group's), they run on its
// pg connection. Elsewhere they go through Prisma as before.

const direct = (tx: Tx) => dbProvider === 'sqlite' && tx !== (db as unknown) && sqliteInTransaction();
/** PostgreSQL: the connection of a transaction whose direct path is open (lib/pg-direct.ts). */
const pgDirect = (tx: Tx) => (dbProvider === 'postgresql' ? pgClientOf(tx) : undefined);

/** Runs a statement in `tx`; returns the number of rows changed. */
export async function execute(tx: Tx, statement: Prisma.Sql): Promise<number> {
  const pgClient = pgDirect(tx);
  if (pgClient) return (await pgQuery(pgClient, statement)).rowCount ?? 0;
  if (!direct(tx)) return tx.$executeRaw(statement);
  return sqliteStatement(statement.sql).run(...statement.values.map(sqliteValue)).changes;
}

/**
 * Runs a query in `tx` and returns its rows. Integers may come back as bigint and dates as ISO strings on the
 * direct path: callers convert (BigInt(…), Number(…), new Date(…)) as they already do for both databases.
 */
export async function query<T>(tx: Tx, statement: Prisma.Sql): Promise<T[]> {
  const pgClient = pgDirect(tx);
  if (pgClient) return (await pgQuery<T>(pgClient, statement)).rows;
  if (!direct(tx)) return tx.$queryRaw<T[]>(statement);
  return sqliteStatement(statement.sql).all(...statement.values.map(sqliteValue)) as T[];
}

/** A column of a PostgreSQL row source (pgRows): its name and type (e.g. `text`, `bigint`, `timestamp(3)`, `jsonb`). */
export type PgColumn = { name: string; type: string };

/**
 * A value as a cell of pgRows' document: bigints as their digits (JSON has no bigint), dates as milliseconds since the
 * epoch (JSON.stringify's own date conversion cost more than the rest of a 1,000-event document).
 */
const jsonCell = (v: unknown): unknown => {
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Date) return v.getTime();
  return v === undefined ? null : v;
};

/** A pgRows cell's SQL: its column's value from element `i` of the row `r`. */
function cellSql({ name, type }: PgColumn, i: number): string {
  if (type === 'jsonb' || type === 'json') return `NULLIF(r->${i}, 'null')${type === 'json' ? '::json' : ''} AS "${name}"`;
  if (type === 'text') return `r->>${i} AS "${name}"`;
  // Milliseconds since the epoch, in UTC as the columns keep time (exact: an integer number of microseconds).
  if (type.startsWith('timestamp')) return `(TIMESTAMP '1970-01-01' + (r->>${i})::bigint * INTERVAL '1 millisecond')::${type} AS "${name}"`;
  return `(r->>${i})::${type} AS "${name}"`;
}

/** JSON.stringify's escape of a lone surrogate (or a text that spells one): such a document is rebuilt well-formed. */
const LONE_SURROGATE = /\\ud[89a-f]/i;

/**
 * PostgreSQL: `SELECT … FROM jsonb_array_elements($1::jsonb) AS r` for many rows — one parameter, the rows as a JSON
 * array of arrays, each cell cast to its column's type (a `json`/`jsonb` column takes its cell as it is; JSON null is
 * SQL NULL; a timestamp column takes a Date). JSON.stringify writes the document natively: the array parameters this
 * replaced (one per column, then `unnest`) cost the pg driver's quoting of every element — ~11–14 ms of JavaScript per 1,000 events of 24 columns
 * against ~8 now, and PostgreSQL ~12 ms against ~10 (measured through the driver, PostgreSQL 15). A string that is not
 * well-formed Unicode is stored with U+FFFD for its lone surrogates, as the driver's UTF-8 encoding stored it.
 */
export function pgRows(columns: PgColumn[], rows: unknown[][]): Prisma.Sql {
  const width = columns.length;
  const cells = (fix: (v: unknown) => unknown) =>
    rows.map((row) => {
      const out = new Array(width);
      for (let c = 0; c < width; c++) out[c] = fix(row[c]);
      return out;
    });
  let doc = JSON.stringify(cells(jsonCell));
  if (LONE_SURROGATE.test(doc)) doc = JSON.stringify(cells((v) => (typeof v === 'string' ? v.toWellFormed() : jsonCell(v))));
  return Prisma.sql`SELECT ${Prisma.raw(columns.map(cellSql).join(', '))} FROM jsonb_array_elements(${doc}::jsonb) AS r`;
}

/** The columns' quoted names, as an INSERT lists them. */
export const columnNames = (columns: PgColumn[]): Prisma.Sql => Prisma.raw(columns.map((c) => `"${c.name}"`).join(', '));

/** A SQLite parameter as Prisma's own queries write it: JSON as its text, booleans as 0/1, dates as ISO-8601 text. */
const sqliteCell = (v: unknown): unknown => {
  if (v === undefined) return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof Date) return sqliteValue(v);
  if (v !== null && typeof v === 'object') return JSON.stringify(v);
  return v;
};

/** The text around the parameters of `VALUES (…), (…)` for `rows` rows of `width` values (one more than there are values). */
const valuesStrings = (rows: number, width: number): string[] => {
  const strings: string[] = ['VALUES ('];
  for (let r = 0; r < rows; r++) {
    for (let c = 1; c < width; c++) strings.push(', ');
    strings.push(r < rows - 1 ? '), (' : ')');
  }
  return strings;
};

/**
 * What a multi-row INSERT of `rows` (values in `columns` order) reads from: on PostgreSQL one SELECT for
 * all of them (pgRows); on SQLite `VALUES` lists of at most `chunk` rows (a statement binds at most 32,766
 * parameters). One statement per source.
 */
export function rowSources(columns: PgColumn[], rows: unknown[][], chunk: number): Prisma.Sql[] {
  if (dbProvider === 'postgresql') return [pgRows(columns, rows)];
  const width = columns.length;
  const sources: Prisma.Sql[] = [];
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk);
    // Built flat (one text per gap, one value per parameter): a thousand rows of nested Prisma.sql fragments cost
    // an ingest batch more than the rows' own insert statement did.
    const values: unknown[] = new Array(part.length * width);
    part.forEach((row, r) => {
      for (let c = 0; c < width; c++) values[r * width + c] = sqliteCell(row[c]);
    });
    sources.push(new Prisma.Sql(valuesStrings(part.length, width), values as Prisma.Sql['values']));
  }
  return sources;
}

/**
 * `column IN (…values)`: on PostgreSQL `= ANY($1::text[])`, one array parameter however many values;
 * on SQLite a parameter per value. `column` is a trusted SQL fragment.
 */
export function inList(column: Prisma.Sql, values: string[]): Prisma.Sql {
  if (dbProvider === 'postgresql') return Prisma.sql`${column} = ANY(${values}::text[])`;
  return Prisma.sql`${column} IN (${Prisma.join(values)})`;
}

/** Statement texts of insertRows on the direct SQLite path, one per table, columns and tail (the same string each time). */
const insertTexts = new Map<string, string>();

/**
 * `INSERT INTO table (columns) <rows> <tail>` for many rows (values in `columns` order; `tail` a trusted clause
 * without parameters, e.g. `ON CONFLICT … DO UPDATE …`). PostgreSQL: without a tail, in a transaction on the direct
 * path, one binary COPY (lib/pg-copy.ts); otherwise one statement from a JSON document (pgRows).
 * SQLite: inside a transaction on the direct path, one row per statement, prepared once, each row's values converted
 * straight into its parameters (the ingest hot path). Not a multi-row INSERT: SQLite copies every page such a
 * statement changes to a statement journal first, so that a foreign key or NOT NULL check failing halfway could undo
 * the statement alone; a one-row statement needs none. With 32 KiB pages and a batch's rows landing on hundreds of
 * index pages, that copying cost more than the inserts (an in-process loop of 1,000-event backfill batches: ~57 →
 * ~42 ms of CPU a batch, with the batch's savepoint gone too, lib/usage/service.ts; bench/README.md). The values are
 * passed as arguments: better-sqlite3 reads an array's elements one by one through V8. Elsewhere: statements of at
 * most `chunk` rows.
 */
export async function insertRows(tx: Tx, table: string, columns: PgColumn[], rows: unknown[][], chunk: number, tail = ''): Promise<void> {
  if (rows.length === 0) return;
  const pgClient = tail === '' ? pgDirect(tx) : undefined;
  if (pgClient && columns.every((c) => isCopyType(c.type))) {
    try {
      return await pgCopyIn(pgClient, table, columns as { name: string; type: CopyType }[], rows);
    } catch (err) {
      // A value COPY's binary form is not written for (a number out of its column's range …) is left to the JSON
      // document, which fails (or not) as a multi-row INSERT always did.
      if (!(err instanceof NotCopyable)) throw err;
    }
  }
  const head = Prisma.raw(`INSERT INTO "${table}" (${columnNames(columns).sql}) `);
  if (!direct(tx)) {
    for (const source of rowSources(columns, rows, chunk)) await execute(tx, Prisma.sql`${head}${source} ${Prisma.raw(tail)}`);
    return;
  }
  const key = `${head.sql}|${tail}`;
  let text = insertTexts.get(key);
  if (text === undefined) {
    text = `${head.sql}${valuesStrings(1, columns.length).join('?')}${tail === '' ? '' : ` ${tail}`}`;
    insertTexts.set(key, text);
  }
  const statement = sqliteStatement(text);
  const width = columns.length;
  const values: unknown[] = new Array(width);
  for (const row of rows) {
    for (let c = 0; c < width; c++) values[c] = sqliteCell(row[c]);
    statement.run(...values);
  }
}
