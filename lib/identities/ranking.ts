import 'server-only';
import { db } from '../db';
import { containsLiteral } from '../sql';
import { Prisma } from '../generated/prisma/client';
import { metricsWindow } from '../usage/metrics';
import { firstFullDayFrom } from '../usage/totals';

export type RankMetric = 'requests' | 'cost' | 'tokens' | 'error_rate';

const METRIC_SQL: Record<RankMetric, Prisma.Sql> = {
  requests: Prisma.sql`COALESCE(m."requests", 0)`,
  cost: Prisma.sql`COALESCE(m."cost", 0)`,
  tokens: Prisma.sql`COALESCE(m."tokens", 0)`,
  error_rate: Prisma.sql`CASE WHEN COALESCE(m."requests", 0) = 0 THEN 0 ELSE CAST(m."errors" AS DOUBLE PRECISION) / m."requests" END`,
};

/**
 * One page of identity ids ranked by a 30-day metric, computed in the database (rollup days plus
 * the raw events of the partial oldest day, the same window as the metrics shown) so the cost
 * does not grow with the page number or load every identity into memory.
 */
export async function rankIdentityIds(
  workspaceId: string,
  opts: { search?: string; tags?: string[]; metric: RankMetric; order: 'asc' | 'desc'; limit: number; offset: number },
  now: Date,
): Promise<string[]> {
  const { since, until } = metricsWindow(now);
  const firstFullDay = firstFullDayFrom(since);

  const filters: Prisma.Sql[] = [Prisma.sql`i."workspaceId" = ${workspaceId}`];
  const text = opts.search?.trim();
  if (text) {
    const needle = text.toLowerCase();
    const found = (column: Prisma.Sql) => containsLiteral(column, needle);
    filters.push(Prisma.sql`(
      ${found(Prisma.sql`lower(coalesce(i."displayName", ''))`)} OR ${found(Prisma.sql`lower(coalesce(i."email", ''))`)} OR
      ${found(Prisma.sql`lower(i."externalId")`)} OR ${found(Prisma.sql`i."sortName"`)})`);
  }
  if (opts.tags && opts.tags.length > 0) {
    filters.push(Prisma.sql`EXISTS (SELECT 1 FROM "IdentityTag" t WHERE t."identityId" = i."id" AND t."tag" IN (${Prisma.join(opts.tags)}))`);
  }
  const direction = opts.order === 'asc' ? Prisma.sql`ASC` : Prisma.sql`DESC`;
  const rows = await db.$queryRaw<{ id: string }[]>`
    SELECT i."id" AS id FROM "Identity" i
    LEFT JOIN (
      SELECT "identityId", SUM("cost") AS "cost", SUM("requests") AS "requests", SUM("tokens") AS "tokens", SUM("errors") AS "errors" FROM (
        SELECT "identityId", "costMicros" AS "cost", "requests", "inputTokens" + "outputTokens" AS "tokens", "errors"
          FROM "UsageDaily" WHERE "workspaceId" = ${workspaceId} AND "day" >= ${firstFullDay} AND "day" < ${until}
        UNION ALL
        SELECT "identityId", COALESCE("costMicros", 0), 1, "totalTokens", CASE WHEN "status" = 'error' THEN 1 ELSE 0 END
          FROM "UsageEvent" WHERE "workspaceId" = ${workspaceId} AND "occurredAt" >= ${since} AND "occurredAt" < ${firstFullDay}
      ) AS usage GROUP BY "identityId"
    ) m ON m."identityId" = i."id"
    WHERE ${Prisma.join(filters, ' AND ')}
    ORDER BY ${METRIC_SQL[opts.metric]} ${direction}, i."id" DESC
    LIMIT ${opts.limit} OFFSET ${opts.offset}`;
  return rows.map((r) => r.id);
}
