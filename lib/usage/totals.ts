import 'server-only';
import { db } from '../db';
import { addUtcDays, startOfUtcDay } from '../time/periods';

export type UsageTotals = {
  costMicros: bigint;
  inputTokens: bigint;
  outputTokens: bigint;
  requests: number;
  errors: number;
  unpricedRequests: number;
};

export const emptyTotals = (): UsageTotals => ({ costMicros: 0n, inputTokens: 0n, outputTokens: 0n, requests: 0, errors: 0, unpricedRequests: 0 });

const IN_LIST_LIMIT = 500;

/** The first UTC midnight at or after `since`: whole days from there on come from the daily rollup. */
export function firstFullDayFrom(since: Date): Date {
  const dayStart = startOfUtcDay(since);
  return dayStart.getTime() === since.getTime() ? since : addUtcDays(dayStart, 1);
}

function add(map: Map<string, UsageTotals>, identityId: string, part: Partial<UsageTotals>) {
  const t = map.get(identityId) ?? emptyTotals();
  t.costMicros += part.costMicros ?? 0n;
  t.inputTokens += part.inputTokens ?? 0n;
  t.outputTokens += part.outputTokens ?? 0n;
  t.requests += part.requests ?? 0;
  t.errors += part.errors ?? 0;
  t.unpricedRequests += part.unpricedRequests ?? 0;
  map.set(identityId, t);
}

/**
 * Usage per identity in [since, until): whole UTC days come from the daily rollup, the partial
 * first day (a window that starts mid-day, e.g. after a reset or "30 days ago") from raw events.
 * Sums are exact integer micro-dollars.
 */
export async function usageTotals(
  scope: { workspaceId: string; identityIds?: string[] },
  since: Date,
  until: Date | null,
): Promise<Map<string, UsageTotals>> {
  const totals = new Map<string, UsageTotals>();
  const ids = scope.identityIds;
  if (ids && ids.length === 0) return totals;
  // A page of ids uses the identity keys; with a workspace filter too, SQLite picks the workspace
  // index and scans far more. Long lists scan the workspace instead of binding many parameters.
  const byIds = ids !== undefined && ids.length <= IN_LIST_LIMIT;
  const eventScope = byIds ? { identityId: { in: ids } } : { workspaceId: scope.workspaceId };
  const firstFullDay = firstFullDayFrom(since);
  const rawEnd = until && until < firstFullDay ? until : firstFullDay;

  const [raw, days] = await Promise.all([
    since < rawEnd
      ? db.usageEvent.groupBy({
          by: ['identityId', 'status', 'priced'],
          where: { ...eventScope, occurredAt: { gte: since, lt: rawEnd } },
          _sum: { costMicros: true, inputTokens: true, outputTokens: true },
          _count: { _all: true },
        })
      : [],
    !until || firstFullDay < until
      ? db.usageDaily.groupBy({
          by: ['identityId'],
          where: { ...eventScope, day: { gte: firstFullDay, ...(until ? { lt: until } : {}) } },
          _sum: { costMicros: true, inputTokens: true, outputTokens: true, requests: true, errors: true, unpricedRequests: true },
        })
      : [],
  ]);
  for (const g of raw) {
    const count = g._count._all;
    add(totals, g.identityId, {
      costMicros: g._sum.costMicros ?? 0n,
      inputTokens: BigInt(g._sum.inputTokens ?? 0),
      outputTokens: BigInt(g._sum.outputTokens ?? 0),
      requests: count,
      errors: g.status === 'error' ? count : 0,
      unpricedRequests: g.priced ? 0 : count,
    });
  }
  for (const g of days) {
    add(totals, g.identityId, {
      costMicros: g._sum.costMicros ?? 0n,
      inputTokens: g._sum.inputTokens ?? 0n,
      outputTokens: g._sum.outputTokens ?? 0n,
      requests: g._sum.requests ?? 0,
      errors: g._sum.errors ?? 0,
      unpricedRequests: g._sum.unpricedRequests ?? 0,
    });
  }
  if (ids && !byIds) {
    const wanted = new Set(ids);
    for (const id of totals.keys()) if (!wanted.has(id)) totals.delete(id);
  }
  return totals;
}
