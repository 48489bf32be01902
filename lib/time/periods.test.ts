import { describe, expect, test } from 'vitest';
import { consumptionSince, periodEnd, periodStart } from './periods';

const d = (iso: string) => new Date(iso);

describe('periodStart', () => {
  test('days start at 00:00 UTC', () => {
    expect(periodStart('daily', d('2025-03-02T23:59:59.999Z'))).toEqual(d('2025-03-02T00:00:00Z'));
    expect(periodStart('daily', d('2025-03-03T00:00:00Z'))).toEqual(d('2025-03-03T00:00:00Z'));
  });

  test('weeks start Monday 00:00 UTC', () => {
    expect(periodStart('weekly', d('2025-03-02T23:59Z'))).toEqual(d('2025-02-24T00:00Z')); // Sunday
    expect(periodStart('weekly', d('2025-03-03T00:00Z'))).toEqual(d('2025-03-03T00:00Z')); // Monday
    expect(periodStart('weekly', d('2025-01-01T12:00Z'))).toEqual(d('2024-12-30T00:00Z')); // across a year
  });

  test('months and years start on the 1st', () => {
    expect(periodStart('monthly', d('2024-02-29T23:59:59Z'))).toEqual(d('2024-02-01T00:00Z'));
    expect(periodStart('monthly', d('2024-03-01T00:00:00Z'))).toEqual(d('2024-03-01T00:00Z'));
    expect(periodStart('yearly', d('2024-12-31T23:59:59Z'))).toEqual(d('2024-01-01T00:00Z'));
    expect(periodStart('yearly', d('2025-01-01T00:00:00Z'))).toEqual(d('2025-01-01T00:00Z'));
  });

  test('a one-time window opens when the budget is created', () => {
    expect(periodStart('one_time', d('2030-01-01Z'), d('2025-05-05T05:05Z'))).toEqual(d('2025-05-05T05:05Z'));
  });
});

describe('periodEnd', () => {
  test('is the next window start', () => {
    expect(periodEnd('daily', d('2025-12-31T10:00Z'))).toEqual(d('2026-01-01T00:00Z'));
    expect(periodEnd('weekly', d('2025-03-02T23:59Z'))).toEqual(d('2025-03-03T00:00Z'));
    expect(periodEnd('monthly', d('2025-12-15T00:00Z'))).toEqual(d('2026-01-01T00:00Z'));
    expect(periodEnd('yearly', d('2025-06-15T00:00Z'))).toEqual(d('2026-01-01T00:00Z'));
    expect(periodEnd('one_time', d('2025-06-15T00:00Z'))).toBeNull();
  });
});

describe('consumptionSince', () => {
  test('a reset inside the window moves the start', () => {
    const now = d('2025-03-05T12:00Z');
    expect(consumptionSince('daily', now, d('2025-03-05T09:00Z'))).toEqual(d('2025-03-05T09:00Z'));
  });

  test('a reset from an earlier window is ignored', () => {
    const now = d('2025-03-06T12:00Z');
    expect(consumptionSince('daily', now, d('2025-03-05T09:00Z'))).toEqual(d('2025-03-06T00:00Z'));
    expect(consumptionSince('monthly', now, null)).toEqual(d('2025-03-01T00:00Z'));
  });
});
