// The read paths issue 9 made cheap at scale, against a database of their own (SQLite, or PostgreSQL when
// TOLLBOOTH_TEST_POSTGRES_URL names a server): the metric ranking stays exact as time moves (days leaving the
// window, a clock stepping back, usage added after the window was built), and the hot queries' plans use their indexes.
import { describe, expect, test } from 'vitest';
import { withInProcessLib } from './support/in-process-db';
import { systemActor } from '../lib/audit/actor';
import { Prisma } from '../lib/generated/prisma/client';

const ctx = withInProcessLib('scale-read', async () => ({
  ...(await import('../lib/identities/service')),
  ...(await import('../lib/usage/service')),
  ...(await import('../lib/usage/schema')),
  ...(await import('../lib/identities/ranking')),
  ...(await import('../lib/usage/metrics')),
  ...(await import('../lib/usage/totals')),
  ...(await import('../lib/usage/window-totals')),
  ...(await import('../lib/identities/search')),
}));
const isPg = ctx.database.isPg;

const HOUR = 3_600_000;
const T0 = new Date('2026-03-10T15:30:00.000Z');
const METRICS = ['requests', 'cost', 'tokens', 'error_rate'] as const;

/** The ranking as the list shows it: every identity's displayed 30-day metric, sorted, ties by id (newest first). */
async function expectedRanking(metric: (typeof METRICS)[number], order: 'asc' | 'desc', now: Date, ids: string[]) {
  const metrics = await ctx.lib.getIdentityMetrics(ctx.workspaceId, ids, now);
  const value = (id: string) => {
    const m = metrics.get(id);
    if (!m) return 0;
    return metric === 'requests' ? m.totalRequests : metric === 'cost' ? Number(m.totalCostMicros) : metric === 'tokens' ? m.totalTokens : m.errorRate;
  };
  return [...ids].sort((a, b) => (value(a) - value(b)) * (order === 'asc' ? 1 : -1) || (a < b ? 1 : a > b ? -1 : 0));
}

async function checkRankings(now: Date, ids: string[], filter: { tags?: string[]; search?: string } = {}) {
  for (const metric of METRICS) {
    for (const order of ['desc', 'asc'] as const) {
      const expected = await expectedRanking(metric, order, now, ids);
      // Pages of 4 stitched together equal the whole ranking.
      const pages: string[] = [];
      for (let offset = 0; offset < ids.length + 4; offset += 4) pages.push(...(await ctx.lib.rankIdentityIds(ctx.workspaceId, { ...filter, metric, order, limit: 4, offset }, now)));
      expect(pages, `${metric} ${order} at ${now.toISOString()}`).toEqual(expected);
    }
  }
  // The Studio's ranked page takes each identity's metrics from the window totals: the same numbers as the rollup
  // and raw events give, unpriced requests included (identities without usage have none).
  const ranked = await ctx.lib.rankIdentitiesWithMetrics(ctx.workspaceId, { ...filter, metric: 'cost', order: 'desc', limit: ids.length + 2, offset: 0 }, now);
  expect(ranked.ids).toEqual(await expectedRanking('cost', 'desc', now, ids));
  const exact = await ctx.lib.getIdentityMetrics(ctx.workspaceId, ids, now);
  for (const id of ids) {
    const m = exact.get(id);
    if (m && m.totalRequests > 0) expect(ranked.metrics.get(id), `${id} at ${now.toISOString()}`).toEqual(m);
    else expect(ranked.metrics.get(id)?.totalRequests ?? 0).toBe(0);
  }
}

const ids: string[] = [];
let tagged: string[] = [];

describe('metric ranking', () => {
  test('stays exact as time moves, days leave the window and the clock steps back', async () => {
    // 14 identities: the first 6 tagged "gold"; two never have usage.
    for (let i = 0; i < 14; i++) {
      const identity = await ctx.lib.createIdentity(ctx.workspaceId, systemActor('test'), { externalId: `rank-${i}`, displayName: `Rank ${i}`, tags: i < 6 ? ['gold'] : ['plain'] }, { source: 'api', now: T0 });
      ids.push(identity.id);
    }
    tagged = ids.slice(0, 6);
    // Events every 5 h over 36 days back, a few ahead of the clock (tomorrow); costs, tokens and errors vary.
    const events = Array.from({ length: 180 }, (_, k) => ({
      event_id: `rank-ev-${k}`,
      external_id: `rank-${(k * 7) % 12}`,
      provider: 'openai',
      model: k % 9 === 0 ? 'no-such-model' : 'gpt-4o',
      input_tokens: 10 + ((k * 13) % 90),
      output_tokens: 5 + ((k * 3) % 40),
      status: k % 5 === 0 || k % 11 === 0 ? 'error' : 'success',
      timestamp: new Date(T0.getTime() + 12 * HOUR - k * 5 * HOUR).toISOString(),
    }));
    const records = events.map((e) => ctx.lib.toUsageRecord(ctx.lib.usageEventSchema.parse(e)));
    await ctx.lib.ingestUsage(ctx.workspaceId, records, T0);

    // Forward in steps (within the day, over midnight, whole days, past every event), then back.
    const steps = [0, 3 * HOUR, 9 * HOUR, 24 * HOUR, 29 * HOUR, 4 * 24 * HOUR, 12 * 24 * HOUR, 30 * 24 * HOUR, 37 * 24 * HOUR, 2 * 24 * HOUR, -HOUR];
    for (const step of steps) await checkRankings(new Date(T0.getTime() + step), ids);
  });

  test('filters by tag and search on the same ranking', async () => {
    const now = new Date(T0.getTime() + 5 * 24 * HOUR);
    await checkRankings(now, tagged, { tags: ['gold'] });
    const one = ids[3];
    await checkRankings(now, [one], { search: 'rank 3' });
  });

  test('usage written through bumpWindowTotalsTx (as ingest does) counts at once', async () => {
    const now = new Date(T0.getTime() + 6 * 24 * HOUR);
    await checkRankings(now, ids); // the window stands at `now`
    // Like an ingest batch: events and rollups, then the window totals, in one transaction.
    const rows = Array.from({ length: 12 }, (_, k) => ({
      id: `direct-${k}`,
      workspaceId: ctx.workspaceId,
      identityId: ids[k % 13],
      eventKey: `direct-${k}`,
      occurredAt: new Date(now.getTime() - (k * 61 + 30) * HOUR),
      provider: 'openai',
      model: 'gpt-4o',
      inputTokens: 1000 * (k + 1),
      outputTokens: 10,
      totalTokens: 1000 * (k + 1) + 10,
      costMicros: BigInt(50_000 * (k + 1)),
      priced: true,
      status: k % 4 === 0 ? 'error' : 'success',
      source: 'usage',
    }));
    await ctx.lib.db.$transaction(async (tx) => {
      await tx.usageEvent.createMany({ data: rows });
      await ctx.lib.bumpRollups(tx, ctx.workspaceId, rows.map((r) => ({ identityId: r.identityId, occurredAt: r.occurredAt, delta: { inputTokens: r.inputTokens, outputTokens: r.outputTokens, costMicros: r.costMicros, isError: r.status === 'error' } })));
      await ctx.lib.bumpWindowTotalsTx(
        tx,
        ctx.workspaceId,
        rows.map((r) => ({ identityId: r.identityId, occurredAt: r.occurredAt, requests: 1, errors: r.status === 'error' ? 1 : 0, costMicros: r.costMicros, tokens: BigInt(r.totalTokens), unpriced: 0 })),
      );
    });
    await checkRankings(now, ids);
    await checkRankings(new Date(now.getTime() + 20 * 24 * HOUR), ids);
  });

  test('usage ingested after the window was built counts at once', async () => {
    const now = new Date(T0.getTime() + 7 * 24 * HOUR);
    await checkRankings(now, ids);
    const records = Array.from({ length: 20 }, (_, k) =>
      ctx.lib.toUsageRecord(ctx.lib.usageEventSchema.parse({
        event_id: `late-${k}`, external_id: `rank-${k % 13}`, provider: 'openai', model: 'gpt-4o', input_tokens: 5000, output_tokens: 100,
        status: k % 3 === 0 ? 'error' : 'success', timestamp: new Date(now.getTime() - k * 20 * HOUR).toISOString(),
      })),
    );
    await ctx.lib.ingestUsage(ctx.workspaceId, records, now);
    await checkRankings(now, ids);
  });

  test('pending window deltas are folded by the writer or the next reader; an identity deleted meanwhile takes its own', async () => {
    const now = new Date(T0.getTime() + 7 * 24 * HOUR);
    const pending = async () => Number((await ctx.lib.db.$queryRaw<{ n: unknown }[]>`SELECT COUNT(*) AS n FROM "WindowTotalDelta" WHERE "workspaceId" = ${ctx.workspaceId}`)[0].n);
    const ingest = (prefix: string, externalIds: string[]) =>
      ctx.lib.ingestUsage(
        ctx.workspaceId,
        externalIds.map((externalId, k) =>
          ctx.lib.toUsageRecord(ctx.lib.usageEventSchema.parse({
            event_id: `${prefix}-${k}`, external_id: externalId, provider: 'openai', model: 'gpt-4o', input_tokens: 700 * (k + 1), output_tokens: 30,
            status: k === 1 ? 'error' : 'success', timestamp: new Date(now.getTime() - (k + 1) * 5 * HOUR).toISOString(),
          })),
        ),
        now,
      );
    await checkRankings(now, ids);
    // Folded by the writer's fold (what the ingest schedules a second after a batch), without moving the window.
    await ingest('fold', ['rank-1', 'rank-2', 'rank-3', 'rank-1']);
    await ctx.lib.foldWindowDeltas(ctx.workspaceId);
    expect(await pending()).toBe(0);
    await checkRankings(now, ids);
    // An identity whose usage is still pending is deleted: its deltas go with it, the reader folds the rest.
    const [doomed] = await ingest('doomed', ['rank-doomed', 'rank-4', 'rank-5']);
    await ctx.lib.db.identity.delete({ where: { id: doomed.identityId } });
    await checkRankings(now, ids);
    expect(await pending()).toBe(0);
  });

  test('lists the workspace tags from the index, in order', async () => {
    expect(await ctx.lib.listWorkspaceTags(ctx.workspaceId)).toEqual(['gold', 'plain']);
  });
});

/** Sequential scans ruled out on PostgreSQL, so small tables show their index. */
const plan = (sql: string, params: unknown[]) => ctx.database.plan(sql, params, 'SET enable_seqscan = off');

describe('query plans of the hot read paths', () => {
  const ws = () => ctx.workspaceId;
  test('the default list walks the (workspaceId, id) index, unsorted', async () => {
    const p = await plan(`SELECT "id" FROM "Identity" WHERE "workspaceId" = $1 ORDER BY "id" DESC LIMIT 51`, [ws()]);
    if (isPg) expect(p).toMatch(/Index (Only )?Scan Backward using "?Identity_(workspaceId_id_idx|pkey)/);
    else expect(p).toMatch(/USING (COVERING )?INDEX Identity_workspaceId_id_idx/);
    expect(p).not.toMatch(/TEMP B-TREE|Sort/);
  });

  test('a metric ranking reads its totals index in order', async () => {
    // A test-sized table (analyzed after its first build) may get a scan of another index and a sort; at scale the
    // ordered index is the only sensible plan: sorts are ruled out too, so the plan shows that index serves the order.
    const p = await ctx.database.plan(
      `SELECT w."identityId" FROM "IdentityWindowTotal" w WHERE w."workspaceId" = $1 AND w."costMicros" > 0 ORDER BY w."costMicros" DESC, w."identityId" DESC LIMIT 50`,
      [ws()],
      'SET enable_seqscan = off; SET enable_bitmapscan = off; SET enable_sort = off',
    );
    expect(p).toMatch(/IdentityWindowTotal_workspaceId_costMicros_identityId_idx/);
    expect(p).not.toMatch(/TEMP B-TREE|Sort/);
  });

  test('the daily series reads one identity by its key', async () => {
    const p = await plan(`SELECT * FROM "UsageDaily" WHERE "identityId" = $1 AND "day" >= $2 AND "day" <= $3`, [ids[0], '2026-02-01', '2026-03-01']);
    if (isPg) expect(p).toMatch(/UsageDaily_pkey/);
    else expect(p).toMatch(/sqlite_autoindex_UsageDaily_1 \(identityId=\? AND day>\? AND day<\?\)/);
  });

  test("a page's 30-day metrics read each identity's partial first day by its key, and no table whole", async () => {
    const now = new Date(T0.getTime() + 3 * HOUR);
    const q = ctx.lib.usageTotalsQuery({ workspaceId: ws(), identityIds: ids.slice(0, 3) }, ctx.lib.metricsWindowStart(now), ctx.lib.metricsWindow(now).until);
    if (!q) throw new Error('expected a statement');
    const p = await ctx.database.plan(
      isPg ? q.text : q.sql,
      q.values.map((v) => (v instanceof Date ? v.toISOString().replace('Z', '+00:00') : v)),
      'SET enable_seqscan = off; SET enable_bitmapscan = off',
    );
    if (isPg) {
      // The rollup's index depends on its size: a test-sized one is read through its (workspaceId, day) index's days;
      // the statement names the identities first, as the ORM's group-by it replaced did, for a large one's key.
      expect(p).toMatch(/UsageEvent_\w*identityId_occurredAt_idx/);
      expect(p).toMatch(/Index Scan using "UsageDaily_(pkey|workspaceId_day_idx)"/);
    } else {
      expect(p).toMatch(/UsageDaily USING (COVERING )?INDEX sqlite_autoindex_UsageDaily_1 \(identityId=\? AND day>\? AND day<\?\)/);
      expect(p).toMatch(/UsageEvent USING INDEX UsageEvent_identityId_occurredAt_idx \(identityId=\? AND occurredAt>\? AND occurredAt<\?\)/);
    }
    expect(p).not.toMatch(/Seq Scan|SCAN UsageEvent|SCAN UsageDaily/);
  });

  test('the tag list seeks the (workspaceId, tag) index', async () => {
    const p = await plan(`SELECT MIN("tag") FROM "IdentityTag" WHERE "workspaceId" = $1 AND "tag" > $2`, [ws(), 'a']);
    expect(p).toMatch(/IdentityTag_workspaceId_tag_idx/);
  });

  test.runIf(isPg)('search reads the trigram indexes', async () => {
    const p = await plan(`SELECT "id" FROM "Identity" WHERE "displayName" ILIKE $1 OR "email" ILIKE $1 OR "externalId" ILIKE $1`, ['%rank 3%']);
    expect(p).toMatch(/Identity_displayName_trgm_idx/);
    expect(p).toMatch(/Identity_externalId_trgm_idx/);
  });

  test.skipIf(isPg)('search of 3 or more characters reads the FTS index, and the list only the identities it found', async () => {
    const lookup = ctx.lib.indexedSearchQuery(ws(), 'rank 3', 501);
    const p = await plan(lookup.sql, lookup.values);
    expect(p).toMatch(/SCAN s VIRTUAL TABLE INDEX \d+:M/);
    expect(p).toMatch(/SEARCH r USING INTEGER PRIMARY KEY \(rowid=\?\)/);

    const found = await ctx.lib.identitySearchSql(ws(), 'RANK 3');
    expect(found?.values).toEqual([ids[3]]);
    const list = Prisma.sql`SELECT i."id" FROM "Identity" i WHERE i."workspaceId" = ${ws()} AND ${found} ORDER BY i."id" DESC LIMIT 51`;
    expect(await plan(list.sql, list.values)).toMatch(/^SEARCH i USING (COVERING )?INDEX \w+ \((workspaceId=\? AND )?id=\?\)$/);
  });
});
