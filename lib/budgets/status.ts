// Pure budget arithmetic: how far a budget is used and whether it refuses calls. Money in micro-USD (the
// serializers and the Studio's formatMicros show it).
import type { BudgetPeriod } from '../time/periods';
import type { BudgetRow } from '../workspaces/config';
import type { ScopeKind } from './schema';

export type { BudgetRow };

/** A budget's current window, from its counter: settled spend and what calls in flight hold. */
export type BudgetUsage = {
  costMicros: bigint;
  reservedMicros: bigint;
  tokens: number;
  reservedTokens: number;
  requests: number;
  inFlight: number;
  since: Date;
  until: Date | null;
};

export type BudgetStatus = {
  budgetId: string;
  scopeKind: ScopeKind;
  scopeTargetId: string;
  period: BudgetPeriod;
  limitMicros: bigint | null;
  spentMicros: bigint;
  reservedMicros: bigint;
  /** limit − spent − reserved, never below 0 (null without a USD limit). */
  remainingMicros: bigint | null;
  tokenLimit: number | null;
  requestsPerMinute: number | null;
  tokens: number;
  reservedTokens: number;
  requests: number;
  inFlight: number;
  /** Share of the USD limit spent (of the token limit when there is no USD limit), in percent. */
  percent: number;
  /** Share held by calls in flight, in percent of the same limit. */
  reservedPercent: number;
  /** How full the budget is: the largest share of any of its limits (USD, tokens) that spent and held use, in percent. */
  fullestPercent: number;
  /** Committed spend (settled + reserved) has reached a limit: new calls are refused. */
  exceeded: boolean;
  isActive: boolean;
  expiresAt: Date | null;
  windowStart: Date;
  resetsAt: Date | null;
  lastResetAt: Date | null;
};

export const emptyUsage = (since: Date, until: Date | null): BudgetUsage => ({
  costMicros: 0n,
  reservedMicros: 0n,
  tokens: 0,
  reservedTokens: 0,
  requests: 0,
  inFlight: 0,
  since,
  until,
});

/** A window's usage from its counter row (settled spend and what calls in flight hold). */
export const counterUsage = (
  c: { spentMicros: bigint; reservedMicros: bigint; tokens: bigint; reservedTokens: bigint; requests: number; inFlight: number },
  since: Date,
  until: Date | null,
): BudgetUsage => ({
  costMicros: c.spentMicros,
  reservedMicros: c.reservedMicros,
  tokens: Number(c.tokens),
  reservedTokens: Number(c.reservedTokens),
  requests: c.requests,
  inFlight: c.inFlight,
  since,
  until,
});

const share = (part: number, whole: number) => (whole > 0 ? (part / whole) * 100 : 0);

/** Pure: how far a budget is used and whether it refuses calls. */
export function budgetStatus(budget: BudgetRow, usage: BudgetUsage, now: Date): BudgetStatus {
  const limitMicros = budget.amountMicros;
  const tokenLimit = budget.tokenLimit != null ? Number(budget.tokenLimit) : null;
  const usd = limitMicros != null && limitMicros > 0n;
  const percent = usd ? share(Number(usage.costMicros), Number(limitMicros)) : tokenLimit ? share(usage.tokens, tokenLimit) : 0;
  const reservedPercent = usd ? share(Number(usage.reservedMicros), Number(limitMicros)) : tokenLimit ? share(usage.reservedTokens, tokenLimit) : 0;
  const live = budget.isActive && !(budget.expiresAt && budget.expiresAt <= now);
  const committed = usage.costMicros + usage.reservedMicros;
  const overCost = limitMicros != null && committed >= limitMicros;
  const overTokens = tokenLimit != null && usage.tokens + usage.reservedTokens >= tokenLimit;
  const remainingMicros = limitMicros != null ? (committed >= limitMicros ? 0n : limitMicros - committed) : null;
  const fullestPercent = Math.max(usd ? share(Number(committed), Number(limitMicros)) : 0, tokenLimit ? share(usage.tokens + usage.reservedTokens, tokenLimit) : 0);
  return {
    budgetId: budget.id,
    // Budget.scopeKind holds only the kinds resolveScope writes.
    scopeKind: budget.scopeKind as ScopeKind,
    scopeTargetId: budget.scopeTargetId,
    period: budget.period as BudgetPeriod,
    limitMicros,
    spentMicros: usage.costMicros,
    reservedMicros: usage.reservedMicros,
    remainingMicros,
    tokenLimit,
    requestsPerMinute: budget.requestsPerMinute,
    tokens: usage.tokens,
    reservedTokens: usage.reservedTokens,
    requests: usage.requests,
    inFlight: usage.inFlight,
    percent,
    reservedPercent,
    fullestPercent,
    exceeded: live && (overCost || overTokens),
    isActive: budget.isActive,
    expiresAt: budget.expiresAt,
    windowStart: usage.since,
    resetsAt: usage.until,
    lastResetAt: budget.lastResetAt,
  };
}
