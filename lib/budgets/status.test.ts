import { describe, expect, test } from 'vitest';
import { budgetStatus, type BudgetUsage } from './status';
import { budgetRow } from './testing';

const now = new Date('2025-03-05T12:00:00Z');
const budget = budgetRow;
const usage = (costMicros: bigint, tokens = 0, reservedMicros = 0n): BudgetUsage => ({
  costMicros,
  reservedMicros,
  tokens,
  reservedTokens: 0,
  inFlight: reservedMicros > 0n ? 1 : 0,
  requests: 3,
  since: new Date('2025-03-05T00:00Z'),
  until: new Date('2025-03-06T00:00Z'),
});

describe('budgetStatus', () => {
  test('reports orq-style consumption: 0.08 of 0.20 is 40%', () => {
    const status = budgetStatus(budget(), usage(80_000n), now);
    expect(status.limitMicros).toBe(200_000n);
    expect(status.spentMicros).toBe(80_000n);
    expect(status.percent).toBeCloseTo(40);
    expect(status.exceeded).toBe(false);
    expect(status.resetsAt).toEqual(new Date('2025-03-06T00:00Z'));
  });

  test('how full a budget is follows its most used limit, spent and held together', () => {
    const both = { ...budget(), tokenLimit: 1_000n };
    // $0.08 of $0.20 (40 %), 850 of 1,000 tokens (85 %).
    expect(budgetStatus(both, usage(80_000n, 850), now)).toMatchObject({ percent: 40, fullestPercent: 85 });
    // Held counts: $0.10 spent and $0.08 held of $0.20 is 90 %.
    expect(budgetStatus(both, usage(100_000n, 10, 80_000n), now).fullestPercent).toBeCloseTo(90);
  });

  test('blocks once spend reaches the limit exactly', () => {
    expect(budgetStatus(budget(), usage(199_999n), now).exceeded).toBe(false);
    expect(budgetStatus(budget(), usage(200_000n), now).exceeded).toBe(true);
  });

  test('calls in flight count: settled + reserved reaching the limit refuses, remaining never goes below 0', () => {
    const status = budgetStatus(budget(), usage(150_000n, 0, 50_000n), now);
    expect(status.exceeded).toBe(true);
    expect(status.remainingMicros).toBe(0n);
    expect(status.reservedPercent).toBeCloseTo(25);
    const room = budgetStatus(budget(), usage(100_000n, 0, 50_000n), now);
    expect(room).toMatchObject({ exceeded: false, remainingMicros: 50_000n, spentMicros: 100_000n, reservedMicros: 50_000n });
  });

  test('a token limit blocks on its own', () => {
    const status = budgetStatus(budget({ amountMicros: null, tokenLimit: 1000n }), usage(0n, 1000), now);
    expect(status.exceeded).toBe(true);
    expect(status.percent).toBe(100);
  });

  test('inactive or expired budgets never block', () => {
    expect(budgetStatus(budget({ isActive: false }), usage(900_000n), now).exceeded).toBe(false);
    expect(budgetStatus(budget({ expiresAt: new Date('2025-03-01Z') }), usage(900_000n), now).exceeded).toBe(false);
  });
});
