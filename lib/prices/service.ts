import 'server-only';
import { isWriteConflict } from '../db-errors';
import { db, dbProvider } from '../db';
import { bumpWindowTotalsTx, foldWindowDeltasSoon } from '../usage/window-totals';
import { lockIdentities } from '../usage/identity-locks';
import { newId } from '../ids';
import { ApiError, fieldError } from '../api/errors';
import type { Prisma } from '../generated/prisma/client';
import { addToCounters, counterKey, type CounterDelta } from '../budgets/counters';
import { budgetApplies, callTarget, windowKeyAt } from '../budgets/scopes';
import { bumpConfigVersion, holdConfigVersion } from '../workspaces/config';
import { priceCall, priceKey, type PriceBook } from '../usage/pricing';
import { holdUsageWriters, pricingJson } from '../usage/service';
import { startOfUtcDay } from '../time/periods';
import type { PriceChange } from './schema';
import type { PriceRow } from './serialize';
import { recordAudit, recordUpdate } from '../audit/service';
import { priceSnapshot } from '../audit/snapshots';
import type { Actor } from '../audit/actor';

export type { PriceRow };

export async function listPrices(workspaceId: string): Promise<PriceRow[]> {
  return db.modelPrice.findMany({ where: { workspaceId }, orderBy: [{ provider: 'asc' }, { model: 'asc' }] });
}

const priceTarget = (row: PriceRow) => ({ kind: 'price' as const, id: row.id, label: `${row.provider}/${row.model}` });

export async function getPriceOrThrow(workspaceId: string, priceId: string): Promise<PriceRow> {
  const row = await db.modelPrice.findFirst({ where: { id: priceId, workspaceId } });
  if (!row) throw new ApiError('not_found', `Price ${priceId} not found`);
  return row;
}

/** Adds a price for a provider + model (409 when one exists); the gateway uses it from the next call. */
export async function createPrice(workspaceId: string, actor: Actor, provider: string, model: string, change: PriceChange): Promise<PriceRow> {
  const normalized = { provider: provider.toLowerCase(), model };
  const existing = await db.modelPrice.findMany({ where: { workspaceId, provider: normalized.provider } });
  const clash = existing.find((p) => priceKey(p.provider, p.model) === priceKey(normalized.provider, model));
  if (clash) throw fieldError('conflict', 'model', `${clash.provider}/${clash.model} already has a price (${clash.id}); update it instead`);
  return db.$transaction(async (tx) => {
    const row = await tx.modelPrice.create({
      data: {
        id: `price_${newId()}`,
        workspaceId,
        ...normalized,
        inputMicrosPerMTok: change.inputMicrosPerMTok ?? 0n,
        outputMicrosPerMTok: change.outputMicrosPerMTok ?? 0n,
        cacheReadMicrosPerMTok: change.cacheReadMicrosPerMTok ?? null,
        cacheWriteMicrosPerMTok: change.cacheWriteMicrosPerMTok ?? null,
        maxOutputTokens: change.maxOutputTokens ?? null,
      },
    });
    await bumpConfigVersion(tx, workspaceId);
    await recordAudit(tx, { workspaceId, actor, action: 'price.create', target: priceTarget(row), after: priceSnapshot(row) });
    return row;
  });
}

export async function updatePrice(workspaceId: string, actor: Actor, priceId: string, change: PriceChange): Promise<PriceRow> {
  const current = await getPriceOrThrow(workspaceId, priceId);
  const data = Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined));
  if (Object.keys(data).length === 0) return current;
  return db.$transaction(async (tx) => {
    const row = await tx.modelPrice.update({ where: { id: current.id }, data });
    await bumpConfigVersion(tx, workspaceId);
    await recordUpdate(tx, { workspaceId, actor, action: 'price.update', target: priceTarget(row) }, priceSnapshot(current), priceSnapshot(row));
    return row;
  });
}

export async function deletePrice(workspaceId: string, actor: Actor, priceId: string): Promise<void> {
  const current = await getPriceOrThrow(workspaceId, priceId);
  await db.$transaction(async (tx) => {
    await tx.modelPrice.delete({ where: { id: current.id } });
    await bumpConfigVersion(tx, workspaceId);
    await recordAudit(tx, { workspaceId, actor, action: 'price.delete', target: priceTarget(current), before: priceSnapshot(current) });
  });
}

export type WorkspaceSettings = { allowUnpricedCalls: boolean };

export async function getSettings(workspaceId: string): Promise<WorkspaceSettings> {
  return db.workspace.findUniqueOrThrow({ where: { id: workspaceId }, select: { allowUnpricedCalls: true } });
}

export async function updateSettings(workspaceId: string, actor: Actor, change: Partial<WorkspaceSettings>): Promise<WorkspaceSettings> {
  if (change.allowUnpricedCalls === undefined) return getSettings(workspaceId);
  return db.$transaction(async (tx) => {
    const before = await tx.workspace.findUniqueOrThrow({ where: { id: workspaceId }, select: { allowUnpricedCalls: true } });
    await tx.workspace.update({ where: { id: workspaceId }, data: { allowUnpricedCalls: change.allowUnpricedCalls } });
    await bumpConfigVersion(tx, workspaceId);
    const after = await tx.workspace.findUniqueOrThrow({ where: { id: workspaceId }, select: { allowUnpricedCalls: true } });
    const target = { kind: 'settings' as const, id: workspaceId, label: 'Workspace settings' };
    await recordUpdate(tx, { workspaceId, actor, action: 'settings.update', target }, { allow_unpriced_calls: before.allowUnpricedCalls }, { allow_unpriced_calls: after.allowUnpricedCalls });
    return after;
  });
}

export async function countUnpricedEvents(workspaceId: string): Promise<number> {
  return db.usageEvent.count({ where: { workspaceId, priced: false } });
}

const BATCH = 500;

/** Runs `fn` again (up to 5 times) when PostgreSQL aborts it for a deadlock or a serialization failure. */
async function retryOnWriteConflict<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!isWriteConflict(err) || attempt >= 5) throw err;
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * attempt));
    }
  }
}

/**
 * Prices the workspace's unpriced events that have a price now (admin-set or table), optionally for
 * one provider / model; their cost then counts toward the daily rollups and the budget windows they
 * fall in. Each batch is one transaction; an event keeps the price it was charged with.
 */
export async function repriceUnpricedEvents(workspaceId: string, actor: Actor, filter: { provider?: string; model?: string }): Promise<{ repriced: number; stillUnpriced: number }> {
  const priceRows = await db.modelPrice.findMany({ where: { workspaceId } });
  const book: PriceBook = new Map(priceRows.map((p) => [priceKey(p.provider, p.model), p]));
  let repriced = 0;
  let stillUnpriced = 0;
  let cursor: string | undefined;
  for (;;) {
    const events = await db.usageEvent.findMany({
      where: { workspaceId, priced: false, ...(cursor ? { id: { gt: cursor } } : {}) },
      orderBy: { id: 'asc' },
      take: BATCH,
    });
    if (events.length === 0) break;
    cursor = events[events.length - 1].id;
    const updates: { id: string; identityId: string; occurredAt: Date; costMicros: bigint; pricing: Prisma.InputJsonValue; call: ReturnType<typeof callTarget>; apiKeyId: string | null }[] = [];
    for (const e of events) {
      const target = callTarget(e.provider, e.model);
      if (filter.provider && target.provider !== filter.provider.toLowerCase()) continue;
      if (filter.model && e.model !== filter.model && target.model !== filter.model) continue;
      const price = priceCall(
        { provider: e.provider, model: e.model, inputTokens: e.inputTokens, outputTokens: e.outputTokens, cacheReadTokens: e.cacheReadTokens, cacheWriteTokens: e.cacheWriteTokens, at: e.occurredAt },
        book,
      );
      if (!price) {
        stillUnpriced += 1;
        continue;
      }
      updates.push({ id: e.id, identityId: e.identityId, occurredAt: e.occurredAt, costMicros: price.costMicros, pricing: pricingJson(price), call: target, apiKeyId: e.apiKeyId });
    }
    if (updates.length === 0) continue;
    // Rows in one order (identity, day) as ingest writes them; a deadlock with a concurrent writer all the same is
    // retried: the batch's transaction is rolled back whole, and an event is charged only while still unpriced.
    updates.sort((a, b) => a.identityId.localeCompare(b.identityId) || a.occurredAt.getTime() - b.occurredAt.getTime());
    await retryOnWriteConflict(() => db.$transaction(
      async (tx) => {
        // The budgets as they are while the batch is written, held still (holdConfigVersion): one made meanwhile
        // either counts these costs from the events or is seen here.
        if (dbProvider === 'postgresql') await holdUsageWriters(tx, [workspaceId]);
        await holdConfigVersion(tx, workspaceId);
        const budgets = await tx.budget.findMany({ where: { workspaceId } });
        const applied: typeof updates = [];
        for (const u of updates) {
          // Only while still unpriced: a concurrent re-price never charges an event twice.
          const changed = await tx.usageEvent.updateMany({ where: { id: u.id, priced: false }, data: { costMicros: u.costMicros, priced: true, pricing: u.pricing } });
          if (changed.count !== 1) continue;
          applied.push(u);
          await tx.usageDaily.updateMany({
            where: { identityId: u.identityId, day: startOfUtcDay(u.occurredAt) },
            data: { costMicros: { increment: u.costMicros }, unpricedRequests: { decrement: 1 } },
          });
        }
        // PostgreSQL: the delta rows name these identities without foreign keys (lib/usage/identity-locks.ts).
        await lockIdentities(tx, applied.map((u) => u.identityId));
        // The 30-day totals the Studio ranks by gain the new costs too (after the updates, as ingest does).
        await bumpWindowTotalsTx(
          tx,
          workspaceId,
          applied.map((u) => ({ identityId: u.identityId, occurredAt: u.occurredAt, requests: 0, errors: 0, costMicros: u.costMicros, tokens: 0n, unpriced: -1 })),
        );
        const deltas = new Map<string, CounterDelta>();
        for (const budget of budgets) {
          for (const u of applied) {
            if (!budgetApplies(budget, { workspaceId, identityId: u.identityId, apiKeyId: u.apiKeyId, ...u.call })) continue;
            const windowStartMs = windowKeyAt(budget, u.occurredAt);
            if (windowStartMs === null) continue;
            const key = counterKey(budget.id, windowStartMs);
            const d = deltas.get(key) ?? { budgetId: budget.id, windowStartMs, spentMicros: 0n, tokens: 0n, requests: 0 };
            d.spentMicros += u.costMicros;
            deltas.set(key, d);
          }
        }
        if (deltas.size > 0) await addToCounters(tx, [...deltas.values()]);
        return applied.length;
      },
      { timeout: 60_000, maxWait: 30_000 },
    )).then((applied) => (repriced += applied));
    foldWindowDeltasSoon(workspaceId);
  }
  // The run is many batch transactions; its entry, with what it did, is written once it has finished.
  const scope = [filter.provider, filter.model].filter(Boolean).join(' / ');
  await db.$transaction((tx) =>
    recordAudit(tx, {
      workspaceId,
      actor,
      action: 'price.reprice',
      target: { kind: 'price', id: scope || '*', label: scope ? `Unpriced events of ${scope}` : 'Unpriced events' },
      after: { provider: filter.provider ?? null, model: filter.model ?? null, repriced, still_unpriced: stillUnpriced },
    }),
  );
  return { repriced, stillUnpriced };
}
