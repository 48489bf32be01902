import 'server-only';
import { dbProvider, type Tx } from '../db';
import { containsLiteral } from '../sql';
import { Prisma } from '../generated/prisma/client';
import { withMetricsWindow } from '../usage/window-totals';
import { identityMetrics, type IdentityMetrics } from '../usage/metrics';

export type RankMetric = 'requests' | 'cost' | 'tokens' | 'error_rate';

// Columns of IdentityWindowTotal, each the second column of a (workspaceId, metric, identityId) index.
const METRIC_COLUMN: Record<RankMetric, Prisma.Sql> = {
  requests: Prisma.sql`w."requests"`,
  cost: Prisma.sql`w."costMicros"`,
  tokens: Prisma.sql`w."tokens"`,
  error_rate: Prisma.sql`w."errorRate"`,
};

/** LIKE wildcards, matched literally with instr()/strpos() instead (as identitySearchWhere does). */
const LIKE_WILDCARDS = /[%_\\]/;

/** The list's search and tag filters on identity `i`, as identitySearchWhere and the tag filter apply them. */
function identityFilters(opts: { search?: string; tags?: string[] }): Prisma.Sql[] {
  const filters: Prisma.Sql[] = [];
  const text = opts.search?.trim();
  if (text && LIKE_WILDCARDS.test(text)) {
    const found = (column: Prisma.Sql) => containsLiteral(column, text.toLowerCase());
    filters.push(Prisma.sql`(${found(Prisma.sql`lower(coalesce(i."displayName", ''))`)} OR ${found(Prisma.sql`lower(coalesce(i."email", ''))`)} OR
      ${found(Prisma.sql`lower(i."externalId")`)})`);
  } else if (text) {
    const pattern = `%${text}%`;
    // PostgreSQL: ILIKE, served by the trigram indexes. SQLite: LIKE is case-insensitive for ASCII; sortName is lower-cased for the rest.
    filters.push(
      dbProvider === 'postgresql'
        ? Prisma.sql`(i."displayName" ILIKE ${pattern} OR i."email" ILIKE ${pattern} OR i."externalId" ILIKE ${pattern})`
        : Prisma.sql`(i."displayName" LIKE ${pattern} OR i."email" LIKE ${pattern} OR i."externalId" LIKE ${pattern} OR i."sortName" LIKE ${pattern.toLowerCase()})`,
    );
  }
  if (opts.tags && opts.tags.length > 0) {
    filters.push(Prisma.sql`EXISTS (SELECT 1 FROM "IdentityTag" t WHERE t."identityId" = i."id" AND t."tag" IN (${Prisma.join(opts.tags)}))`);
  }
  return filters;
}

/** A run of the ranking whose rows can be paged on their own. */
type Segment = { rows: (limit: number, offset: number) => Promise<string[]>; count: () => Promise<number> };

/**
 * One page of identity ids ranked by a 30-day metric (ties by id, newest first), exact for `now`: the window's
 * per-identity totals (lib/usage/window-totals.ts) are brought to `now` first. Identities with a non-zero value come
 * from the metric's index; all others have 0 and follow (or, ascending, lead) in id order. The cost grows with the
 * page's offset, not with the number of identities or events.
 */
export async function rankIdentityIds(workspaceId: string, opts: RankOptions, now: Date): Promise<string[]> {
  return withMetricsWindow(workspaceId, now, (tx) => rankInWindow(tx, workspaceId, opts));
}

/**
 * A page of rankIdentityIds with each identity's 30-day metrics, read from the same window totals in the same
 * transaction: one index read per identity, however many events it has (the list's metrics otherwise add up the
 * raw events of the window's partial first day, thousands for the busiest identities a ranking puts first).
 */
export async function rankIdentitiesWithMetrics(
  workspaceId: string,
  opts: RankOptions,
  now: Date,
): Promise<{ ids: string[]; metrics: Map<string, IdentityMetrics> }> {
  return withMetricsWindow(workspaceId, now, async (tx) => {
    const ids = await rankInWindow(tx, workspaceId, opts);
    const metrics = new Map<string, IdentityMetrics>();
    if (ids.length === 0) return { ids, metrics };
    const rows = await tx.identityWindowTotal.findMany({ where: { identityId: { in: ids } } });
    for (const r of rows) metrics.set(r.identityId, identityMetrics({ ...r, unpriced: r.unpricedRequests }));
    return { ids, metrics };
  });
}

type RankOptions = { search?: string; tags?: string[]; metric: RankMetric; order: 'asc' | 'desc'; limit: number; offset: number };

async function rankInWindow(tx: Tx, workspaceId: string, opts: RankOptions): Promise<string[]> {
  const filters = identityFilters(opts);
  const m = METRIC_COLUMN[opts.metric];
  const direction = opts.order === 'asc' ? Prisma.sql`ASC` : Prisma.sql`DESC`;
  const where = (base: Prisma.Sql) => Prisma.join([base, ...filters], ' AND ');
  // Filters need the identity row; without them the totals' index alone answers.
  const from = filters.length > 0 ? Prisma.sql`"IdentityWindowTotal" w JOIN "Identity" i ON i."id" = w."identityId"` : Prisma.sql`"IdentityWindowTotal" w`;
  const nonZero = where(Prisma.sql`w."workspaceId" = ${workspaceId} AND ${m} > 0`);
  const ranked: Segment = {
    rows: async (limit, offset) =>
      (await tx.$queryRaw<{ id: string }[]>`
        SELECT w."identityId" AS id FROM ${from} WHERE ${nonZero}
        ORDER BY ${m} ${direction}, w."identityId" DESC LIMIT ${limit} OFFSET ${offset}`).map((r) => r.id),
    count: async () => Number((await tx.$queryRaw<{ n: bigint | number }[]>`SELECT COUNT(*) AS n FROM ${from} WHERE ${nonZero}`)[0].n),
  };
  const zero = where(Prisma.sql`i."workspaceId" = ${workspaceId} AND NOT EXISTS (
    SELECT 1 FROM "IdentityWindowTotal" w WHERE w."identityId" = i."id" AND ${m} > 0)`);
  const zeros: Segment = {
    rows: async (limit, offset) =>
      (await tx.$queryRaw<{ id: string }[]>`
        SELECT i."id" AS id FROM "Identity" i WHERE ${zero} ORDER BY i."id" DESC LIMIT ${limit} OFFSET ${offset}`).map((r) => r.id),
    count: async () => Number((await tx.$queryRaw<{ n: bigint | number }[]>`SELECT COUNT(*) AS n FROM "Identity" i WHERE ${zero}`)[0].n),
  };
  const [first, second] = opts.order === 'desc' ? [ranked, zeros] : [zeros, ranked];
  const page = await first.rows(opts.limit, opts.offset);
  if (page.length === opts.limit) return page;
  // The first run ends on this page (its length is then known) or before it (count it).
  const firstCount = page.length > 0 ? opts.offset + page.length : await first.count();
  return [...page, ...(await second.rows(opts.limit - page.length, Math.max(0, opts.offset - firstCount)))];
}
