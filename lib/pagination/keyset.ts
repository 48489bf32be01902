// Keyset (cursor) pagination over one sort field plus the id as tie-break.
// Pure: builds Prisma `where` / `orderBy` fragments; the caller runs the query.

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

/** Trim the extra row fetched to learn whether another page exists, and restore order for backward pages. */
export function takePage<T>(rows: T[], limit: number, backwards: boolean): { rows: T[]; hasMore: boolean } {
  const hasMore = rows.length > limit;
  const page = rows.slice(0, limit);
  return { rows: backwards ? page.reverse() : page, hasMore };
}
