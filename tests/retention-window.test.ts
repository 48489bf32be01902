// The retention job (lib/usage/retention.ts) with time injected, against a database of its own (SQLite, or PostgreSQL
// when TOLLBOOTH_TEST_POSTGRES_URL names a server): old raw events go, newer stay, and the 30-day window totals, the
// metrics and the daily rollup stay exact as days leave the window — also for a window last moved before the cutoff.
import { beforeAll, describe, expect, test } from 'vitest';
import { withInProcessLib } from './support/in-process-db';

const ctx = withInProcessLib('retention', async () => ({
  ...(await import('../lib/usage/service')),
  ...(await import('../lib/usage/schema')),
  ...(await import('../lib/identities/ranking')),
  ...(await import('../lib/usage/metrics')),
  ...(await import('../lib/usage/window-totals')),
  ...(await import('../lib/usage/retention')),
  ...(await import('../lib/usage/retention-policy')),
}));

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = new Date('2026-03-10T15:30:00.000Z');

type SeedEvent = { id: string; identity: string; at: Date; costMicros: bigint; tokens: bigint; error: boolean };
const seeded: SeedEvent[] = [];

beforeAll(async () => {
  // 8 identities; an event every 3 h from 70 days before T0 to 12 h after it, plus two on either side of T0's cutoff.
  const cutoff = ctx.lib.retentionCutoff(T0, 32);
  const times = Array.from({ length: (82 * 24) / 3 }, (_, k) => new Date(T0.getTime() + 12 * HOUR - k * 3 * HOUR));
  times.push(new Date(cutoff.getTime() - 1), cutoff, new Date(cutoff.getTime() + 1));
  const wire = times.map((at, k) => ({
    event_id: `ret-${k}`,
    external_id: `ret-${(k * 5) % 8}`,
    provider: 'openai',
    model: 'gpt-4o',
    input_tokens: 10 + ((k * 13) % 90),
    output_tokens: 5 + ((k * 3) % 40),
    cost: ((k % 17) + 1) / 1000,
    status: k % 6 === 0 ? 'error' : 'success',
    timestamp: at.toISOString(),
  }));
  for (let i = 0; i < wire.length; i += 500) {
    const part = wire.slice(i, i + 500);
    await ctx.lib.ingestUsage(ctx.workspaceId, part.map((e) => ctx.lib.toUsageRecord(ctx.lib.usageEventSchema.parse(e))), T0);
  }
  const ids = new Map((await ctx.lib.db.identity.findMany({ select: { id: true, externalId: true } })).map((i) => [i.externalId, i.id]));
  for (const e of wire) {
    seeded.push({
      id: e.event_id,
      identity: ids.get(e.external_id) as string,
      at: new Date(e.timestamp),
      costMicros: BigInt(Math.round(e.cost * 1_000_000)),
      tokens: BigInt(e.input_tokens + e.output_tokens),
      error: e.status === 'error',
    });
  }
}, 120_000);

type Totals = { requests: number; errors: number; costMicros: string; tokens: string };

/** What the window totals must say at `now`, summed from the seeded events themselves (not from the database). */
function expectedTotals(now: Date): Record<string, Totals> {
  const { since, until } = ctx.lib.metricsWindow(now);
  const out: Record<string, { requests: number; errors: number; costMicros: bigint; tokens: bigint }> = {};
  for (const e of seeded) {
    if (e.at < since || e.at >= until) continue;
    const t = (out[e.identity] ??= { requests: 0, errors: 0, costMicros: 0n, tokens: 0n });
    t.requests += 1;
    t.errors += e.error ? 1 : 0;
    t.costMicros += e.costMicros;
    t.tokens += e.tokens;
  }
  return Object.fromEntries(Object.entries(out).map(([id, t]) => [id, { ...t, costMicros: String(t.costMicros), tokens: String(t.tokens) }]));
}

/** The window totals as the ranking reads them, moved to `now`. */
async function windowTotals(now: Date): Promise<Record<string, Totals>> {
  const rows = await ctx.lib.withMetricsWindow(ctx.workspaceId, now, (tx) =>
    tx.$queryRaw<{ identityId: string; requests: number | bigint; errors: number | bigint; costMicros: number | bigint; tokens: number | bigint }[]>`
      SELECT "identityId", "requests", "errors", "costMicros", "tokens" FROM "IdentityWindowTotal" WHERE "workspaceId" = ${ctx.workspaceId} AND "requests" <> 0`,
  );
  return Object.fromEntries(
    rows.map((r) => [r.identityId, { requests: Number(r.requests), errors: Number(r.errors), costMicros: String(r.costMicros), tokens: String(r.tokens) }]),
  );
}

/** The 30-day metrics as the API computes them (rollup plus the raw events of the partial oldest day). */
async function metrics(now: Date): Promise<Record<string, Totals>> {
  const ids = [...new Set(seeded.map((e) => e.identity))];
  const m = await ctx.lib.getIdentityMetrics(ctx.workspaceId, ids, now);
  return Object.fromEntries(
    [...m].filter(([, v]) => v.totalRequests > 0).map(([id, v]) => [id, { requests: v.totalRequests, errors: Math.round(v.errorRate * v.totalRequests), costMicros: String(v.totalCostMicros), tokens: String(v.totalTokens) }]),
  );
}

const rollup = () =>
  ctx.lib.db.usageDaily.findMany({ orderBy: [{ identityId: 'asc' }, { day: 'asc' }] }).then((rows) => rows.map((r) => ({ ...r, day: r.day.toISOString(), inputTokens: String(r.inputTokens), outputTokens: String(r.outputTokens), costMicros: String(r.costMicros) })));

const remainingKeys = async () => (await ctx.lib.db.usageEvent.findMany({ select: { eventKey: true } })).map((r) => r.eventKey).sort();

describe('pruneUsageEvents', () => {
  test('deletes events before UTC midnight N days ago, keeps the rest, and leaves totals, metrics and rollups exact', async () => {
    // The window was last moved 5 days before T0: it starts before T0's cutoff (35 days back), so the job must move it
    // before deleting the raw events that move reads.
    const early = new Date(T0.getTime() - 5 * DAY);
    expect(await windowTotals(early)).toEqual(expectedTotals(early));
    const rollupBefore = await rollup();
    const metricsBefore = await metrics(T0);
    expect(metricsBefore).toEqual(expectedTotals(T0));

    const cutoff = ctx.lib.retentionCutoff(T0, 32);
    expect(cutoff).toEqual(new Date('2026-02-06T00:00:00.000Z'));
    const old = seeded.filter((e) => e.at < cutoff);
    expect(old.length).toBeGreaterThan(100);
    expect(await ctx.lib.pruneUsageEvents(T0, { days: 32, batchSize: 50 })).toBe(old.length);

    expect(await remainingKeys()).toEqual(seeded.filter((e) => e.at >= cutoff).map((e) => e.id).sort());
    expect(await rollup()).toEqual(rollupBefore);
    expect(await metrics(T0)).toEqual(metricsBefore);
    expect(await windowTotals(T0)).toEqual(expectedTotals(T0));
    // Nothing left to delete: a second run deletes nothing.
    expect(await ctx.lib.pruneUsageEvents(T0, { days: 32 })).toBe(0);
  });

  test('stays exact as days pass with hourly runs and no one viewing, then a view, then the clock a little back', async () => {
    const rollupBefore = await rollup();
    // Hourly runs over 3 days (every 7 h here), nobody moving the window in between.
    for (let t = T0.getTime() + HOUR; t <= T0.getTime() + 3 * DAY; t += 7 * HOUR) {
      const now = new Date(t);
      await ctx.lib.pruneUsageEvents(now, { days: 32, batchSize: 13 });
      const cutoff = ctx.lib.retentionCutoff(now, 32);
      expect(await remainingKeys()).toEqual(seeded.filter((e) => e.at >= cutoff).map((e) => e.id).sort());
    }
    for (const step of [3 * DAY + 2 * HOUR, 4 * DAY, 9 * DAY, 9 * DAY - 6 * HOUR]) {
      const now = new Date(T0.getTime() + step);
      await ctx.lib.pruneUsageEvents(now, { days: 32 });
      expect(await windowTotals(now)).toEqual(expectedTotals(now));
      expect(await metrics(now)).toEqual(expectedTotals(now));
    }
    expect(await rollup()).toEqual(rollupBefore);
  });

  test('a window unviewed for longer than the margin is moved by the job, not read from deleted events', async () => {
    const viewed = new Date(T0.getTime() + 10 * DAY);
    expect(await windowTotals(viewed)).toEqual(expectedTotals(viewed));
    // 20 days later, with no one viewing: the window now starts well before the cutoff.
    const now = new Date(viewed.getTime() + 20 * DAY);
    await ctx.lib.pruneUsageEvents(now, { days: 32 });
    expect(await windowTotals(now)).toEqual(expectedTotals(now));
    expect(await metrics(now)).toEqual(expectedTotals(now));
  });

  test('two runs at once delete each event once', async () => {
    const now = new Date(T0.getTime() + 45 * DAY);
    const cutoff = ctx.lib.retentionCutoff(now, 32);
    const due = seeded.filter((e) => e.at >= ctx.lib.retentionCutoff(new Date(T0.getTime() + 30 * DAY), 32) && e.at < cutoff).length;
    expect(due).toBeGreaterThan(15);
    const [a, b] = await Promise.all([ctx.lib.pruneUsageEvents(now, { days: 32, batchSize: 7 }), ctx.lib.pruneUsageEvents(now, { days: 32, batchSize: 7 })]);
    expect(a + b).toBe(due);
    expect(await remainingKeys()).toEqual(seeded.filter((e) => e.at >= cutoff).map((e) => e.id).sort());
    expect(await windowTotals(now)).toEqual(expectedTotals(now));
  });

  test('refuses a period shorter than 32 days', async () => {
    await expect(ctx.lib.pruneUsageEvents(T0, { days: 31 })).rejects.toThrow(/at least 32 days/);
  });
});

// A few hundred rows: a sort is cheaper than any index here, so only the plan's shape is checked (at scale the
// ordered index scan under LIMIT is the cheap one).
const plan = (sql: string, params: unknown[]) => ctx.database.plan(sql, params, 'SET enable_seqscan = off; SET enable_bitmapscan = off; SET enable_sort = off');

describe('the batch delete', () => {
  test('finds its rows by the (workspaceId, occurredAt) index', async () => {
    // PostgreSQL: as lib/usage/retention.ts writes it for the partitioned table (each partition has the index).
    const p = await plan(
      ctx.database.isPg
        ? `DELETE FROM "UsageEvent" WHERE "occurredAt" < $2 AND ("id", "occurredAt") IN (SELECT "id", "occurredAt" FROM "UsageEvent" WHERE "workspaceId" = $1 AND "occurredAt" < $2 ORDER BY "occurredAt" LIMIT 2000 FOR UPDATE SKIP LOCKED)`
        : `DELETE FROM "UsageEvent" WHERE "id" IN (SELECT "id" FROM "UsageEvent" WHERE "workspaceId" = $1 AND "occurredAt" < $2 ORDER BY "occurredAt" LIMIT 2000)`,
      [ctx.workspaceId, ctx.database.isPg ? '2026-02-06T00:00:00.000Z' : '2026-02-06T00:00:00.000+00:00'],
    );
    expect(p).toMatch(ctx.database.isPg ? /UsageEvent_\w*workspaceId_occurredAt_idx/ : /UsageEvent_workspaceId_occurredAt_idx/);
    expect(p).not.toMatch(/TEMP B-TREE|Sort/);
  });
});
