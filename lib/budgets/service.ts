import 'server-only';
import { db, type Tx } from '../db';
import { execute, query } from '../sql-exec';
import { newId } from '../ids';
import { ApiError, fieldError } from '../api/errors';
import { keysetSql, takePage, type SortSpec } from '../pagination/keyset';
import { type BudgetPeriod } from '../time/periods';
import { identitySearchSql } from '../identities/search';
import { bumpConfigVersion } from '../workspaces/config';
import { containsLiteral, inIdOrder, selectIds } from '../sql';
import { Prisma } from '../generated/prisma/client';
import { periodFromWire, type AlertSetting, type BudgetChange, type BudgetScope, type ListBudgetsQuery, type NewBudget } from './schema';
import { ensureCounter, lockCounterSql, rescaleRateSql } from './counters';
import { assertAlertNotifiers } from '../notifiers/service';
import { budgetApplies, callTarget, modelTarget, windowEndOf, windowStartOf, type ScopeKind } from './scopes';
import { budgetStatus, counterUsage, emptyUsage, type BudgetRow, type BudgetStatus, type BudgetUsage } from './status';
import { recordAudit, recordUpdate } from '../audit/service';
import { budgetSnapshot, budgetTargetLabel } from '../audit/snapshots';
import { actorTag, type Actor } from '../audit/actor';

export type { BudgetRow, BudgetStatus, BudgetUsage };

const IDENTITY_SCOPE = 'identity';

type IdentityRef = { id: string; externalId: string };

/** Alerts as Budget.alerts stores them: the SDK's field names, each with an id. */
function storedAlerts(alerts: AlertSetting[]): Prisma.InputJsonValue {
  return alerts.map((a) => ({
    id: a.id ?? newId(),
    threshold_percent: a.thresholdPercent,
    notifier_ids: a.notifierIds,
    ...(a.dimension ? { dimension: a.dimension } : {}),
  }));
}

/** What a budget is scoped to, resolved and normalised (scope target ids are what the SDK filters by). */
type ScopeTarget = { kind: ScopeKind; targetId: string; identityId: string | null; field: string };

const SCOPE_FIELDS: Record<ScopeKind, string> = {
  identity: 'scope.identity.identity_external_id',
  workspace: 'scope.workspace',
  api_key: 'scope.api_key.api_key_id',
  provider: 'scope.provider.provider',
  model: 'scope.model.model_id',
};

async function resolveScope(tx: Tx, workspaceId: string, scope: BudgetScope): Promise<ScopeTarget> {
  switch (scope.kind) {
    case 'identity': {
      const identity = await tx.identity.findUnique({ where: { workspaceId_externalId: { workspaceId, externalId: scope.externalId } } });
      if (!identity) throw fieldError('not_found', SCOPE_FIELDS.identity, `no identity with external id "${scope.externalId}"`);
      return { kind: 'identity', targetId: scope.externalId, identityId: identity.id, field: SCOPE_FIELDS.identity };
    }
    case 'workspace':
      return { kind: 'workspace', targetId: workspaceId, identityId: null, field: SCOPE_FIELDS.workspace };
    case 'api_key': {
      const key = await tx.apiKey.findFirst({ where: { id: scope.apiKeyId, workspaceId } });
      if (!key) throw fieldError('not_found', SCOPE_FIELDS.api_key, `no API key with id "${scope.apiKeyId}"`);
      return { kind: 'api_key', targetId: key.id, identityId: null, field: SCOPE_FIELDS.api_key };
    }
    case 'provider':
      return { kind: 'provider', targetId: scope.provider.toLowerCase(), identityId: null, field: SCOPE_FIELDS.provider };
    case 'model': {
      const [provider, ...rest] = scope.modelId.split('/');
      return { kind: 'model', targetId: modelTarget(provider, rest.join('/')), identityId: null, field: SCOPE_FIELDS.model };
    }
    case 'project':
      throw fieldError('unprocessable', 'scope.project', 'project budgets are not supported: Tollbooth has no projects; use a workspace, identity, api_key, provider or model scope');
  }
}

/** A budget's limits and settings, whatever its scope. */
type BudgetFields = Omit<NewBudget, 'scope' | 'isActive' | 'expiresAt'> & { isActive?: boolean; expiresAt?: Date | null };

/**
 * The counter of the budget's current window, started from the usage already recorded in it (a budget
 * created mid-month counts the month so far). Later usage moves it in the transaction that records it.
 */
async function initCounterTx(tx: Tx, budget: BudgetRow, now: Date, rebuild = false) {
  const since = windowStartOf(budget, now);
  const windowStartMs = BigInt(since.getTime());
  const lock = rebuild ? lockCounterSql(budget.id, windowStartMs) : null;
  if (lock) await query(tx, lock);
  // The window's events only: one stamped in a later window counts there.
  const until = windowEndOf(budget, now);
  const where: Prisma.UsageEventWhereInput = { workspaceId: budget.workspaceId, occurredAt: { gte: since, ...(until ? { lt: until } : {}) } };
  if (budget.scopeKind === 'identity') where.identityId = budget.identityId ?? '';
  if (budget.scopeKind === 'api_key') where.apiKeyId = budget.scopeTargetId;
  const groups = await tx.usageEvent.groupBy({ by: ['provider', 'model'], where, _sum: { costMicros: true, totalTokens: true }, _count: { _all: true } });
  const initial = { spentMicros: 0n, tokens: 0n, requests: 0 };
  for (const g of groups) {
    const call = { workspaceId: budget.workspaceId, identityId: budget.identityId, apiKeyId: budget.scopeTargetId, ...callTarget(g.provider, g.model) };
    if (!budgetApplies(budget, call)) continue;
    initial.spentMicros += g._sum.costMicros ?? 0n;
    initial.tokens += BigInt(g._sum.totalTokens ?? 0);
    initial.requests += g._count._all;
  }
  await ensureCounter(tx, budget.id, windowStartMs, initial, rebuild);
}

const budgetTarget = (budget: BudgetRow) => ({ kind: 'budget' as const, id: budget.id, label: budgetTargetLabel(budget) });

/** The audit entry of a budget change (only the changed fields), in the change's transaction. */
async function recordBudgetUpdateTx(tx: Tx, actor: Actor, before: BudgetRow, after: BudgetRow, now: Date): Promise<void> {
  const change = { workspaceId: after.workspaceId, actor, action: 'budget.update' as const, target: budgetTarget(after), identityId: after.identityId, at: now };
  await recordUpdate(tx, change, budgetSnapshot(before), budgetSnapshot(after));
}

async function insertBudgetTx(tx: Tx, workspaceId: string, actor: Actor, target: ScopeTarget, fields: BudgetFields, now: Date): Promise<BudgetRow> {
  const existing = await tx.budget.findUnique({ where: { workspaceId_scopeKind_scopeTargetId: { workspaceId, scopeKind: target.kind, scopeTargetId: target.targetId } } });
  if (existing) throw fieldError('conflict', target.field, `this ${target.kind.replace('_', ' ')} already has a budget (${existing.id})`);
  const budget = await tx.budget.create({
    data: {
      id: newId(),
      workspaceId,
      scopeKind: target.kind,
      scopeTargetId: target.targetId,
      identityId: target.identityId,
      period: fields.period,
      amountMicros: fields.amountMicros ?? null,
      tokenLimit: fields.tokenLimit ?? null,
      requestsPerMinute: fields.requestsPerMinute ?? null,
      isActive: fields.isActive ?? true,
      expiresAt: fields.expiresAt ?? null,
      ...(fields.alerts ? { alerts: storedAlerts(fields.alerts) } : {}),
    },
  });
  // The version first: usage writers in flight are waited for (holdConfigVersion) before the history is read.
  await bumpConfigVersion(tx, workspaceId);
  await initCounterTx(tx, budget, now);
  await recordAudit(tx, { workspaceId, actor, action: 'budget.create', target: budgetTarget(budget), identityId: budget.identityId, after: budgetSnapshot(budget), at: now });
  return budget;
}

/** One budget per identity; throws 409 naming the scope field when one exists. */
export async function createIdentityBudgetTx(tx: Tx, workspaceId: string, actor: Actor, identity: IdentityRef, fields: BudgetFields, now: Date = new Date()): Promise<BudgetRow> {
  return insertBudgetTx(tx, workspaceId, actor, { kind: 'identity', targetId: identity.externalId, identityId: identity.id, field: SCOPE_FIELDS.identity }, fields, now);
}

function assertFutureExpiry(expiresAt: Date | null | undefined, isActive: boolean, now: Date) {
  if (expiresAt && isActive && expiresAt <= now) throw fieldError('unprocessable', 'expires_at', 'must be in the future for an active budget');
}

// POST /v2/budgets
export async function createBudget(workspaceId: string, actor: Actor, input: NewBudget, now: Date): Promise<BudgetRow> {
  assertFutureExpiry(input.expiresAt, input.isActive, now);
  await assertAlertNotifiers(workspaceId, input.alerts);
  return db.$transaction(async (tx) => {
    const { scope, ...fields } = input;
    return insertBudgetTx(tx, workspaceId, actor, await resolveScope(tx, workspaceId, scope), fields, now);
  });
}

export async function getBudgetOrThrow(workspaceId: string, budgetId: string): Promise<BudgetRow> {
  const budget = await db.budget.findFirst({ where: { id: budgetId, workspaceId } });
  if (!budget) throw new ApiError('not_found', `Budget ${budgetId} not found`);
  return budget;
}

/**
 * Saves a budget change; its next window counter starts from history (made again from it when the period changed: a
 * window the budget had before missed what was spent meanwhile); every instance sees it on the next call.
 */
async function saveBudgetChangeTx(tx: Tx, budgetId: string, data: Prisma.BudgetUpdateInput, now: Date, periodChanged = false): Promise<BudgetRow> {
  const updated = await tx.budget.update({ where: { id: budgetId }, data });
  // The version first: usage writers in flight are waited for (holdConfigVersion) before the history is read.
  await bumpConfigVersion(tx, updated.workspaceId);
  await initCounterTx(tx, updated, now, periodChanged);
  return updated;
}

// PATCH /v2/budgets/{id}: fields left out keep their values.
export async function updateBudget(workspaceId: string, actor: Actor, budgetId: string, change: BudgetChange, now: Date): Promise<BudgetRow> {
  const current = await getBudgetOrThrow(workspaceId, budgetId);
  await assertAlertNotifiers(workspaceId, change.alerts ?? undefined);
  const data: Prisma.BudgetUpdateInput = {};
  if (change.period !== undefined) data.period = change.period;
  if (change.amountMicros !== undefined) data.amountMicros = change.amountMicros;
  if (change.tokenLimit !== undefined) data.tokenLimit = change.tokenLimit;
  if (change.requestsPerMinute !== undefined) data.requestsPerMinute = change.requestsPerMinute;
  if (change.isActive !== undefined) data.isActive = change.isActive;
  if (change.expiresAt !== undefined) data.expiresAt = change.expiresAt;
  if (change.alerts !== undefined) data.alerts = storedAlerts(change.alerts ?? []);
  if (change.expiresAt || change.isActive === true) assertFutureExpiry(change.expiresAt !== undefined ? change.expiresAt : current.expiresAt, change.isActive ?? current.isActive, now);
  if (Object.keys(data).length === 0) return current;
  return db.$transaction(async (tx) => {
    const updated = await saveBudgetChangeTx(tx, current.id, data, now, data.period !== undefined && data.period !== current.period);
    if (updated.requestsPerMinute !== current.requestsPerMinute) await execute(tx, rescaleRateSql(current.id, current.requestsPerMinute, updated.requestsPerMinute, now.getTime()));
    await recordBudgetUpdateTx(tx, actor, current, updated, now);
    return updated;
  });
}

export async function deleteBudget(workspaceId: string, actor: Actor, budgetId: string, now: Date = new Date()): Promise<void> {
  const budget = await getBudgetOrThrow(workspaceId, budgetId);
  await db.$transaction(async (tx) => {
    // The version first (its counters' rows are locked by the delete, and usage writers holding the version update them).
    await bumpConfigVersion(tx, workspaceId);
    await tx.budget.delete({ where: { id: budget.id } });
    await recordAudit(tx, { workspaceId, actor, action: 'budget.delete', target: budgetTarget(budget), identityId: budget.identityId, before: budgetSnapshot(budget), at: now });
  });
}

/** Stores who reset and when (BudgetReset and the audit log); consumption counts from this moment on the very next request. */
export async function resetBudget(workspaceId: string, actor: Actor, budgetId: string, now: Date): Promise<BudgetRow> {
  const budget = await getBudgetOrThrow(workspaceId, budgetId);
  return db.$transaction(async (tx) => {
    await tx.budgetReset.create({ data: { id: newId(), budgetId: budget.id, resetAt: now, resetBy: actorTag(actor) } });
    // The rate limit's state too: a reset re-opens the budget at once.
    const saved = await saveBudgetChangeTx(tx, budget.id, { lastResetAt: now, rateTatMs: 0n }, now);
    await recordAudit(tx, {
      workspaceId,
      actor,
      action: 'budget.reset',
      target: budgetTarget(saved),
      identityId: saved.identityId,
      before: { last_reset_at: budget.lastResetAt?.toISOString() ?? null },
      after: { last_reset_at: now.toISOString() },
      at: now,
    });
    return saved;
  });
}

/**
 * Current-window usage of each budget, from its counter: one query for any number of budgets (the page's ids and
 * their few distinct window starts, on the counters' key; rows of other windows are dropped below).
 */
export async function getBudgetUsages(budgets: BudgetRow[], now: Date): Promise<BudgetUsage[]> {
  const windows = budgets.map((b) => ({ since: windowStartOf(b, now), until: windowEndOf(b, now) }));
  const starts = [...new Set(windows.map((w) => w.since.getTime()))].map(BigInt);
  const counters = budgets.length
    ? await db.budgetCounter.findMany({ where: { budgetId: { in: budgets.map((b) => b.id) }, windowStartMs: { in: starts } } })
    : [];
  const byKey = new Map(counters.map((c) => [`${c.budgetId}|${c.windowStartMs}`, c]));
  return budgets.map((b, i) => {
    const { since, until } = windows[i];
    const c = byKey.get(`${b.id}|${since.getTime()}`);
    return c ? counterUsage(c, since, until) : emptyUsage(since, until);
  });
}

export async function getBudgetUsage(budget: BudgetRow, now: Date): Promise<BudgetUsage> {
  return (await getBudgetUsages([budget], now))[0];
}

export async function getBudgetStatusFor(budget: BudgetRow, now: Date): Promise<BudgetStatus> {
  return budgetStatus(budget, await getBudgetUsage(budget, now), now);
}

export async function getIdentityBudget(workspaceId: string, identityId: string): Promise<BudgetRow | null> {
  return db.budget.findFirst({ where: { workspaceId, identityId, scopeKind: IDENTITY_SCOPE } });
}

export async function getIdentityBudgetStatus(workspaceId: string, identityId: string, now: Date): Promise<BudgetStatus | null> {
  const budget = await getIdentityBudget(workspaceId, identityId);
  return budget ? getBudgetStatusFor(budget, now) : null;
}

export type BudgetSnapshot = { row: BudgetRow; usage: BudgetUsage; status: BudgetStatus };

/** Budget, current-window usage and status for each identity that has a budget. */
export async function getIdentityBudgetSnapshots(workspaceId: string, identityIds: string[], now: Date): Promise<Map<string, BudgetSnapshot>> {
  const budgets = identityIds.length
    ? await db.budget.findMany({ where: { workspaceId, scopeKind: IDENTITY_SCOPE, identityId: { in: identityIds } } })
    : [];
  const usages = await getBudgetUsages(budgets, now);
  return new Map(
    budgets.map((row, i) => [row.identityId as string, { row, usage: usages[i], status: budgetStatus(row, usages[i], now) }]),
  );
}

/** The identity form's budget: a period and an amount in micro-dollars. */
export type StudioBudget = { period: BudgetPeriod; amountMicros: bigint };

/** Within a transaction: set the identity's budget to this period and USD amount (active), or remove it (null). */
export async function setIdentityBudgetTx(tx: Tx, workspaceId: string, actor: Actor, identity: IdentityRef, budget: StudioBudget | null, now: Date = new Date()): Promise<void> {
  const existing = await tx.budget.findFirst({ where: { workspaceId, identityId: identity.id, scopeKind: IDENTITY_SCOPE } });
  if (!budget) {
    if (existing) {
      await bumpConfigVersion(tx, workspaceId);
      await tx.budget.delete({ where: { id: existing.id } });
      const target = budgetTarget(existing);
      await recordAudit(tx, { workspaceId, actor, action: 'budget.delete', target, identityId: identity.id, before: budgetSnapshot(existing), at: now });
    }
    return;
  }
  if (!existing) {
    await createIdentityBudgetTx(tx, workspaceId, actor, identity, budget, now);
    return;
  }
  // Saving an unchanged form leaves the budget (and its updatedAt) alone.
  if (existing.period === budget.period && existing.amountMicros === budget.amountMicros && existing.isActive) return;
  const updated = await saveBudgetChangeTx(tx, existing.id, { period: budget.period, amountMicros: budget.amountMicros, isActive: true }, now);
  await recordBudgetUpdateTx(tx, actor, existing, updated, now);
}

/** The Studio's budget control: set period + USD amount, or remove the budget (null). */
export async function setIdentityBudget(workspaceId: string, actor: Actor, identityId: string, budget: StudioBudget | null, now: Date = new Date()): Promise<void> {
  await db.$transaction(async (tx) => {
    const identity = await tx.identity.findFirst({ where: { id: identityId, workspaceId } });
    if (!identity) throw new ApiError('not_found', `Identity ${identityId} not found`);
    await setIdentityBudgetTx(tx, workspaceId, actor, identity, budget, now);
  });
}

const BUDGET_SORTS: Record<NonNullable<ListBudgetsQuery['sort_by']>, SortSpec> = {
  BUDGET_SORT_FIELD_UNSPECIFIED: { field: 'updatedAt', direction: 'desc' },
  BUDGET_SORT_FIELD_UPDATED_AT: { field: 'updatedAt', direction: 'desc' },
  BUDGET_SORT_FIELD_CREATED_AT: { field: 'createdAt', direction: 'desc' },
  BUDGET_SORT_FIELD_EXPIRES_AT: { field: 'expiresAt', direction: 'asc', nullable: true },
};

const SCOPE_KIND_FROM_WIRE: Record<string, string> = {
  BUDGET_SCOPE_KIND_WORKSPACE: 'workspace',
  BUDGET_SCOPE_KIND_PROJECT: 'project',
  BUDGET_SCOPE_KIND_IDENTITY: IDENTITY_SCOPE,
  BUDGET_SCOPE_KIND_API_KEY: 'api_key',
  BUDGET_SCOPE_KIND_PROVIDER: 'provider',
  BUDGET_SCOPE_KIND_MODEL: 'model',
};

/**
 * Filters shared by the API list and the Studio's Budgets page, as a condition on budget `b`: the lists select a
 * page of ids with it in SQL, then read those budgets (budgetsInOrder).
 */
export async function budgetListWhere(workspaceId: string, query: Pick<ListBudgetsQuery, 'scope_kind' | 'scope_target_id' | 'is_active' | 'period' | 'query'>): Promise<Prisma.Sql> {
  const where = [Prisma.sql`b."workspaceId" = ${workspaceId}`];
  const kinds = (query.scope_kind ?? []).filter((k) => k !== 'BUDGET_SCOPE_KIND_UNSPECIFIED').map((k) => SCOPE_KIND_FROM_WIRE[k]);
  if (kinds.length > 0) where.push(Prisma.sql`b."scopeKind" IN (${Prisma.join(kinds)})`);
  if (query.scope_target_id) where.push(Prisma.sql`b."scopeTargetId" = ${query.scope_target_id}`);
  if (query.is_active !== undefined) where.push(Prisma.sql`b."isActive" = ${query.is_active}`);
  const periods = (query.period ?? []).filter((p) => p !== 'BUDGET_PERIOD_UNSPECIFIED').map(periodFromWire);
  if (periods.length > 0) where.push(Prisma.sql`b."period" IN (${Prisma.join(periods)})`);
  // Identity budgets match the identity's name, e-mail or external id (the identity search); others their scope
  // target, case-insensitively. Both literally: LIKE wildcards in the text are plain characters.
  const text = query.query?.trim();
  const identity = await identitySearchSql(workspaceId, text);
  if (text && identity) {
    const target = containsLiteral(Prisma.sql`lower(b."scopeTargetId")`, text.toLowerCase());
    where.push(Prisma.sql`(EXISTS (SELECT 1 FROM "Identity" i WHERE i."id" = b."identityId" AND ${identity}) OR (b."scopeKind" <> ${IDENTITY_SCOPE} AND ${target}))`);
  }
  return Prisma.join(where, ' AND ');
}

/** The budgets with these ids, in the ids' order. */
export async function budgetsInOrder(ids: string[]): Promise<BudgetRow[]> {
  return inIdOrder(ids, await db.budget.findMany({ where: { id: { in: ids } } }));
}

// GET /v2/budgets
export async function listBudgetsByCursor(workspaceId: string, query: ListBudgetsQuery): Promise<{ rows: BudgetRow[]; hasMore: boolean }> {
  const where = await budgetListWhere(workspaceId, query);
  const sort = BUDGET_SORTS[query.sort_by ?? 'BUDGET_SORT_FIELD_UNSPECIFIED'];
  const cursorId = query.starting_after ?? query.ending_before;
  const backwards = Boolean(query.ending_before);
  let anchor: BudgetRow | null = null;
  if (cursorId) {
    anchor = await db.budget.findFirst({ where: { id: cursorId, workspaceId } });
    if (!anchor) throw fieldError('invalid_request', query.starting_after ? 'starting_after' : 'ending_before', `no budget with id "${cursorId}"`);
  }
  const keyset = keysetSql(sort, anchor, backwards, 'b');
  const ids = await selectIds(Prisma.sql`
    SELECT b."id" AS id FROM "Budget" b WHERE ${where} AND ${keyset.where} ORDER BY ${keyset.orderBy} LIMIT ${query.limit + 1}`);
  return takePage(await budgetsInOrder(ids), query.limit, backwards);
}

/** At start-up: budgets without any counter (created before counters existed) get their current window's. */
export async function initMissingCounters(now: Date): Promise<void> {
  const budgets = await db.budget.findMany({ where: { counters: { none: {} } } });
  for (const budget of budgets) await db.$transaction((tx) => initCounterTx(tx, budget, now));
}
