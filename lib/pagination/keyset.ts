// Keyset (cursor) pagination over one sort field plus the id as tie-break.
// Pure: builds Prisma `where` / `orderBy` fragments (keysetQuery), or the same in raw SQL (keysetSql, for lists whose
// filters only SQL can state); the caller runs the query.
import { Prisma } from '../generated/prisma/client';

export type Direction = 'asc' | 'desc';

export type SortSpec = {
  /** Column to sort on; `id` alone means id order. */
  field: string;
  direction: Direction;
  /** Nullable columns sort nulls last (in the forward direction). */
  nullable?: boolean;
};

export type Anchor = { id: string } & Record<string, unknown>;

type Where = Record<string, unknown>;
type OrderBy = Record<string, unknown>[];

const flip = (d: Direction): Direction => (d === 'asc' ? 'desc' : 'asc');
const after = (d: Direction) => (d === 'asc' ? 'gt' : 'lt');

/**
 * Where clause and order for the rows after (`starting_after`) or before (`ending_before`) an anchor.
 * Backward pages come back in reverse order: reverse them after the query.
 */
export function keysetQuery(sort: SortSpec, anchor: Anchor | null, backwards = false): { where: Where; orderBy: OrderBy } {
  const direction = backwards ? flip(sort.direction) : sort.direction;
  const op = after(direction);
  const nullsLast = !backwards;
  if (sort.field === 'id') {
    return { where: anchor ? { id: { [op]: anchor.id } } : {}, orderBy: [{ id: direction }] };
  }
  const fieldOrder = sort.nullable ? { sort: direction, nulls: nullsLast ? 'last' : 'first' } : direction;
  const orderBy = [{ [sort.field]: fieldOrder }, { id: direction }];
  if (!anchor) return { where: {}, orderBy };

  const value = anchor[sort.field];
  const sameValueLaterId = { [sort.field]: value ?? null, id: { [op]: anchor.id } };
  if (value === null || value === undefined) {
    // The anchor sits among the nulls: forward, only later nulls follow; backward, every non-null precedes.
    return {
      where: backwards ? { OR: [{ [sort.field]: { not: null } }, sameValueLaterId] } : sameValueLaterId,
      orderBy,
    };
  }
  const branches: Where[] = [{ [sort.field]: { [op]: value } }, sameValueLaterId];
  if (sort.nullable && !backwards) branches.push({ [sort.field]: null });
  return { where: { OR: branches }, orderBy };
}

/** The column `field` of the rows aliased `alias`, in raw SQL (field names are the code's, never input). */
const columnSql = (alias: string, field: string) => Prisma.raw(`${alias}."${field}"`);

/** keysetQuery's order in raw SQL, on the rows aliased `alias`: also the order of a page-numbered list (no anchor). */
export function orderSql(sort: SortSpec, alias: string, backwards = false): Prisma.Sql {
  const direction = Prisma.raw(backwards ? flip(sort.direction) : sort.direction);
  const byId = Prisma.sql`${columnSql(alias, 'id')} ${direction}`;
  if (sort.field === 'id') return byId;
  const nulls = sort.nullable ? Prisma.raw(backwards ? ' NULLS FIRST' : ' NULLS LAST') : Prisma.empty;
  return Prisma.sql`${columnSql(alias, sort.field)} ${direction}${nulls}, ${byId}`;
}

/**
 * keysetQuery in raw SQL, on the rows aliased `alias`: the same rows in the same order (`where` is TRUE without an
 * anchor). The anchor's values are bound as parameters: give the row as Prisma read it, so that a date binds as its
 * column stores it (SQLite compares the text).
 */
export function keysetSql(sort: SortSpec, anchor: Anchor | null, backwards: boolean, alias: string): { where: Prisma.Sql; orderBy: Prisma.Sql } {
  const orderBy = orderSql(sort, alias, backwards);
  if (!anchor) return { where: Prisma.sql`TRUE`, orderBy };
  const op = Prisma.raw((backwards ? flip(sort.direction) : sort.direction) === 'asc' ? '>' : '<');
  const laterId = Prisma.sql`${columnSql(alias, 'id')} ${op} ${anchor.id}`;
  if (sort.field === 'id') return { where: laterId, orderBy };

  const column = columnSql(alias, sort.field);
  const value = anchor[sort.field];
  if (value === null || value === undefined) {
    // The anchor sits among the nulls: forward, only later nulls follow; backward, every non-null precedes.
    const laterNull = Prisma.sql`(${column} IS NULL AND ${laterId})`;
    return { where: backwards ? Prisma.sql`(${column} IS NOT NULL OR ${laterNull})` : laterNull, orderBy };
  }
  const branches = [Prisma.sql`${column} ${op} ${value}`, Prisma.sql`(${column} = ${value} AND ${laterId})`];
  if (sort.nullable && !backwards) branches.push(Prisma.sql`${column} IS NULL`);
  return { where: Prisma.sql`(${Prisma.join(branches, ' OR ')})`, orderBy };
}

/** Trim the extra row fetched to learn whether another page exists, and restore order for backward pages. */
export function takePage<T>(rows: T[], limit: number, backwards: boolean): { rows: T[]; hasMore: boolean } {
  const hasMore = rows.length > limit;
  const page = rows.slice(0, limit);
  return { rows: backwards ? page.reverse() : page, hasMore };
}
