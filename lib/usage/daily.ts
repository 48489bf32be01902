import 'server-only';
import { db } from '../db';
import { addUtcDays, startOfUtcDay } from '../time/periods';

/** One UTC day's usage (an identity's, a deployment's): the charts' points. */
export type DailyUsage = { day: string; costMicros: bigint; requests: number; tokens: number; errors: number };

/** The last `days` UTC days up to `now`'s: the first's and today's midnights and each day's YYYY-MM-DD, oldest first. */
export function lastUtcDays(now: Date, days: number): { first: Date; today: Date; keys: string[] } {
  const today = startOfUtcDay(now);
  const first = addUtcDays(today, -(days - 1));
  return { first, today, keys: Array.from({ length: days }, (_, i) => addUtcDays(first, i).toISOString().slice(0, 10)) };
}

/**
 * One point per UTC day for the last `days` days (zero-filled), oldest first. Only the identity's keys filter the
 * rows (the caller resolved the identity in its workspace): with a workspace term too, SQLite picks the
 * (workspaceId, day) index and walks every identity's rollup.
 */
export async function getDailyUsage(identityId: string, now: Date, days = 30): Promise<DailyUsage[]> {
  const { first, today, keys } = lastUtcDays(now, days);
  const rows = await db.usageDaily.findMany({ where: { identityId, day: { gte: first, lte: today } } });
  const byDay = new Map(rows.map((r) => [r.day.toISOString().slice(0, 10), r]));
  return keys.map((day) => {
    const r = byDay.get(day);
    return {
      day,
      costMicros: r?.costMicros ?? 0n,
      requests: r?.requests ?? 0,
      tokens: r ? Number(r.inputTokens + r.outputTokens) : 0,
      errors: r?.errors ?? 0,
    };
  });
}
