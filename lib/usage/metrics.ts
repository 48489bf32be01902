import 'server-only';
import { db } from '../db';
import { microsToUsd } from '../money';
import { addUtcDays, startOfUtcDay } from '../time/periods';

export const METRICS_WINDOW_DAYS = 30;

export type IdentityMetrics = {
  totalCostUsd: number;
  totalTokens: number;
  totalRequests: number;
  /** Failed requests / all requests, 0 when there were none. */
  errorRate: number;
  unpricedRequests: number;
};

export const zeroMetrics = (): IdentityMetrics => ({ totalCostUsd: 0, totalTokens: 0, totalRequests: 0, errorRate: 0, unpricedRequests: 0 });

/** First day of the 30-day metrics window (today and the 29 days before it, UTC). */
export const metricsWindowStart = (now: Date) => addUtcDays(startOfUtcDay(now), -(METRICS_WINDOW_DAYS - 1));

const IN_LIST_LIMIT = 500;

/** 30-day metrics per identity, read from the daily rollup. */
export async function getIdentityMetrics(workspaceId: string, identityIds: string[], now: Date): Promise<Map<string, IdentityMetrics>> {
  const result = new Map<string, IdentityMetrics>();
  if (identityIds.length === 0) return result;
  const since = metricsWindowStart(now);
  const until = addUtcDays(startOfUtcDay(now), 1);
  // A page of ids uses the (identityId, day) key; long lists scan the workspace's rollup instead of
  // binding thousands of parameters. (With both filters SQLite picks the workspace index: slower.)
  const scope = identityIds.length <= IN_LIST_LIMIT ? { identityId: { in: identityIds } } : { workspaceId };
  const groups = await db.usageDaily.groupBy({
    by: ['identityId'],
    where: { ...scope, day: { gte: since, lt: until } },
    _sum: { requests: true, errors: true, unpricedRequests: true, inputTokens: true, outputTokens: true, costMicros: true },
  });
  const wanted = new Set(identityIds);
  for (const g of groups) {
    if (!wanted.has(g.identityId)) continue;
    const requests = g._sum.requests ?? 0;
    result.set(g.identityId, {
      totalCostUsd: microsToUsd(g._sum.costMicros ?? 0n),
      totalTokens: Number((g._sum.inputTokens ?? 0n) + (g._sum.outputTokens ?? 0n)),
      totalRequests: requests,
      errorRate: requests > 0 ? (g._sum.errors ?? 0) / requests : 0,
      unpricedRequests: g._sum.unpricedRequests ?? 0,
    });
  }
  return result;
}
