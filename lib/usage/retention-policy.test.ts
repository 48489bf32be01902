import { describe, expect, test } from 'vitest';
import { MIN_RETENTION_DAYS, retentionCutoff, retentionDaysFrom, retentionDaysProblem } from './retention-policy';

describe('TOLLBOOTH_RETENTION_DAYS', () => {
  test('unset, empty and 0 keep every event', () => {
    for (const v of [undefined, '', '0']) {
      expect(retentionDaysProblem(v)).toBeNull();
      expect(retentionDaysFrom(v)).toBeNull();
    }
  });

  test('32 days or more is a retention period', () => {
    expect(retentionDaysFrom('32')).toBe(32);
    expect(retentionDaysFrom('400')).toBe(400);
  });

  test('refuses what would cut into the metrics window, or is not a number of days', () => {
    expect(retentionDaysProblem('5')).toBe('must be 0 (keep every event) or at least 32 days: the 30-day metrics read raw events of their oldest day');
    expect(retentionDaysProblem('31')).toMatch(/at least 32 days/);
    for (const v of ['-1', 'abc', '1.5', '32d', ' 40']) expect(retentionDaysProblem(v)).toBe('must be a whole number of days (0 keeps every event)');
    expect(retentionDaysProblem('99999999')).toBe('must be at most 36500');
    expect(() => retentionDaysFrom('5')).toThrow('TOLLBOOTH_RETENTION_DAYS: must be 0 (keep every event) or at least 32 days');
  });
});

describe('retentionCutoff', () => {
  test('is UTC midnight N days before today, so whole days go at once', () => {
    expect(retentionCutoff(new Date('2026-03-10T15:30:00Z'), 32)).toEqual(new Date('2026-02-06T00:00:00Z'));
    expect(retentionCutoff(new Date('2026-03-10T00:00:00Z'), 32)).toEqual(new Date('2026-02-06T00:00:00Z'));
    expect(retentionCutoff(new Date('2026-03-10T23:59:59.999Z'), 90)).toEqual(new Date('2025-12-10T00:00:00Z'));
  });

  test('always lies before the 30-day metrics window and its partial oldest day', () => {
    for (const iso of ['2026-03-10T00:00:00Z', '2026-03-10T00:00:00.001Z', '2026-03-10T12:00:00Z', '2026-03-10T23:59:59.999Z']) {
      const now = new Date(iso);
      const windowStart = new Date(now.getTime() - 30 * 86_400_000);
      const windowFirstDay = new Date(Date.UTC(windowStart.getUTCFullYear(), windowStart.getUTCMonth(), windowStart.getUTCDate()));
      const cutoff = retentionCutoff(now, MIN_RETENTION_DAYS);
      // A window left unmoved for up to a day still reads only kept events.
      expect(windowFirstDay.getTime() - cutoff.getTime()).toBeGreaterThanOrEqual(86_400_000);
    }
  });

  test('refuses a period shorter than the minimum', () => {
    expect(() => retentionCutoff(new Date('2026-03-10T00:00:00Z'), 31)).toThrow(/at least 32 days/);
  });
});
