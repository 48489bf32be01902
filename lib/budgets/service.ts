import 'server-only';
import { db, type Tx } from '../db';
import { newId } from '../ids';
import { ApiError, fieldError } from '../api/errors';
import { formatUsd, usdToMicros } from '../money';
import { keysetQuery, takePage, type SortSpec } from '../pagination/keyset';
import { consumptionSince, periodEnd, type BudgetPeriod } from '../time/periods';
import { emptyTotals, usageTotals } from '../usage/totals';
import { identitySearchWhere } from '../identities/search';
import { findIdentityRow } from '../identities/lookup';
import type { Prisma } from '../generated/prisma/client';
import { periodFromWire, type CreateBudgetInput, type ListBudgetsQuery, type UpdateBudgetInput } from './schema';

import { budgetStatus, type BudgetRow, type BudgetStatus, type BudgetUsage } from './status';

export type { BudgetRow, BudgetStatus, BudgetUsage };

const IDENTITY_SCOPE = 'identity';

type IdentityRef = { id: string; externalId: string };

type BudgetFields = {
  period: BudgetPeriod;
  amountUsd?: number | null;
  tokenLimit?: number | null;
  requestsPerMinute?: number | null;
  isActive?: boolean;
  expiresAt?: Date | null;
  alerts?: unknown[] | null;
};

function alertsWithIds(alerts: CreateBudgetInput['alerts']): Prisma.InputJsonValue | undefined {
  if (!alerts) return undefined;
  return alerts.map((a) => ({ ...a, id: a.id ?? newId() })) as Prisma.InputJsonValue;
}

/** One budget per identity; throws 409 naming the scope field when one exists. */
export async function createIdentityBudgetTx(tx: Tx, workspaceId: string, identity: IdentityRef, fields: BudgetFields): Promise<BudgetRow> {
  const existing = await tx.budget.findUnique({
    where: { workspaceId_scopeKind_scopeTargetId: { workspaceId, scopeKind: IDENTITY_SCOPE, scopeTargetId: identity.externalId } },
  });
  if (existing) {
    throw fieldError('conflict', 'scope.identity.identity_external_id', `identity "${identity.externalId}" already has a budget (${existing.id})`);
  }
  return tx.budget.create({
    data: {
      id: newId(),
      workspaceId,
      scopeKind: IDENTITY_SCOPE,
      scopeTargetId: identity.externalId,
      identityId: identity.id,
      period: fields.period,
      amountMicros: fields.amountUsd != null ? usdToMicros(fields.amountUsd) : null,
      tokenLimit: fields.tokenLimit != null ? BigInt(fields.tokenLimit) : null,
      requestsPerMinute: fields.requestsPerMinute ?? null,
      isActive: fields.isActive ?? true,
      expiresAt: fields.expiresAt ?? null,
      ...(fields.alerts ? { alerts: fields.alerts as Prisma.InputJsonValue } : {}),
    },
  });
}

function assertFutureExpiry(expiresAt: Date | null | undefined, isActive: boolean, now: Date) {
  if (expiresAt && isActive && expiresAt <= now) throw fieldError('unprocessable', 'expires_at', 'must be in the future for an active budget');
}

// POST /v2/budgets
export async function createBudget(workspaceId: string, input: CreateBudgetInput, now: Date): Promise<BudgetRow> {
  const scope = input.scope ?? {};
  if (!scope.identity) {
    const kind = Object.keys(scope)[0] ?? 'match';
    throw fieldError('unprocessable', `scope.${kind}`, 'only identity budgets are supported: use scope.identity.identity_external_id');
  }
  const expiresAt = input.expires_at ? new Date(input.expires_at) : null;
  assertFutureExpiry(expiresAt, input.is_active, now);
  const externalId = scope.identity.identity_external_id;
  return db.$transaction(async (tx) => {
    const identity = await tx.identity.findUnique({ where: { workspaceId_externalId: { workspaceId, externalId } } });
    if (!identity) throw fieldError('not_found', 'scope.identity.identity_external_id', `no identity with external id "${externalId}"`);
    return createIdentityBudgetTx(tx, workspaceId, identity, {
      period: periodFromWire(input.limits.period),
      amountUsd: input.limits.amount,
      tokenLimit: input.limits.token_limit,
      requestsPerMinute: input.rate_limit?.requests_per_minute,
      isActive: input.is_active,
      expiresAt,
      alerts: alertsWithIds(input.alerts) as unknown[] | undefined,
    });
  });
}

export async function getBudgetOrThrow(workspaceId: string, budgetId: string): Promise<BudgetRow> {
  const budget = await db.budget.findFirst({ where: { id: budgetId, workspaceId } });
  if (!budget) throw new ApiError('not_found', `Budget ${budgetId} not found`);
  return budget;
}

// PATCH /v2/budgets/{id}: fields left out keep their values.
export async function updateBudget(workspaceId: string, budgetId: string, input: UpdateBudgetInput, now: Date): Promise<BudgetRow> {
  const current = await getBudgetOrThrow(workspaceId, budgetId);
  const data: Prisma.BudgetUpdateInput = {};
  if (input.limits?.period !== undefined) data.period = periodFromWire(input.limits.period);
  if (input.limits?.amount !== undefined) data.amountMicros = usdToMicros(input.limits.amount);
  if (input.limits?.token_limit !== undefined) data.tokenLimit = BigInt(input.limits.token_limit);
  if (input.rate_limit?.requests_per_minute !== undefined) data.requestsPerMinute = input.rate_limit.requests_per_minute;
  if (input.is_active !== undefined) data.isActive = input.is_active;
  if (input.expires_at !== undefined) data.expiresAt = new Date(input.expires_at);
  if (input.clear_expires_at) data.expiresAt = null;
  if (input.clear_alerts) data.alerts = [];
  else if (input.alerts !== undefined) data.alerts = alertsWithIds(input.alerts) ?? [];
  const isActive = (data.isActive as boolean | undefined) ?? current.isActive;
  const expiresAt = data.expiresAt !== undefined ? (data.expiresAt as Date | null) : current.expiresAt;
  if (input.expires_at !== undefined || input.is_active === true) assertFutureExpiry(expiresAt, isActive, now);
  if (Object.keys(data).length === 0) return current;
  return db.budget.update({ where: { id: current.id }, data });
}

export async function deleteBudget(workspaceId: string, budgetId: string): Promise<void> {
  const budget = await getBudgetOrThrow(workspaceId, budgetId);
  await db.budget.delete({ where: { id: budget.id } });
}

/** Stores who reset and when; consumption counts from this moment on the very next request. */
export async function resetBudget(workspaceId: string, budgetId: string, resetBy: string, now: Date): Promise<BudgetRow> {
  const budget = await getBudgetOrThrow(workspaceId, budgetId);
  const [, updated] = await db.$transaction([
    db.budgetReset.create({ data: { id: newId(), budgetId: budget.id, resetAt: now, resetBy } }),
    db.budget.update({ where: { id: budget.id }, data: { lastResetAt: now } }),
  ]);
  return updated;
}

/** Cost, tokens and requests of the budget's identity in the current window (exact micro-USD sums). */
export async function budgetUsage(budget: BudgetRow, now: Date): Promise<BudgetUsage> {
  const period = budget.period as BudgetPeriod;
  const since = consumptionSince(period, now, budget.lastResetAt, budget.createdAt);
  const until = periodEnd(period, now);
  if (!budget.identityId) return { costMicros: 0n, tokens: 0, requests: 0, since, until };
  const totals = (await usageTotals({ workspaceId: budget.workspaceId, identityIds: [budget.identityId] }, since, until)).get(budget.identityId) ?? emptyTotals();
  return {
    costMicros: totals.costMicros,
    tokens: Number(totals.inputTokens + totals.outputTokens),
    requests: totals.requests,
    since,
    until,
  };
}

export async function getBudgetStatusFor(budget: BudgetRow, now: Date): Promise<BudgetStatus> {
  return budgetStatus(budget, await budgetUsage(budget, now), now);
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
  const usages = await Promise.all(budgets.map((b) => budgetUsage(b, now)));
  return new Map(
    budgets.map((row, i) => [row.identityId as string, { row, usage: usages[i], status: budgetStatus(row, usages[i], now) }]),
  );
}

export type StudioBudget = { period: BudgetPeriod; amountUsd: number };

/** Within a transaction: set the identity's budget to this period and USD amount (active), or remove it (null). */
export async function setIdentityBudgetTx(tx: Tx, workspaceId: string, identity: IdentityRef, budget: StudioBudget | null): Promise<void> {
  const existing = await tx.budget.findFirst({ where: { workspaceId, identityId: identity.id, scopeKind: IDENTITY_SCOPE } });
  if (!budget) {
    if (existing) await tx.budget.delete({ where: { id: existing.id } });
    return;
  }
  if (!existing) {
    await createIdentityBudgetTx(tx, workspaceId, identity, { period: budget.period, amountUsd: budget.amountUsd });
    return;
  }
  const amountMicros = usdToMicros(budget.amountUsd);
  // Saving an unchanged form leaves the budget (and its updatedAt) alone.
  if (existing.period === budget.period && existing.amountMicros === amountMicros && existing.isActive) return;
  await tx.budget.update({ where: { id: existing.id }, data: { period: budget.period, amountMicros, isActive: true } });
}

/** The Studio's budget control: set period + USD amount, or remove the budget (null). */
export async function setIdentityBudget(workspaceId: string, identityId: string, budget: StudioBudget | null): Promise<void> {
  await db.$transaction(async (tx) => {
    const identity = await tx.identity.findFirst({ where: { id: identityId, workspaceId } });
    if (!identity) throw new ApiError('not_found', `Identity ${identityId} not found`);
    await setIdentityBudgetTx(tx, workspaceId, identity, budget);
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

// GET /v2/budgets
export async function listBudgets(workspaceId: string, query: ListBudgetsQuery): Promise<{ rows: BudgetRow[]; hasMore: boolean }> {
  const where: Prisma.BudgetWhereInput = { workspaceId };
  const kinds = (query.scope_kind ?? []).filter((k) => k !== 'BUDGET_SCOPE_KIND_UNSPECIFIED').map((k) => SCOPE_KIND_FROM_WIRE[k]);
  if (kinds.length > 0) where.scopeKind = { in: kinds };
  if (query.scope_target_id) where.scopeTargetId = query.scope_target_id;
  if (query.is_active !== undefined) where.isActive = query.is_active;
  const periods = (query.period ?? []).filter((p) => p !== 'BUDGET_PERIOD_UNSPECIFIED').map(periodFromWire);
  if (periods.length > 0) where.period = { in: periods };
  // The scope target of an identity budget is the identity's external id, so one identity search covers both.
  if (query.query) where.identity = { is: await identitySearchWhere(workspaceId, query.query) };
  const sort = BUDGET_SORTS[query.sort_by ?? 'BUDGET_SORT_FIELD_UNSPECIFIED'];
  const cursorId = query.starting_after ?? query.ending_before;
  const backwards = Boolean(query.ending_before);
  let anchor: BudgetRow | null = null;
  if (cursorId) {
    anchor = await db.budget.findFirst({ where: { id: cursorId, workspaceId } });
    if (!anchor) throw fieldError('invalid_request', query.starting_after ? 'starting_after' : 'ending_before', `no budget with id "${cursorId}"`);
  }
  const keyset = keysetQuery(sort, anchor, backwards);
  const rows = await db.budget.findMany({
    where: { AND: [where, keyset.where as Prisma.BudgetWhereInput] },
    orderBy: keyset.orderBy as Prisma.BudgetOrderByWithRelationInput[],
    take: query.limit + 1,
  });
  return takePage(rows, query.limit, backwards);
}

export type BudgetCheck = { identity: { id: string; externalId: string } | null; status: BudgetStatus | null };

/**
 * Pre-flight check before an LLM call: throws 429 `budget_exceeded` (with Retry-After until the
 * window resets) when the identity's active budget is spent; otherwise reports what is left.
 * An unknown external id has no budget and is allowed (it is created when its usage arrives).
 */
export async function checkIdentityBudget(workspaceId: string, idOrExternalId: string, now: Date): Promise<BudgetCheck> {
  const row = await findIdentityRow(db, workspaceId, idOrExternalId);
  if (!row) return { identity: null, status: null };
  const identity = { id: row.id, externalId: row.externalId };
  const status = await getIdentityBudgetStatus(workspaceId, identity.id, now);
  if (status?.exceeded) {
    const spent =
      status.limitUsd != null ? `${formatUsd(status.consumedUsd)} of ${formatUsd(status.limitUsd)}` : `${status.tokens} of ${status.tokenLimit} tokens`;
    const resets = status.resetsAt ? `; it resets at ${status.resetsAt.toISOString()}` : '';
    const retryAfter = status.resetsAt ? Math.max(1, Math.ceil((status.resetsAt.getTime() - now.getTime()) / 1000)) : null;
    throw new ApiError(
      'budget_exceeded',
      `The ${status.period.replace('_', '-')} budget of identity "${identity.externalId}" is spent (${spent})${resets}`,
      [],
      retryAfter ? { 'retry-after': String(retryAfter) } : {},
    );
  }
  return { identity, status };
}
