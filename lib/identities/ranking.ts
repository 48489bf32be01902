import 'server-only';
import type { Tx } from '../db';
import { identityFilters } from './filters';
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

/** A run of the ranking whose rows can be paged on their own. */
type Segment = { rows: (limit: number, offset: number) => Promise<string[]>; count: () => Promise<number> };

/**
 * One page of identity ids ranked by a 30-day metric (ties by id, newest first), exact for `now`: the window's
 * per-identity totals (lib/usage/window-totals.ts) are brought to `now` first. Identities with a non-zero value come
 * from the metric's index; all others have 0 and follow (or, ascending, lead) in id order. The cost grows with the
 * page's offset, not with the number of identities or events.
 */
export async function rankIdentityIds(workspaceId: string, opts: RankOptions, now: Date): Promise<string[]> {
  const filters = await identityFilters(workspaceId, opts);
  return withMetricsWindow(workspaceId, now, (tx) => rankInWindow(tx, workspaceId, opts, filters));
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
  const filters = await identityFilters(workspaceId, opts);
  return withMetricsWindow(workspaceId, now, async (tx) => {
    const ids = await rankInWindow(tx, workspaceId, opts, filters);
    const metrics = new Map<string, IdentityMetrics>();
    if (ids.length === 0) return { ids, metrics };
    const rows = await tx.identityWindowTotal.findMany({ where: { identityId: { in: ids } } });
    for (const r of rows) metrics.set(r.identityId, identityMetrics({ ...r, unpriced: r.unpricedRequests }));
    return { ids, metrics };
  });
}

type RankOptions = { search?: string; tags?: string[]; metric: RankMetric; order: 'asc' | 'desc'; limit: number; offset: number };

/** rankIdentityIds' page in the window's transaction, among the identities `filters` (identityFilters, read before it) keep. */
async function rankInWindow(tx: Tx, workspaceId: string, opts: RankOptions, filters: Prisma.Sql[]): Promise<string[]> {
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
