// Budget windows come from the UTC calendar, never from a reset cron. Domain code takes `now`.

export const BUDGET_PERIODS = ['daily', 'weekly', 'monthly', 'yearly', 'one_time'] as const;
export type BudgetPeriod = (typeof BUDGET_PERIODS)[number];

const DAY_MS = 86_400_000;

/** Start of the UTC day containing `date`. */
export function startOfUtcDay(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
}

export function addUtcDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * DAY_MS);
}

/**
 * Start of the current window of a calendar period (ISO weeks start Monday 00:00 UTC).
 * A one-time budget has a single window that opens when the budget is created.
 */
export function periodStart(period: BudgetPeriod, now: Date, createdAt?: Date): Date {
  const [y, m, d] = [now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()];
  switch (period) {
    case 'daily':
      return new Date(Date.UTC(y, m, d));
    case 'weekly':
      return new Date(Date.UTC(y, m, d - ((now.getUTCDay() + 6) % 7)));
    case 'monthly':
      return new Date(Date.UTC(y, m, 1));
    case 'yearly':
      return new Date(Date.UTC(y, 0, 1));
    case 'one_time':
      return createdAt ?? new Date(0);
  }
}

/** When the current window closes (exclusive); null for a one-time budget, which never resets. */
export function periodEnd(period: BudgetPeriod, now: Date): Date | null {
  const start = periodStart(period, now);
  const [y, m, d] = [start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate()];
  switch (period) {
    case 'daily':
      return new Date(Date.UTC(y, m, d + 1));
    case 'weekly':
      return new Date(Date.UTC(y, m, d + 7));
    case 'monthly':
      return new Date(Date.UTC(y, m + 1, 1));
    case 'yearly':
      return new Date(Date.UTC(y + 1, 0, 1));
    case 'one_time':
      return null;
  }
}

/** Consumption counts from the later of the window start and the last manual reset. */
export function consumptionSince(
  period: BudgetPeriod,
  now: Date,
  lastResetAt: Date | null,
  createdAt?: Date,
): Date {
  const start = periodStart(period, now, createdAt);
  return lastResetAt && lastResetAt > start ? lastResetAt : start;
}
