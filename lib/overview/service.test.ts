import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { encodeTime } from 'ulid';
import { unitDatabases, type UnitDb } from '../../tests/support/unit-db';
import { newId } from '../ids';
import { addUtcDays, startOfUtcDay } from '../time/periods';
import {
  getBudgetsAtRisk,
  getRecentRefusals,
  getSpendSplit,
  getTopIdentities,
  getUsageSeries,
  hasAnyUsage,
  overviewWindow,
  splitWork,
} from './service';

// The Overview's numbers against raw sums of the seeded events, on real migrated SQLite and PostgreSQL databases.

const NOW = new Date('2026-03-15T13:30:00Z');
const DAY_MS = 86_400_000;

type Ev = {
  identity: number;
  occurredAt: Date;
  provider: string | null;
  model: string | null;
  inputTokens: number;
  outputTokens: number;
  costMicros: bigint | null;
  status: 'success' | 'error';
};

/** Deterministic pseudo-random events over the last 100 days, plus the edges of the 7-day window. */
function makeEvents(): Ev[] {
  let seed = 7;
  const rand = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const models: [string | null, string | null][] = [['openai', 'gpt-4o'], ['openai', 'gpt-4o-mini'], ['anthropic', 'claude-3-5-sonnet'], [null, null], ['custom', null]];
  const events: Ev[] = [];
  for (let i = 0; i < 400; i++) {
    const [provider, model] = models[Math.floor(rand() * models.length)];
    const priced = rand() > 0.1;
    events.push({
      identity: Math.floor(rand() * 14),
      occurredAt: new Date(NOW.getTime() - Math.floor(rand() * 100 * DAY_MS)),
      provider,
      model,
      inputTokens: Math.floor(rand() * 5000),
      outputTokens: Math.floor(rand() * 2000),
      costMicros: priced ? BigInt(Math.floor(rand() * 90_000_000)) : null,
      status: rand() > 0.85 ? 'error' : 'success',
    });
  }
  const seven = overviewWindow(7, NOW);
  const edge = (t: Date, identity: number): Ev => ({ identity, occurredAt: t, provider: 'openai', model: 'gpt-4o', inputTokens: 10, outputTokens: 5, costMicros: 1_234_567n, status: 'success' });
  events.push(edge(seven.since, 1), edge(new Date(seven.since.getTime() - 1), 2), edge(new Date(seven.until.getTime() - 1), 3), edge(seven.until, 4));
  return events;
}

function rawSums(events: Ev[], since: Date, until: Date) {
  const inRange = events.filter((e) => e.occurredAt >= since && e.occurredAt < until);
  return {
    events: inRange,
    costMicros: inRange.reduce((s, e) => s + (e.costMicros ?? 0n), 0n),
    requests: inRange.length,
    errors: inRange.filter((e) => e.status === 'error').length,
    unpricedRequests: inRange.filter((e) => e.costMicros === null).length,
    tokens: inRange.reduce((s, e) => s + e.inputTokens + e.outputTokens, 0),
  };
}

describe.each(unitDatabases())('Overview on $name', ({ open }) => {
  let database: UnitDb;
  const workspaceId = `ws_${newId()}`;
  const emptyWorkspaceId = `ws_${newId()}`;
  const identityIds: string[] = [];
  const events = makeEvents();

  beforeAll(async () => {
    database = await open();
    const c = database.client;
    await c.workspace.createMany({ data: [{ id: workspaceId, slug: workspaceId, name: 'Main' }, { id: emptyWorkspaceId, slug: emptyWorkspaceId, name: 'Empty' }] });
    for (let i = 0; i < 14; i++) {
      const id = newId();
      identityIds.push(id);
      await c.identity.create({ data: { id, workspaceId, externalId: `user-${i}`, displayName: i % 2 ? `User ${i}` : null, sortName: `user-${i}`, source: 'api' } });
    }
    await c.usageEvent.createMany({
      data: events.map((e, i) => ({
        id: newId(),
        workspaceId,
        identityId: identityIds[e.identity],
        eventKey: `e${i}`,
        occurredAt: e.occurredAt,
        provider: e.provider,
        model: e.model,
        inputTokens: e.inputTokens,
        outputTokens: e.outputTokens,
        totalTokens: e.inputTokens + e.outputTokens,
        costMicros: e.costMicros,
        priced: e.costMicros !== null,
        status: e.status,
        source: 'usage',
      })),
    });
    // The rollup as ingest keeps it: one row per identity and UTC day.
    const rollup = new Map<string, { identityId: string; day: Date; requests: number; errors: number; unpricedRequests: number; inputTokens: bigint; outputTokens: bigint; costMicros: bigint }>();
    for (const e of events) {
      const day = startOfUtcDay(e.occurredAt);
      const key = `${e.identity}|${day.getTime()}`;
      const r = rollup.get(key) ?? { identityId: identityIds[e.identity], day, requests: 0, errors: 0, unpricedRequests: 0, inputTokens: 0n, outputTokens: 0n, costMicros: 0n };
      r.requests += 1;
      r.errors += e.status === 'error' ? 1 : 0;
      r.unpricedRequests += e.costMicros === null ? 1 : 0;
      r.inputTokens += BigInt(e.inputTokens);
      r.outputTokens += BigInt(e.outputTokens);
      r.costMicros += e.costMicros ?? 0n;
      rollup.set(key, r);
    }
    await c.usageDaily.createMany({ data: [...rollup.values()].map((r) => ({ ...r, workspaceId })) });
  });
  afterAll(async () => {
    await database?.drop();
  });

  test.each([7, 30, 90])('%i days: totals and each day equal raw sums of the events', async (days) => {
    const window = overviewWindow(days, NOW);
    expect(window.until).toEqual(new Date('2026-03-16T00:00:00Z'));
    expect(window.since).toEqual(addUtcDays(new Date('2026-03-15T00:00:00Z'), -(days - 1)));
    const { totals, days: series } = await getUsageSeries(database.client, workspaceId, window);
    const raw = rawSums(events, window.since, window.until);
    expect(totals).toEqual({ costMicros: raw.costMicros, requests: raw.requests, errors: raw.errors, unpricedRequests: raw.unpricedRequests, tokens: raw.tokens });
    expect(series).toHaveLength(days);
    expect(series[0].day).toBe(window.since.toISOString().slice(0, 10));
    expect(series.at(-1)?.day).toBe('2026-03-15');
    for (const point of series) {
      const start = new Date(`${point.day}T00:00:00Z`);
      const r = rawSums(events, start, addUtcDays(start, 1));
      expect({ day: point.day, cost: point.costMicros, requests: point.requests, errors: point.errors, tokens: point.tokens }).toEqual({
        day: point.day,
        cost: r.costMicros,
        requests: r.requests,
        errors: r.errors,
        tokens: r.tokens,
      });
    }
  });

  test('range boundaries: the first day’s midnight and the last millisecond of today count, a millisecond outside does not', async () => {
    const window = overviewWindow(7, NOW);
    const { totals } = await getUsageSeries(database.client, workspaceId, window);
    const inside = rawSums(events, window.since, window.until);
    const wider = rawSums(events, new Date(window.since.getTime() - 1), new Date(window.until.getTime() + 1));
    expect(totals.requests).toBe(inside.requests);
    // The two outside edge events are exactly the difference.
    expect(wider.requests - inside.requests).toBe(2);
    const split = await getSpendSplit(database.client, workspaceId, (await getUsageSeries(database.client, workspaceId, window)).days);
    expect(split.byModel.reduce((s, m) => s + m.requests, 0)).toBe(inside.requests);
  });

  test.each([7, 30, 90])('%i days: spend by model and by provider equal raw sums (null provider and model kept)', async (days) => {
    const window = overviewWindow(days, NOW);
    const { byModel, byProvider, trafficDays, coveredDays } = await getSpendSplit(database.client, workspaceId, (await getUsageSeries(database.client, workspaceId, window)).days);
    expect(coveredDays).toBe(trafficDays);
    const raw = rawSums(events, window.since, window.until).events;
    const expectModels = new Map<string, { cost: bigint; requests: number; tokens: number }>();
    const expectProviders = new Map<string, { cost: bigint; requests: number; tokens: number }>();
    for (const e of raw) {
      for (const [map, key] of [[expectModels, `${e.provider}/${e.model}`], [expectProviders, `${e.provider}`]] as const) {
        const v = map.get(key) ?? { cost: 0n, requests: 0, tokens: 0 };
        v.cost += e.costMicros ?? 0n;
        v.requests += 1;
        v.tokens += e.inputTokens + e.outputTokens;
        map.set(key, v);
      }
    }
    expect(new Map(byModel.map((m) => [`${m.provider}/${m.model}`, { cost: m.costMicros, requests: m.requests, tokens: m.tokens }]))).toEqual(expectModels);
    expect(new Map(byProvider.map((p) => [`${p.provider}`, { cost: p.costMicros, requests: p.requests, tokens: p.tokens }]))).toEqual(expectProviders);
    // Biggest spend first.
    const costs = byModel.map((m) => m.costMicros);
    expect([...costs].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0))).toEqual(costs);
  });

  test('spend split: days grouped in the background when over budget, regrouped when the rollup changes', async () => {
    const c = database.client;
    const ws = `ws_${newId()}`;
    await c.workspace.create({ data: { id: ws, slug: ws, name: 'Split' } });
    const identityId = newId();
    await c.identity.create({ data: { id: identityId, workspaceId: ws, externalId: 'split-user', sortName: 'split-user', source: 'api' } });
    const window = overviewWindow(7, NOW);
    const add = async (key: string, at: Date, model: string, costMicros: bigint) => {
      await c.usageEvent.create({ data: { id: newId(), workspaceId: ws, identityId, eventKey: key, occurredAt: at, provider: 'openai', model, inputTokens: 1, outputTokens: 1, totalTokens: 2, costMicros, priced: true, status: 'success', source: 'usage' } });
      const day = startOfUtcDay(at);
      await c.usageDaily.upsert({
        where: { identityId_day: { identityId, day } },
        create: { identityId, day, workspaceId: ws, requests: 1, inputTokens: 1n, outputTokens: 1n, costMicros },
        update: { requests: { increment: 1 }, inputTokens: { increment: 1n }, outputTokens: { increment: 1n }, costMicros: { increment: costMicros } },
      });
    };
    await add('a', new Date('2026-03-10T10:00:00Z'), 'gpt-4o', 1_000_000n);
    await add('b', new Date('2026-03-14T10:00:00Z'), 'gpt-4o', 2_000_000n);
    const series = async () => (await getUsageSeries(c, ws, window)).days;
    // No time at all: nothing grouped now, both days in the background.
    expect(await getSpendSplit(c, ws, await series(), { budgetMs: 0 })).toMatchObject({ byModel: [], trafficDays: 2, coveredDays: 0 });
    await splitWork(ws);
    const warm = await getSpendSplit(c, ws, await series(), { budgetMs: 0 });
    expect(warm).toMatchObject({ trafficDays: 2, coveredDays: 2 });
    expect(warm.byModel.map((m) => [m.model, m.costMicros, m.requests])).toEqual([['gpt-4o', 3_000_000n, 2]]);
    // A late event on a cached day changes its rollup: that day is grouped again.
    await add('c', new Date('2026-03-10T11:00:00Z'), 'gpt-4o-mini', 5_000_000n);
    const after = await getSpendSplit(c, ws, await series());
    expect(after.byModel.map((m) => [m.model, m.costMicros, m.requests])).toEqual([['gpt-4o-mini', 5_000_000n, 1], ['gpt-4o', 3_000_000n, 2]]);
    expect(after.coveredDays).toBe(2);
  });

  test('top identities: ranked by spend over the window, with their raw sums', async () => {
    const window = overviewWindow(30, NOW);
    const top = await getTopIdentities(database.client, workspaceId, window, 5);
    const raw = rawSums(events, window.since, window.until).events;
    const per = new Map<number, { cost: bigint; requests: number; errors: number; tokens: number }>();
    for (const e of raw) {
      const v = per.get(e.identity) ?? { cost: 0n, requests: 0, errors: 0, tokens: 0 };
      v.cost += e.costMicros ?? 0n;
      v.requests += 1;
      v.errors += e.status === 'error' ? 1 : 0;
      v.tokens += e.inputTokens + e.outputTokens;
      per.set(e.identity, v);
    }
    const expected = [...per.entries()].sort((a, b) => (a[1].cost === b[1].cost ? 0 : a[1].cost > b[1].cost ? -1 : 1)).slice(0, 5);
    expect(top.map((t) => ({ id: t.identity.id, cost: t.costMicros, requests: t.requests, errors: t.errors, tokens: t.tokens }))).toEqual(
      expected.map(([i, v]) => ({ id: identityIds[i], ...v })),
    );
    expect(top[0].identity.externalId).toMatch(/^user-\d+$/);
  });

  test('budgets near or over their limit: current window only, live budgets only, fullest first', async () => {
    const c = database.client;
    const monthStart = BigInt(Date.UTC(2026, 2, 1));
    const lastMonth = BigInt(Date.UTC(2026, 1, 1));
    const dayStart = BigInt(Date.UTC(2026, 2, 15));
    const make = async (
      name: string,
      fields: { period: string; amountMicros?: bigint; tokenLimit?: bigint; isActive?: boolean; expiresAt?: Date; lastResetAt?: Date; identity?: number },
      counters: { windowStartMs: bigint; spentMicros?: bigint; reservedMicros?: bigint; tokens?: bigint }[],
    ) => {
      const id = `${name}-${newId()}`;
      await c.budget.create({
        data: {
          id,
          workspaceId,
          scopeKind: fields.identity !== undefined ? 'identity' : 'model',
          scopeTargetId: fields.identity !== undefined ? `user-${fields.identity}` : `openai/${name}`,
          identityId: fields.identity !== undefined ? identityIds[fields.identity] : null,
          period: fields.period,
          amountMicros: fields.amountMicros ?? null,
          tokenLimit: fields.tokenLimit ?? null,
          isActive: fields.isActive ?? true,
          expiresAt: fields.expiresAt ?? null,
          lastResetAt: fields.lastResetAt ?? null,
        },
      });
      for (const k of counters) await c.budgetCounter.create({ data: { budgetId: id, ...k } });
      return id;
    };
    const over = await make('over', { period: 'monthly', amountMicros: 10_000_000n, identity: 3 }, [{ windowStartMs: monthStart, spentMicros: 12_000_000n }]);
    const near = await make('near', { period: 'daily', amountMicros: 10_000_000n }, [{ windowStartMs: dayStart, spentMicros: 7_000_000n, reservedMicros: 1_000_000n }]);
    const tokens = await make('tokens', { period: 'monthly', tokenLimit: 1000n }, [{ windowStartMs: monthStart, tokens: 900n }]);
    // Both limits: near by its tokens (85 %), not by its dollars (10 %).
    const both = await make('both', { period: 'monthly', amountMicros: 10_000_000n, tokenLimit: 1000n }, [{ windowStartMs: monthStart, spentMicros: 1_000_000n, tokens: 850n }]);
    const exact = await make('exact', { period: 'monthly', amountMicros: 100n }, [{ windowStartMs: monthStart, spentMicros: 80n }]);
    await make('half', { period: 'monthly', amountMicros: 10_000_000n }, [{ windowStartMs: monthStart, spentMicros: 5_000_000n }]);
    await make('below', { period: 'monthly', amountMicros: 100n }, [{ windowStartMs: monthStart, spentMicros: 79n }]);
    await make('last-month', { period: 'monthly', amountMicros: 10_000_000n }, [{ windowStartMs: lastMonth, spentMicros: 20_000_000n }, { windowStartMs: monthStart, spentMicros: 1n }]);
    await make('paused', { period: 'monthly', amountMicros: 10_000_000n, isActive: false }, [{ windowStartMs: monthStart, spentMicros: 20_000_000n }]);
    await make('expired', { period: 'monthly', amountMicros: 10_000_000n, expiresAt: new Date('2026-03-10T00:00:00Z') }, [{ windowStartMs: monthStart, spentMicros: 20_000_000n }]);
    // Reset on the 10th: the month's first counter is full, the one since the reset is not.
    const reset = new Date('2026-03-10T08:00:00Z');
    await make('reset', { period: 'monthly', amountMicros: 10_000_000n, lastResetAt: reset }, [{ windowStartMs: monthStart, spentMicros: 20_000_000n }, { windowStartMs: BigInt(reset.getTime()), spentMicros: 1_000_000n }]);
    const oneTime = await make('one-time', { period: 'one_time', amountMicros: 10_000_000n }, [{ windowStartMs: 0n, spentMicros: 9_000_000n }]);
    // A one-time budget counts from its creation: created now, its window key is its createdAt.
    const created = await c.budget.findUniqueOrThrow({ where: { id: oneTime } });
    await c.budgetCounter.update({ where: { budgetId_windowStartMs: { budgetId: oneTime, windowStartMs: 0n } }, data: { windowStartMs: BigInt(created.createdAt.getTime()) } });

    const { rows, more } = await getBudgetsAtRisk(c, workspaceId, NOW);
    expect(rows.map((r) => r.budget.id)).toEqual([over, oneTime, tokens, both, exact, near]);
    expect(more).toBe(false);
    expect(rows[0].status.exceeded).toBe(true);
    expect(rows[0].identity?.externalId).toBe('user-3');
    expect(rows.map((r) => Math.round(r.status.fullestPercent))).toEqual([120, 90, 90, 85, 80, 80]);
    const limited = await getBudgetsAtRisk(c, workspaceId, NOW, 2);
    expect(limited.rows.map((r) => r.budget.id)).toEqual([over, oneTime]);
    expect(limited.more).toBe(true);
    expect((await getBudgetsAtRisk(c, emptyWorkspaceId, NOW)).rows).toEqual([]);
  });

  test('recent refusals: newest first within the window, with their identity; total counts the window', async () => {
    const c = database.client;
    const window = overviewWindow(7, NOW);
    const budgetId = newId();
    await c.budget.create({ data: { id: budgetId, workspaceId, scopeKind: 'identity', scopeTargetId: 'user-5', identityId: identityIds[5], period: 'monthly', amountMicros: 1n } });
    // Ids minted at the time of each refusal, as ULIDs are.
    const idAt = (t: Date, n: number) => `${encodeTime(t.getTime(), 10)}${String(n).padStart(16, '0')}`;
    const times = [new Date(window.since.getTime() - 1), window.since, new Date('2026-03-12T10:00:00Z'), new Date('2026-03-15T13:00:00Z')];
    await c.budgetRefusal.createMany({
      data: times.map((at, i) => ({
        id: idAt(at, i),
        workspaceId,
        at,
        budgetId,
        scopeKind: 'identity',
        scopeTargetId: 'user-5',
        code: i === 2 ? 'rate_limited' : 'budget_exceeded',
        identityId: identityIds[5],
        provider: 'openai',
        model: 'gpt-4o',
      })),
    });
    const { rows, total } = await getRecentRefusals(c, workspaceId, window);
    expect(total).toBe(3);
    expect(rows.map((r) => r.at)).toEqual([times[3], times[2], times[1]]);
    expect(rows[1]).toMatchObject({ code: 'rate_limited', scopeKind: 'identity', scopeTargetId: 'user-5', model: 'gpt-4o', identity: { id: identityIds[5], externalId: 'user-5' } });
    expect((await getRecentRefusals(c, workspaceId, window, 1)).rows).toHaveLength(1);
  });

  test('an empty workspace: no usage, zero-filled days, nothing to rank', async () => {
    const window = overviewWindow(30, NOW);
    expect(await hasAnyUsage(database.client, emptyWorkspaceId)).toBe(false);
    expect(await hasAnyUsage(database.client, workspaceId)).toBe(true);
    const { totals, days } = await getUsageSeries(database.client, emptyWorkspaceId, window);
    expect(totals).toEqual({ costMicros: 0n, requests: 0, errors: 0, unpricedRequests: 0, tokens: 0 });
    expect(days).toHaveLength(30);
    expect(await getSpendSplit(database.client, emptyWorkspaceId, days)).toEqual({ byModel: [], byProvider: [], trafficDays: 0, coveredDays: 0 });
    expect(await getTopIdentities(database.client, emptyWorkspaceId, window)).toEqual([]);
    expect(await getRecentRefusals(database.client, emptyWorkspaceId, window)).toEqual({ rows: [], total: 0 });
  });
});
