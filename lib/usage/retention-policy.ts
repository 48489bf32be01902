import { addUtcDays, startOfUtcDay } from '../time/periods';

// Retention of raw usage events (TOLLBOOTH_RETENTION_DAYS): pure rules, shared by the environment check, the job and
// the operator's command. Rollups (UsageDaily), budget counters and window totals are kept forever.

/**
 * The smallest setting: the 30-day metrics read raw events of their partial oldest day, and the window totals
 * (lib/usage/window-totals.ts) read raw events from where the window last stood; two days beyond the window keep both.
 */
export const MIN_RETENTION_DAYS = 32;
export const MAX_RETENTION_DAYS = 36_500;

/** Why a TOLLBOOTH_RETENTION_DAYS value is refused, or null when it is fine (unset, empty and 0 keep everything). */
export function retentionDaysProblem(value: string | undefined): string | null {
  if (value === undefined || value === '') return null;
  if (!/^\d+$/.test(value)) return 'must be a whole number of days (0 keeps every event)';
  const days = Number(value);
  if (days === 0) return null;
  if (days < MIN_RETENTION_DAYS) return `must be 0 (keep every event) or at least ${MIN_RETENTION_DAYS} days: the 30-day metrics read raw events of their oldest day`;
  if (days > MAX_RETENTION_DAYS) return `must be at most ${MAX_RETENTION_DAYS}`;
  return null;
}

/** Days of raw events to keep, or null when retention is off (unset or 0). Throws on a value the start would refuse. */
export function retentionDaysFrom(value: string | undefined): number | null {
  const problem = retentionDaysProblem(value);
  if (problem) throw new Error(`TOLLBOOTH_RETENTION_DAYS: ${problem}`);
  const days = value ? Number(value) : 0;
  return days > 0 ? days : null;
}

/** Events before this instant are deleted: UTC midnight `days` days before today, so whole days go at once. */
export function retentionCutoff(now: Date, days: number): Date {
  if (!Number.isInteger(days) || days < MIN_RETENTION_DAYS) throw new Error(`retention must be at least ${MIN_RETENTION_DAYS} days, got ${days}`);
  return addUtcDays(startOfUtcDay(now), -days);
}
