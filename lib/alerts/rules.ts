// Budget alerts as the SDK stores them (threshold_percent, notifier_ids, dimension), and which of them a budget's
// consumption has reached. Pure: no clock, no database.
import { microsToUsd } from '../money';

export type AlertDimension = 'cost' | 'tokens';

export type BudgetAlert = { key: string; dimension: AlertDimension; thresholdPercent: number; notifierIds: string[] };

type StoredAlert = { threshold_percent?: unknown; notifier_ids?: unknown; dimension?: unknown };
type Limits = { amountMicros: bigint | null; tokenLimit: bigint | null };

/** Cheap test for the hot path: does the budget have any alert at all (no parsing)? */
export const hasAlerts = (budget: { alerts: unknown }) => Array.isArray(budget.alerts) && budget.alerts.length > 0;

/**
 * The budget's alerts that can notify someone: a dimension the budget limits (an unspecified dimension means cost
 * when the budget has an amount, else tokens) and at least one notifier. One per dimension and threshold.
 */
export function alertsOf(budget: Limits & { alerts: unknown }): BudgetAlert[] {
  if (!hasAlerts(budget)) return [];
  const byKey = new Map<string, BudgetAlert>();
  for (const raw of budget.alerts as StoredAlert[]) {
    const threshold = Number(raw?.threshold_percent);
    if (!Number.isInteger(threshold) || threshold < 1 || threshold > 100) continue;
    const dimension: AlertDimension =
      raw.dimension === 'BUDGET_ALERT_DIMENSION_TOKENS' ? 'tokens' : raw.dimension === 'BUDGET_ALERT_DIMENSION_COST' ? 'cost' : budget.amountMicros !== null ? 'cost' : 'tokens';
    if ((dimension === 'cost' ? budget.amountMicros : budget.tokenLimit) === null) continue;
    const notifierIds = Array.isArray(raw.notifier_ids) ? raw.notifier_ids.filter((id): id is string => typeof id === 'string') : [];
    if (notifierIds.length === 0) continue;
    const key = `${dimension}:${threshold}`;
    const existing = byKey.get(key);
    if (existing) existing.notifierIds = [...new Set([...existing.notifierIds, ...notifierIds])];
    else byKey.set(key, { key, dimension, thresholdPercent: threshold, notifierIds });
  }
  return [...byKey.values()].sort((a, b) => a.thresholdPercent - b.thresholdPercent || a.dimension.localeCompare(b.dimension));
}

export type Consumption = { spentMicros: bigint; tokens: bigint };

export type ReachedAlert = {
  alert: BudgetAlert;
  /** USD for cost, tokens for tokens. */
  consumed: number;
  limit: number;
  /** Consumption as a percentage of the limit, two decimals. */
  percent: number;
};

const percentOf = (value: bigint, limit: bigint) => Number((value * 10_000n) / limit) / 100;

/** The alerts whose threshold the consumption has reached (consumed ≥ threshold % of the limit), exactly in integers. */
export function reachedAlerts(alerts: BudgetAlert[], limits: Limits, consumption: Consumption): ReachedAlert[] {
  const out: ReachedAlert[] = [];
  for (const alert of alerts) {
    const limit = alert.dimension === 'cost' ? limits.amountMicros : limits.tokenLimit;
    if (limit === null || limit <= 0n) continue;
    const value = alert.dimension === 'cost' ? consumption.spentMicros : consumption.tokens;
    if (value * 100n < BigInt(alert.thresholdPercent) * limit) continue;
    out.push({
      alert,
      consumed: alert.dimension === 'cost' ? microsToUsd(value) : Number(value),
      limit: alert.dimension === 'cost' ? microsToUsd(limit) : Number(limit),
      percent: percentOf(value, limit),
    });
  }
  return out;
}
