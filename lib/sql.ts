import 'server-only';
import { Prisma } from './generated/prisma/client';
import { db, dbProvider } from './db';

/** `column` contains `needle` literally (no LIKE wildcards), in either database's dialect. */
export const containsLiteral = (column: Prisma.Sql, needle: string): Prisma.Sql =>
  dbProvider === 'postgresql' ? Prisma.sql`strpos(${column}, ${needle}) > 0` : Prisma.sql`instr(${column}, ${needle}) > 0`;

/** The ids `query` selects (as a column `id`), in its order. */
export const selectIds = async (query: Prisma.Sql): Promise<string[]> => (await db.$queryRaw<{ id: string }[]>(query)).map((r) => r.id);

/** The count `query` selects (as a column `n`). */
export const selectCount = async (query: Prisma.Sql): Promise<number> => Number((await db.$queryRaw<{ n: bigint | number }[]>(query))[0].n);

/**
 * `rows` in the order of `ids` (a page selected in SQL, then read by id: read with nothing but `id: { in: ids }`,
 * which Prisma splits when the ids outnumber the parameters a statement can bind).
 */
export function inIdOrder<T extends { id: string }>(ids: string[], rows: T[]): T[] {
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}
