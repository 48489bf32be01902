import 'server-only';
import { addUtcDays, startOfUtcDay } from '../time/periods';
import { getUsageTotals } from './totals';

export const METRICS_WINDOW_DAYS = 30;

export type IdentityMetrics = {
  totalCostMicros: bigint;
  totalTokens: number;
  totalRequests: number;
  /** Failed requests / all requests, 0 when there were none. */
  errorRate: number;
  unpricedRequests: number;
};

export const zeroMetrics = (): IdentityMetrics => ({ totalCostMicros: 0n, totalTokens: 0, totalRequests: 0, errorRate: 0, unpricedRequests: 0 });

/** The metrics an identity shows, from its usage sums (the rollup's, or the window totals'). */
export function identityMetrics(t: { costMicros: bigint; tokens: bigint; requests: number; errors: number; unpriced: number }): IdentityMetrics {
  return {
    totalCostMicros: t.costMicros,
    totalTokens: Number(t.tokens),
    totalRequests: t.requests,
    errorRate: t.requests > 0 ? t.errors / t.requests : 0,
    unpricedRequests: t.unpriced,
  };
}

/** The metrics window: exactly the last 30 days (to the millisecond). */
export const metricsWindowStart = (now: Date) => new Date(now.getTime() - METRICS_WINDOW_DAYS * 86_400_000);

/** The window as a range: up to the end of today, so events stamped a little ahead of this server's clock still count. */
export const metricsWindow = (now: Date) => ({ since: metricsWindowStart(now), until: addUtcDays(startOfUtcDay(now), 1) });

/** 30-day metrics per identity (ids from one workspace), from the daily rollup plus the partial oldest day. */
export async function getIdentityMetrics(workspaceId: string, identityIds: string[], now: Date): Promise<Map<string, IdentityMetrics>> {
  const result = new Map<string, IdentityMetrics>();
  if (identityIds.length === 0) return result;
  const { since, until } = metricsWindow(now);
  const totals = await getUsageTotals({ workspaceId, identityIds }, since, until);
  for (const [identityId, t] of totals) {
    result.set(identityId, identityMetrics({ ...t, tokens: t.inputTokens + t.outputTokens, unpriced: t.unpricedRequests }));
  }
  return result;
}
