import 'server-only';
import { db } from '../db';
import { Prisma } from '../generated/prisma/client';
import { inList } from '../sql-exec';
import { addUtcDays, startOfUtcDay } from '../time/periods';

export type UsageTotals = {
  costMicros: bigint;
  inputTokens: bigint;
  outputTokens: bigint;
  requests: number;
  errors: number;
  unpricedRequests: number;
};

const IN_LIST_LIMIT = 500;

/** The first UTC midnight at or after `since`: whole days from there on come from the daily rollup. */
export function firstFullDayFrom(since: Date): Date {
  const dayStart = startOfUtcDay(since);
  return dayStart.getTime() === since.getTime() ? since : addUtcDays(dayStart, 1);
}

/** A row of usageSumsQuery: SUMs as they arrive (see sumAsBigInt). */
export type SumRow = { identityId: string; requests: unknown; errors: unknown; cost: unknown; inputTokens: unknown; outputTokens: unknown; unpriced: unknown };

/** A SUM as it arrives: number, bigint or (PostgreSQL's SUM of a bigint) a decimal; all print as integers. */
export const sumAsBigInt = (v: unknown): bigint => BigInt(String(v ?? 0));

/**
 * Per-identity usage of the events with from <= occurredAt < to, as one grouped UNION ALL (null for an empty range):
 * the daily rollup's whole UTC days, the raw events of the partial days at either end. `scope` filters both tables
 * (a trusted condition on their common columns: "workspaceId", "identityId"); `eventsHint` follows the events' table
 * name (SQLite's INDEXED BY). An event is unpriced when it has no cost, as the rollup counts it.
 */
export function usageSumsQuery(scope: Prisma.Sql, from: Date, to: Date, eventsHint: Prisma.Sql = Prisma.empty): Prisma.Sql | null {
  if (from >= to) return null;
  const firstDay = firstFullDayFrom(from);
  const lastDay = startOfUtcDay(to);
  const events = (a: Date, b: Date) =>
    Prisma.sql`SELECT "identityId", 1 AS "requests", CASE WHEN "status" = 'error' THEN 1 ELSE 0 END AS "errors", COALESCE("costMicros", 0) AS "cost",
        "inputTokens", "outputTokens", CASE WHEN "costMicros" IS NULL THEN 1 ELSE 0 END AS "unpriced"
      FROM "UsageEvent" ${eventsHint} WHERE ${scope} AND "occurredAt" >= ${a} AND "occurredAt" < ${b}`;
  const parts: Prisma.Sql[] = [];
  if (firstDay < lastDay) {
    if (from < firstDay) parts.push(events(from, firstDay));
    parts.push(Prisma.sql`SELECT "identityId", "requests", "errors", "costMicros" AS "cost", "inputTokens", "outputTokens", "unpricedRequests" AS "unpriced"
      FROM "UsageDaily" WHERE ${scope} AND "day" >= ${firstDay} AND "day" < ${lastDay}`);
    if (lastDay < to) parts.push(events(lastDay, to));
  } else {
    parts.push(events(from, to));
  }
  return Prisma.sql`
    SELECT "identityId", SUM("requests") AS "requests", SUM("errors") AS "errors", SUM("cost") AS "cost",
      SUM("inputTokens") AS "inputTokens", SUM("outputTokens") AS "outputTokens", SUM("unpriced") AS "unpriced"
    FROM (${Prisma.join(parts, ' UNION ALL ')}) AS usage GROUP BY "identityId"`;
}

/**
 * The statement of getUsageTotals (null when there is nothing to read): usageSumsQuery over a page of ids, each read by
 * the identity's key, or over the workspace.
 */
export function usageTotalsQuery(scope: { workspaceId: string; identityIds?: string[] }, since: Date, until: Date): Prisma.Sql | null {
  const ids = scope.identityIds;
  if (ids && ids.length === 0) return null;
  // A page of ids uses the identity keys; with a workspace filter too, SQLite picks the workspace
  // index and scans far more. Long lists scan the workspace instead of binding many parameters.
  // (PostgreSQL: the ids as one array parameter, bound once per part instead of one parameter per id.)
  const inScope = ids && ids.length <= IN_LIST_LIMIT ? inList(Prisma.sql`"identityId"`, ids) : Prisma.sql`"workspaceId" = ${scope.workspaceId}`;
  return usageSumsQuery(inScope, since, until);
}

/**
 * Usage per identity in [since, until): whole UTC days come from the daily rollup, the partial
 * first day (a window that starts mid-day, e.g. after a reset or "30 days ago") from raw events.
 * Sums are exact integer micro-dollars. One raw statement (usageTotalsQuery): the ORM's two group-bys it replaced cost
 * ~4 ms of query compile per list page, several times the database's work.
 */
export async function getUsageTotals(scope: { workspaceId: string; identityIds?: string[] }, since: Date, until: Date): Promise<Map<string, UsageTotals>> {
  const totals = new Map<string, UsageTotals>();
  const statement = usageTotalsQuery(scope, since, until);
  if (!statement) return totals;
  const rows = await db.$queryRaw<SumRow[]>(statement);
  // A long list scanned its workspace: only the ids asked for are kept.
  const ids = scope.identityIds;
  const wanted = ids && ids.length > IN_LIST_LIMIT ? new Set(ids) : null;
  for (const r of rows) {
    if (wanted && !wanted.has(r.identityId)) continue;
    totals.set(r.identityId, {
      costMicros: sumAsBigInt(r.cost),
      inputTokens: sumAsBigInt(r.inputTokens),
      outputTokens: sumAsBigInt(r.outputTokens),
      requests: Number(sumAsBigInt(r.requests)),
      errors: Number(sumAsBigInt(r.errors)),
      unpricedRequests: Number(sumAsBigInt(r.unpriced)),
    });
  }
  return totals;
}
