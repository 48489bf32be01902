import 'server-only';
import { encodeTime } from 'ulid';
import type { Db } from '../db';
import { Prisma } from '../generated/prisma/client';
import { addUtcDays, periodStart, startOfUtcDay } from '../time/periods';
import { windowStartOf } from '../budgets/scopes';
import { budgetStatus, counterUsage, type BudgetRow, type BudgetStatus } from '../budgets/status';

// The Overview's read model: workspace totals, a series per day, the spend split by model and provider, the top
// identities, budgets near their limit and recent refusals. Every function takes the Prisma client, so unit tests run
// it on their own databases. Money stays in micro-USD; the page converts.

/** Whole UTC days: from the first day's midnight to tomorrow's (events stamped later today count). */
export type OverviewWindow = { days: number; since: Date; until: Date };

export function overviewWindow(days: number, now: Date): OverviewWindow {
  const today = startOfUtcDay(now);
  return { days, since: addUtcDays(today, -(days - 1)), until: addUtcDays(today, 1) };
}

export type OverviewTotals = { costMicros: bigint; requests: number; errors: number; unpricedRequests: number; tokens: number };

export type OverviewDay = OverviewTotals & { day: string };

const zero = (): OverviewTotals => ({ costMicros: 0n, requests: 0, errors: 0, unpricedRequests: 0, tokens: 0 });

/** Totals and one point per UTC day (zero-filled, oldest first), from the per-identity daily rollup. */
export async function getUsageSeries(client: Db, workspaceId: string, window: OverviewWindow): Promise<{ totals: OverviewTotals; days: OverviewDay[] }> {
  const rows = await client.usageDaily.groupBy({
    by: ['day'],
    where: { workspaceId, day: { gte: window.since, lt: window.until } },
    _sum: { costMicros: true, requests: true, errors: true, unpricedRequests: true, inputTokens: true, outputTokens: true },
  });
  const byDay = new Map(rows.map((r) => [new Date(r.day).toISOString().slice(0, 10), r._sum]));
  const totals = zero();
  const days = Array.from({ length: window.days }, (_, i) => {
    const day = addUtcDays(window.since, i).toISOString().slice(0, 10);
    const s = byDay.get(day);
    const point: OverviewDay = {
      day,
      costMicros: BigInt(s?.costMicros ?? 0n),
      requests: s?.requests ?? 0,
      errors: s?.errors ?? 0,
      unpricedRequests: s?.unpricedRequests ?? 0,
      tokens: Number(BigInt(s?.inputTokens ?? 0n) + BigInt(s?.outputTokens ?? 0n)),
    };
    totals.costMicros += point.costMicros;
    totals.requests += point.requests;
    totals.errors += point.errors;
    totals.unpricedRequests += point.unpricedRequests;
    totals.tokens += point.tokens;
    return point;
  });
  return { totals, days };
}

export type SpendSlice = { provider: string | null; model: string | null; costMicros: bigint; requests: number; tokens: number };
/** `coveredDays` of the `trafficDays` with requests are in the split; the rest are still being aggregated. */
export type SpendSplit = { byModel: SpendSlice[]; byProvider: SpendSlice[]; trafficDays: number; coveredDays: number };

const bySpend = (a: SpendSlice, b: SpendSlice) => (a.costMicros === b.costMicros ? b.requests - a.requests : a.costMicros > b.costMicros ? -1 : 1);

/** One UTC day's split, with the day's totals it was computed from. */
type DaySplit = { requests: number; costMicros: bigint; slices: SpendSlice[] };

// The rollup has no model, so the split groups raw events: at scale a day is ~100k rows. Each day's split is kept
// in memory and reused while the rollup still gives that day the same requests and cost (events and rollup are
// written in one transaction, so any new, deleted or repriced event changes them); only changed days (today, late
// events) are grouped again.
const daySplits = new Map<string, DaySplit>();
const MAX_CACHED_DAYS = 20_000;
const inFlight = new Map<string, Promise<void>>();

async function groupDay(client: Db, workspaceId: string, day: string): Promise<DaySplit> {
  const start = new Date(`${day}T00:00:00.000Z`);
  const groups = await client.usageEvent.groupBy({
    by: ['provider', 'model'],
    where: { workspaceId, occurredAt: { gte: start, lt: addUtcDays(start, 1) } },
    _sum: { costMicros: true, totalTokens: true },
    _count: { _all: true },
  });
  const slices = groups.map((g) => ({
    provider: g.provider,
    model: g.model,
    costMicros: BigInt(g._sum.costMicros ?? 0n),
    requests: g._count._all,
    tokens: Number(g._sum.totalTokens ?? 0),
  }));
  return { requests: slices.reduce((n, x) => n + x.requests, 0), costMicros: slices.reduce((n, x) => n + x.costMicros, 0n), slices };
}

function remember(key: string, split: DaySplit) {
  if (daySplits.size >= MAX_CACHED_DAYS) daySplits.delete(daySplits.keys().next().value as string);
  daySplits.set(key, split);
}

/** Resolves when the days a previous call left to the background are grouped (tests and benchmarks wait on it). */
export const splitWork = (workspaceId: string): Promise<void> => inFlight.get(workspaceId) ?? Promise.resolve();

/**
 * Spend per provider and model over the window's days (`days`: the rollup's series, which says which days have
 * traffic and what each day's totals are). Days are grouped one at a time, newest first, for at most `budgetMs`; days
 * left over are grouped in the background and the answer says how many days it covers.
 */
export async function getSpendSplit(
  client: Db,
  workspaceId: string,
  days: OverviewDay[],
  opts: { budgetMs?: number } = {},
): Promise<SpendSplit> {
  const budgetMs = opts.budgetMs ?? 4_000;
  const started = performance.now();
  const traffic = days.filter((d) => d.requests > 0);
  const fresh = (d: OverviewDay) => {
    const hit = daySplits.get(`${workspaceId}|${d.day}`);
    return hit && hit.requests === d.requests && hit.costMicros === d.costMicros ? hit : null;
  };
  const stale = traffic.filter((d) => !fresh(d)).reverse();
  const computed = new Set<string>();
  let next = 0;
  // Waits for a background run first: it may be grouping these very days.
  await Promise.race([splitWork(workspaceId), new Promise((resolve) => setTimeout(resolve, Math.max(0, budgetMs - (performance.now() - started))))]);
  for (; next < stale.length && performance.now() - started < budgetMs; next++) {
    if (fresh(stale[next])) continue;
    remember(`${workspaceId}|${stale[next].day}`, await groupDay(client, workspaceId, stale[next].day));
    computed.add(stale[next].day);
  }
  const left = stale.slice(next).filter((d) => !fresh(d));
  if (left.length > 0 && !inFlight.has(workspaceId)) {
    const work = (async () => {
      for (const d of left) if (!fresh(d)) remember(`${workspaceId}|${d.day}`, await groupDay(client, workspaceId, d.day));
    })()
      .catch(() => undefined)
      .finally(() => inFlight.delete(workspaceId));
    inFlight.set(workspaceId, work);
  }

  const models = new Map<string, SpendSlice>();
  let coveredDays = 0;
  for (const d of traffic) {
    // A day grouped just now counts even if an ingest since moved the rollup: it is the newer of the two.
    const split = fresh(d) ?? (computed.has(d.day) ? daySplits.get(`${workspaceId}|${d.day}`) : undefined);
    if (!split) continue;
    coveredDays++;
    for (const x of split.slices) {
      const key = `${x.provider ?? ''}\u0000${x.model ?? ''}`;
      const slice = models.get(key) ?? { provider: x.provider, model: x.model, costMicros: 0n, requests: 0, tokens: 0 };
      slice.costMicros += x.costMicros;
      slice.requests += x.requests;
      slice.tokens += x.tokens;
      models.set(key, slice);
    }
  }
  const providers = new Map<string, SpendSlice>();
  for (const m of models.values()) {
    const key = m.provider ?? '';
    const p = providers.get(key) ?? { provider: m.provider, model: null, costMicros: 0n, requests: 0, tokens: 0 };
    p.costMicros += m.costMicros;
    p.requests += m.requests;
    p.tokens += m.tokens;
    providers.set(key, p);
  }
  return { byModel: [...models.values()].sort(bySpend), byProvider: [...providers.values()].sort(bySpend), trafficDays: traffic.length, coveredDays };
}

export type TopIdentity = {
  identity: { id: string; externalId: string; displayName: string | null };
  costMicros: bigint;
  requests: number;
  errors: number;
  tokens: number;
};

/** The identities that spent most over the window (ties: most requests), from the daily rollup. */
export async function getTopIdentities(client: Db, workspaceId: string, window: OverviewWindow, limit = 10): Promise<TopIdentity[]> {
  const groups = await client.usageDaily.groupBy({
    by: ['identityId'],
    where: { workspaceId, day: { gte: window.since, lt: window.until } },
    _sum: { costMicros: true, requests: true, errors: true, inputTokens: true, outputTokens: true },
    orderBy: [{ _sum: { costMicros: 'desc' } }, { _sum: { requests: 'desc' } }, { identityId: 'asc' }],
    take: limit,
  });
  const ids = groups.map((g) => g.identityId);
  const identities = ids.length
    ? await client.identity.findMany({ where: { id: { in: ids } }, select: { id: true, externalId: true, displayName: true } })
    : [];
  const byId = new Map(identities.map((i) => [i.id, i]));
  return groups.flatMap((g) => {
    const identity = byId.get(g.identityId);
    if (!identity) return [];
    return [
      {
        identity,
        costMicros: BigInt(g._sum.costMicros ?? 0n),
        requests: g._sum.requests ?? 0,
        errors: g._sum.errors ?? 0,
        tokens: Number(BigInt(g._sum.inputTokens ?? 0n) + BigInt(g._sum.outputTokens ?? 0n)),
      },
    ];
  });
}

/** Share of a limit from which a budget counts as "near" it, in percent. */
export const NEAR_LIMIT_PERCENT = 80;
/** Candidates read at most; the widget shows the fullest few and says when there are more. */
const AT_RISK_SCAN_LIMIT = 500;

export type BudgetAtRisk = { budget: BudgetRow; status: BudgetStatus; identity: { id: string; externalId: string; displayName: string | null } | null };

/**
 * Live budgets whose current window has used at least 80 % of a USD or token limit (spent + held by calls in
 * flight), fullest first. One statement joins the workspace's budgets to their counters of windows that started in
 * the current period; the exact window (a reset moves it) is checked here.
 */
export async function getBudgetsAtRisk(client: Db, workspaceId: string, now: Date, limit = 10): Promise<{ rows: BudgetAtRisk[]; more: boolean }> {
  const start = (period: 'daily' | 'weekly' | 'monthly' | 'yearly') => BigInt(periodStart(period, now).getTime());
  const candidates = await client.$queryRaw<{ id: string }[]>(Prisma.sql`
    SELECT b."id" FROM "Budget" b JOIN "BudgetCounter" c ON c."budgetId" = b."id"
    WHERE b."workspaceId" = ${workspaceId} AND b."isActive" = true
      AND c."windowStartMs" >= CASE b."period" WHEN 'daily' THEN ${start('daily')} WHEN 'weekly' THEN ${start('weekly')}
        WHEN 'monthly' THEN ${start('monthly')} WHEN 'yearly' THEN ${start('yearly')} ELSE CAST(0 AS BIGINT) END
      AND ((b."amountMicros" > 0 AND (c."spentMicros" + c."reservedMicros") * 100 >= b."amountMicros" * ${NEAR_LIMIT_PERCENT})
        OR (b."tokenLimit" > 0 AND (c."tokens" + c."reservedTokens") * 100 >= b."tokenLimit" * ${NEAR_LIMIT_PERCENT}))
    LIMIT ${AT_RISK_SCAN_LIMIT}`);
  const ids = [...new Set(candidates.map((c) => c.id))];
  if (ids.length === 0) return { rows: [], more: false };
  const budgets = await client.budget.findMany({ where: { id: { in: ids } }, include: { identity: { select: { id: true, externalId: true, displayName: true } } } });
  const counters = await client.budgetCounter.findMany({ where: { budgetId: { in: ids } } });
  const rows: BudgetAtRisk[] = [];
  for (const { identity, ...budget } of budgets) {
    if (budget.expiresAt && budget.expiresAt <= now) continue;
    const since = windowStartOf(budget, now);
    const c = counters.find((k) => k.budgetId === budget.id && Number(k.windowStartMs) === since.getTime());
    if (!c) continue;
    const status = budgetStatus(budget, counterUsage(c, since, null), now);
    if (status.fullestPercent < NEAR_LIMIT_PERCENT && !status.exceeded) continue;
    rows.push({ budget, status, identity });
  }
  rows.sort((a, b) => b.status.fullestPercent - a.status.fullestPercent || a.budget.id.localeCompare(b.budget.id));
  return { rows: rows.slice(0, limit), more: rows.length > limit || candidates.length >= AT_RISK_SCAN_LIMIT };
}

export type RecentRefusal = {
  id: string;
  at: Date;
  code: string;
  scopeKind: string;
  scopeTargetId: string;
  budgetId: string;
  provider: string | null;
  model: string | null;
  identity: { id: string; externalId: string; displayName: string | null } | null;
  apiKey: { id: string; name: string } | null;
};

/** The lowest ULID minted at `t`: refusal ids sort by time, so the range starts as an id range on the (workspaceId, id) index. */
const ulidFloor = (t: Date) => `${encodeTime(t.getTime(), 10)}0000000000000000`;

/** The newest refused calls (429s) in the window and how many there were. */
export async function getRecentRefusals(client: Db, workspaceId: string, window: OverviewWindow, limit = 10): Promise<{ rows: RecentRefusal[]; total: number }> {
  // `at` is the request's time, the id the clock's when it was written (never earlier): the id bounds the index scan.
  const where = { workspaceId, id: { gte: ulidFloor(window.since) }, at: { gte: window.since, lt: window.until } };
  const [rows, total] = await Promise.all([
    client.budgetRefusal.findMany({ where, orderBy: { id: 'desc' }, take: limit }),
    client.budgetRefusal.count({ where }),
  ]);
  const identityIds = [...new Set(rows.flatMap((r) => (r.identityId ? [r.identityId] : [])))];
  const keyIds = [...new Set(rows.flatMap((r) => (r.apiKeyId ? [r.apiKeyId] : [])))];
  const [identities, keys] = await Promise.all([
    identityIds.length ? client.identity.findMany({ where: { id: { in: identityIds } }, select: { id: true, externalId: true, displayName: true } }) : [],
    keyIds.length ? client.apiKey.findMany({ where: { workspaceId, id: { in: keyIds } }, select: { id: true, name: true } }) : [],
  ]);
  const identityById = new Map(identities.map((i) => [i.id, i]));
  const keyById = new Map(keys.map((k) => [k.id, k]));
  return {
    rows: rows.map((r) => ({
      id: r.id,
      at: r.at,
      code: r.code,
      scopeKind: r.scopeKind,
      scopeTargetId: r.scopeTargetId,
      budgetId: r.budgetId,
      provider: r.provider,
      model: r.model,
      identity: r.identityId ? (identityById.get(r.identityId) ?? null) : null,
      apiKey: r.apiKeyId ? (keyById.get(r.apiKeyId) ?? null) : null,
    })),
    total,
  };
}

/** Has the workspace ever recorded usage (the Overview's empty state differs from a quiet range)? */
export async function hasAnyUsage(client: Db, workspaceId: string): Promise<boolean> {
  return (await client.usageDaily.findFirst({ where: { workspaceId }, select: { identityId: true } })) !== null;
}
