// Budget scopes (which calls a budget applies to) and windows (which counter row holds its spend).
import { consumptionSince, periodEnd, periodStart, type BudgetPeriod } from '../time/periods';
import { splitModel } from '../usage/pricing';
import type { BudgetRow } from '../workspaces/config';
import type { ScopeKind } from './schema';

export type { ScopeKind };

/** Who and what a call is: the budgets of each matching scope apply to it. */
export type CallScope = {
  workspaceId: string;
  identityId: string | null;
  apiKeyId: string | null;
  /** Provider name, e.g. "openai". */
  provider: string | null;
  /** The provider's model name, e.g. "gpt-4o" (a model budget targets "openai/gpt-4o"). */
  model: string | null;
};

/** The scope target a model budget uses: the router's `provider/model`, compared case-insensitively. */
export const modelTarget = (provider: string, model: string) => `${provider}/${model}`.toLowerCase();

/** Does this budget cover the call? */
export function budgetApplies(budget: BudgetRow, call: CallScope): boolean {
  switch (budget.scopeKind) {
    case 'identity':
      return call.identityId !== null && budget.identityId === call.identityId;
    case 'workspace':
      return true;
    case 'api_key':
      return call.apiKeyId !== null && budget.scopeTargetId === call.apiKeyId;
    case 'provider':
      return call.provider !== null && budget.scopeTargetId === call.provider.toLowerCase();
    case 'model':
      return call.provider !== null && call.model !== null && budget.scopeTargetId === modelTarget(call.provider, call.model);
    default:
      return false;
  }
}

/** Active and not expired: the budget gates calls now. */
export const isLive = (budget: BudgetRow, now: Date) => budget.isActive && !(budget.expiresAt && budget.expiresAt <= now);

/** A budget's window as last worked out: the calendar period it is in, [fromMs, untilMs), and its start. */
type KnownWindow = { fromMs: number; untilMs: number; start: Date };
// Keyed by the budget's row: a row changes (a reset, a new period kind) only as a new object, when the cache reloads.
const knownWindows = new WeakMap<BudgetRow, KnownWindow>();

/**
 * Start of the budget's current window: the calendar period start or the last reset, whichever is later. Worked out once
 * per budget row and calendar period (every admission asks, for every budget that applies).
 */
export function windowStartOf(budget: BudgetRow, now: Date): Date {
  const t = now.getTime();
  const known = knownWindows.get(budget);
  if (known && known.fromMs <= t && t < known.untilMs) return known.start;
  const period = budget.period as BudgetPeriod;
  const start = consumptionSince(period, now, budget.lastResetAt, budget.createdAt);
  if (period !== 'one_time') {
    const from = periodStart(period, now).getTime();
    knownWindows.set(budget, { fromMs: from, untilMs: (periodEnd(period, now) as Date).getTime(), start });
  }
  return start;
}

/** When the current window closes; null for a one-time budget. */
export const windowEndOf = (budget: BudgetRow, now: Date): Date | null => periodEnd(budget.period as BudgetPeriod, now);

/**
 * The window (start, epoch ms) whose counter spend at `at` counts toward; null when it counts toward
 * none (before the budget's last reset in that period, or before a one-time budget began).
 */
export function windowKeyAt(budget: BudgetRow, at: Date): bigint | null {
  const start = windowStartOf(budget, at);
  return at < start ? null : BigInt(start.getTime());
}

/** Provider and model of a recorded call for scope matching: "openai/gpt-4o" in `model` alone is split. */
export function callTarget(provider: string | null, model: string | null): { provider: string | null; model: string | null } {
  if (!model) return { provider: provider?.toLowerCase() ?? null, model: null };
  const split = splitModel(provider, model);
  return { provider: split.provider?.toLowerCase() ?? null, model: split.model };
}
