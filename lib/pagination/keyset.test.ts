import Database from 'better-sqlite3';
import { describe, expect, test } from 'vitest';
import { Prisma } from '../generated/prisma/client';
import { keysetQuery, keysetSql, takePage, type Anchor, type SortSpec } from './keyset';

// A tiny in-memory evaluator for the where/orderBy fragments, so the tests check behaviour, not shapes.
type Row = { id: string; name: string | null };
function matches(row: Row, where: Record<string, unknown>): boolean {
  return Object.entries(where).every(([key, cond]) => {
    if (key === 'OR') return (cond as Record<string, unknown>[]).some((w) => matches(row, w));
    const value = row[key as keyof Row];
    if (cond === null || typeof cond !== 'object') return value === cond;
    return Object.entries(cond as Record<string, unknown>).every(([op, v]) => {
      if (op === 'not') return value !== v;
      if (value === null) return false;
      if (op === 'gt') return value > (v as string);
      if (op === 'lt') return value < (v as string);
      throw new Error(op);
    });
  });
}
function sortRows(rows: Row[], orderBy: Record<string, unknown>[]): Row[] {
  return [...rows].sort((a, b) => {
    for (const spec of orderBy) {
      const [key, raw] = Object.entries(spec)[0];
      const { sort, nulls } = typeof raw === 'string' ? { sort: raw, nulls: 'last' } : (raw as { sort: string; nulls: string });
      const av = a[key as keyof Row];
      const bv = b[key as keyof Row];
      if (av === bv) continue;
      if (av === null) return nulls === 'last' ? 1 : -1;
      if (bv === null) return nulls === 'last' ? -1 : 1;
      return (av < bv ? -1 : 1) * (sort === 'asc' ? 1 : -1);
    }
    return 0;
  });
}
function page(rows: Row[], sort: SortSpec, limit: number, anchor: Anchor | null, backwards = false) {
  const { where, orderBy } = keysetQuery(sort, anchor, backwards);
  const fetched = sortRows(rows.filter((r) => matches(r, where)), orderBy).slice(0, limit + 1);
  return takePage(fetched, limit, backwards);
}

const rows: Row[] = [
  { id: '01', name: 'b' },
  { id: '02', name: null },
  { id: '03', name: 'a' },
  { id: '04', name: 'b' },
  { id: '05', name: null },
  { id: '06', name: 'c' },
];

describe('keyset pagination', () => {
  test('walks every row exactly once by id desc', () => {
    const sort: SortSpec = { field: 'id', direction: 'desc' };
    const first = page(rows, sort, 4, null);
    expect(first.rows.map((r) => r.id)).toEqual(['06', '05', '04', '03']);
    expect(first.hasMore).toBe(true);
    const second = page(rows, sort, 4, first.rows[3]);
    expect(second.rows.map((r) => r.id)).toEqual(['02', '01']);
    expect(second.hasMore).toBe(false);
    const back = page(rows, sort, 4, second.rows[0], true);
    expect(back.rows.map((r) => r.id)).toEqual(['06', '05', '04', '03']);
  });

  test('walks a nullable field with ties forward and backward', () => {
    const sort: SortSpec = { field: 'name', direction: 'asc', nullable: true };
    const all = ['03', '01', '04', '06', '02', '05'];
    const seen: string[] = [];
    let anchor: Row | null = null;
    for (;;) {
      const p = page(rows, sort, 2, anchor);
      seen.push(...p.rows.map((r) => r.id));
      if (!p.hasMore) break;
      anchor = p.rows[p.rows.length - 1];
    }
    expect(seen).toEqual(all);
    // Backward from the last row returns the two before it, in forward order.
    expect(page(rows, sort, 2, rows[4], true).rows.map((r) => r.id)).toEqual(['06', '02']);
    expect(page(rows, sort, 2, rows[5], true).rows.map((r) => r.id)).toEqual(['01', '04']);
    expect(page(rows, sort, 2, rows[1], true).rows.map((r) => r.id)).toEqual(['04', '06']);
    expect(page(rows, sort, 9, rows[2], true)).toEqual({ rows: [], hasMore: false });
  });
});

describe('keyset pagination in raw SQL', () => {
  const sqlite = new Database(':memory:');
  sqlite.exec('CREATE TABLE "T" ("id" TEXT PRIMARY KEY, "name" TEXT)');
  const insert = sqlite.prepare('INSERT INTO "T" ("id", "name") VALUES (?, ?)');
  for (const r of rows) insert.run(r.id, r.name);

  /** keysetSql's page, run on SQLite. */
  function sqlPage(sort: SortSpec, limit: number, anchor: Anchor | null, backwards: boolean) {
    const { where, orderBy } = keysetSql(sort, anchor, backwards, 't');
    const query = Prisma.sql`SELECT t."id", t."name" FROM "T" t WHERE ${where} ORDER BY ${orderBy} LIMIT ${limit + 1}`;
    return takePage(sqlite.prepare(query.sql).all(...query.values) as Row[], limit, backwards);
  }

  test('finds the rows keysetQuery finds, in its order, from every anchor both ways', () => {
    const sorts: SortSpec[] = [
      { field: 'id', direction: 'desc' },
      { field: 'id', direction: 'asc' },
      { field: 'name', direction: 'asc', nullable: true },
      { field: 'name', direction: 'desc', nullable: true },
    ];
    for (const sort of sorts) {
      for (const anchor of [null, ...rows]) {
        for (const backwards of [false, true]) {
          for (const limit of [2, 9]) expect(sqlPage(sort, limit, anchor, backwards), JSON.stringify({ sort, anchor, backwards, limit })).toEqual(page(rows, sort, limit, anchor, backwards));
        }
      }
    }
  });
});
