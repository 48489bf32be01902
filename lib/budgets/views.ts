import 'server-only';
import { db } from '../db';
import { Prisma } from '../generated/prisma/client';
import { orderSql } from '../pagination/keyset';
import { containsLiteral, selectCount, selectIds } from '../sql';
import type { BudgetPeriod } from '../time/periods';
import { periodToWire, SCOPE_KINDS as WIRE_SCOPE_KINDS } from './schema';
import type { ScopeKind } from './scopes';
import { budgetListWhere, budgetsInOrder, getBudgetUsages, type BudgetRow, type BudgetStatus } from './service';
import { budgetStatus } from './status';
import { offsetPage, type NumberedPage, type Paging } from '../pagination/offset';

// The Studio's read model of budgets: one page of every scope, with live usage and the names behind scope ids.

/** Active and gating calls, switched off by hand, or past `expires_at` (which wins over paused). */
export type BudgetState = 'active' | 'paused' | 'expired';

export type BudgetListFilters = { scopeKind?: ScopeKind; period?: BudgetPeriod; state?: BudgetState; query?: string };

export type BudgetListRow = {
  budget: BudgetRow;
  status: BudgetStatus;
  state: BudgetState;
  /** The identity of an identity budget (its detail page is linked). */
  identity: { id: string; name: string; externalId: string } | null;
  /** The key of an API-key budget, when it still exists. */
  apiKey: { id: string; name: string; prefix: string; revoked: boolean } | null;
};

export type BudgetListPage = NumberedPage<BudgetListRow>;

export const budgetState = (budget: Pick<BudgetRow, 'isActive' | 'expiresAt'>, now: Date): BudgetState =>
  budget.expiresAt && budget.expiresAt <= now ? 'expired' : budget.isActive ? 'active' : 'paused';

/** The budgets in `state` at `now`, as a condition on budget `b` (TRUE without a state). */
function stateSql(state: BudgetState | undefined, now: Date): Prisma.Sql {
  const notExpired = Prisma.sql`(b."expiresAt" IS NULL OR b."expiresAt" > ${now})`;
  if (state === 'expired') return Prisma.sql`b."expiresAt" <= ${now}`;
  if (state === 'paused') return Prisma.sql`b."isActive" = ${false} AND ${notExpired}`;
  if (state === 'active') return Prisma.sql`b."isActive" = ${true} AND ${notExpired}`;
  return Prisma.sql`TRUE`;
}

/** What a workspace budget's row says ("Whole workspace", "every call"), for search. */
const WORKSPACE_ROW_TEXT = 'whole workspace every call';

/**
 * The search as the rows show it, beyond what budgetListWhere matches (identities, scope targets): an API-key budget by
 * its key's name or prefix ("tb_ab12…"), the workspace budget by its words. FALSE without a match of either.
 */
function shownTextSql(workspaceId: string, text: string): Prisma.Sql {
  const needle = text.toLowerCase();
  const prefix = needle.replace(/(…|\.\.\.)$/, '');
  const key = Prisma.sql`b."scopeKind" = ${'api_key'} AND EXISTS (SELECT 1 FROM "ApiKey" k WHERE k."id" = b."scopeTargetId" AND k."workspaceId" = ${workspaceId} AND (${containsLiteral(Prisma.sql`lower(k."name")`, needle)} OR ${containsLiteral(Prisma.sql`lower(k."prefix")`, prefix || needle)}))`;
  const workspace = WORKSPACE_ROW_TEXT.includes(needle) ? Prisma.sql` OR b."scopeKind" = ${'workspace'}` : Prisma.empty;
  return Prisma.sql`((${key})${workspace})`;
}

const wireScopeKind = (kind: ScopeKind) => {
  const wire = `BUDGET_SCOPE_KIND_${kind.toUpperCase()}`;
  return WIRE_SCOPE_KINDS.find((k) => k === wire);
};

/** A page of budgets (newest first) with the API list's filters, plus a state filter the Studio needs. */
export async function listBudgetsByPage(
  workspaceId: string,
  filters: BudgetListFilters,
  paging: Paging,
  now: Date,
): Promise<BudgetListPage> {
  const kind = filters.scopeKind ? wireScopeKind(filters.scopeKind) : undefined;
  const listFilters = { scope_kind: kind ? [kind] : undefined, period: filters.period ? [periodToWire(filters.period)] : undefined };
  const listWhere = await budgetListWhere(workspaceId, listFilters);
  // The API's search (identities, scope targets) or what the row shows besides.
  const text = filters.query?.trim();
  const search = text ? Prisma.sql`((${await budgetListWhere(workspaceId, { query: text })}) OR ${shownTextSql(workspaceId, text)})` : Prisma.sql`TRUE`;
  const where = Prisma.sql`${listWhere} AND ${search} AND ${stateSql(filters.state, now)}`;
  const total = await selectCount(Prisma.sql`SELECT COUNT(*) AS n FROM "Budget" b WHERE ${where}`);
  const { page, pageCount, skip, take } = offsetPage(total, paging);
  const order = orderSql({ field: 'createdAt', direction: 'desc' }, 'b');
  const budgets = await budgetsInOrder(
    await selectIds(Prisma.sql`SELECT b."id" AS id FROM "Budget" b WHERE ${where} ORDER BY ${order} LIMIT ${take} OFFSET ${skip}`),
  );

  const identityIds = budgets.flatMap((b) => (b.identityId ? [b.identityId] : []));
  const keyIds = budgets.filter((b) => b.scopeKind === 'api_key').map((b) => b.scopeTargetId);
  const [usages, identities, keys] = await Promise.all([
    getBudgetUsages(budgets, now),
    identityIds.length ? db.identity.findMany({ where: { id: { in: identityIds } }, select: { id: true, displayName: true, externalId: true } }) : [],
    keyIds.length ? db.apiKey.findMany({ where: { workspaceId, id: { in: keyIds } }, select: { id: true, name: true, prefix: true, revokedAt: true } }) : [],
  ]);
  const identityById = new Map(identities.map((i) => [i.id, { id: i.id, name: i.displayName || i.externalId, externalId: i.externalId }]));
  const keyById = new Map(keys.map((k) => [k.id, { id: k.id, name: k.name, prefix: k.prefix, revoked: k.revokedAt !== null }]));

  return {
    rows: budgets.map((budget, i) => ({
      budget,
      status: budgetStatus(budget, usages[i], now),
      state: budgetState(budget, now),
      identity: budget.identityId ? (identityById.get(budget.identityId) ?? null) : null,
      apiKey: budget.scopeKind === 'api_key' ? (keyById.get(budget.scopeTargetId) ?? null) : null,
    })),
    total,
    page,
    pageCount,
  };
}

/** The scopes whose budgets gate calls of every identity alike (an identity's own budget aside), widest first. */
export const SHARED_SCOPE_KINDS = ['workspace', 'api_key', 'provider', 'model'] as const satisfies readonly ScopeKind[];

/**
 * The live budgets (active, not expired) that can refuse a call of any identity besides its own: the workspace's and
 * those of API keys (not revoked), providers and models; those refusing calls first, then the fullest. One query for
 * the budgets and one for their counters (with one for the keys' names beside it when there are key budgets).
 */
export async function listSharedLiveBudgets(workspaceId: string, now: Date): Promise<BudgetListRow[]> {
  const budgets = await db.budget.findMany({
    where: { workspaceId, scopeKind: { in: [...SHARED_SCOPE_KINDS] }, isActive: true, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
  });
  const keyIds = budgets.filter((b) => b.scopeKind === 'api_key').map((b) => b.scopeTargetId);
  const [usages, keys] = await Promise.all([
    getBudgetUsages(budgets, now),
    keyIds.length ? db.apiKey.findMany({ where: { workspaceId, id: { in: keyIds } }, select: { id: true, name: true, prefix: true, revokedAt: true } }) : [],
  ]);
  const keyById = new Map(keys.map((k) => [k.id, { id: k.id, name: k.name, prefix: k.prefix, revoked: k.revokedAt !== null }]));
  const scopeRank = (kind: string) => SHARED_SCOPE_KINDS.indexOf(kind as (typeof SHARED_SCOPE_KINDS)[number]);
  return (
    budgets
      .map((budget, i) => ({
        budget,
        status: budgetStatus(budget, usages[i], now),
        state: 'active' as const,
        identity: null,
        apiKey: budget.scopeKind === 'api_key' ? (keyById.get(budget.scopeTargetId) ?? null) : null,
      }))
      // A revoked or deleted key makes no more calls: its budget refuses none.
      .filter((row) => row.budget.scopeKind !== 'api_key' || (row.apiKey !== null && !row.apiKey.revoked))
      .sort(
        (a, b) =>
          Number(b.status.exceeded) - Number(a.status.exceeded) ||
          b.status.fullestPercent - a.status.fullestPercent ||
          scopeRank(a.budget.scopeKind) - scopeRank(b.budget.scopeKind) ||
          a.budget.scopeTargetId.localeCompare(b.budget.scopeTargetId),
      )
  );
}

/** Does the workspace have any budget at all (the empty state differs from "no match")? */
export async function hasAnyBudget(workspaceId: string): Promise<boolean> {
  return (await db.budget.findFirst({ where: { workspaceId }, select: { id: true } })) !== null;
}

/** The words after "a budget for": the key's name for an API-key budget, the scope target otherwise. */
export async function budgetScopeTarget(workspaceId: string, budget: Pick<BudgetRow, 'scopeKind' | 'scopeTargetId'>): Promise<string> {
  if (budget.scopeKind !== 'api_key') return budget.scopeTargetId;
  const key = await db.apiKey.findFirst({ where: { workspaceId, id: budget.scopeTargetId }, select: { name: true } });
  return key?.name ?? budget.scopeTargetId;
}
