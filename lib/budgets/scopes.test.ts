import { describe, expect, test } from 'vitest';
import { windowKeyAt, windowStartOf } from './scopes';
import { consumptionSince, type BudgetPeriod } from '../time/periods';
import type { BudgetRow } from '../workspaces/config';

const row = (period: BudgetPeriod, lastResetAt: Date | null = null): BudgetRow =>
  ({ id: 'b1', period, lastResetAt, createdAt: new Date('2026-01-15T10:00:00Z') }) as BudgetRow;

describe('windowStartOf', () => {
  test('is the period start or the last reset, whichever is later, whatever times one row is asked about and in what order', () => {
    const periods: BudgetPeriod[] = ['daily', 'weekly', 'monthly', 'yearly', 'one_time'];
    const reset = new Date('2026-11-27T15:30:00Z');
    let x = 12_345;
    for (const period of periods) {
      for (const lastResetAt of [null, reset]) {
        const budget = row(period, lastResetAt);
        for (let i = 0; i < 2_000; i++) {
          // Mostly nearby times (the same window again), sometimes far ones (another window), in no order.
          x = (x * 1_103_515_245 + 12_345) % 2 ** 31;
          const spread = i % 7 === 0 ? 400 * 86_400_000 : 3 * 86_400_000;
          const now = new Date(Date.UTC(2026, 10, 27) + ((x / 2 ** 31) - 0.5) * spread);
          const expected = consumptionSince(period, now, lastResetAt, budget.createdAt);
          expect(windowStartOf(budget, now).getTime(), `${period} ${lastResetAt ? 'reset' : ''} ${now.toISOString()}`).toBe(expected.getTime());
        }
      }
    }
  });

  test('a window begun by a reset: spend before the reset counts toward none', () => {
    const budget = row('monthly', new Date('2026-11-20T00:00:00Z'));
    expect(windowKeyAt(budget, new Date('2026-11-25T00:00:00Z'))).toBe(BigInt(Date.UTC(2026, 10, 20)));
    expect(windowKeyAt(budget, new Date('2026-11-10T00:00:00Z'))).toBeNull();
    expect(windowKeyAt(budget, new Date('2026-12-02T00:00:00Z'))).toBe(BigInt(Date.UTC(2026, 11, 1)));
  });
});
