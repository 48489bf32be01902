import { describe, expect, test } from 'vitest';
import { budgetAmounts, budgetBreakdown, reservedPhrase } from './budget-amounts';

const usd = {
  limitMicros: 100_000n,
  spentMicros: 40_000n,
  reservedMicros: 10_000n,
  remainingMicros: 50_000n,
  tokenLimit: null,
  tokens: 1_200,
  reservedTokens: 300,
  inFlight: 2,
};

describe('budgetAmounts', () => {
  test('USD budgets speak in money, exactly', () => {
    expect(budgetAmounts(usd)).toEqual({ measure: 'usd', limit: '$0.10', spent: '$0.04', reserved: '$0.01', remaining: '$0.05' });
    expect(budgetBreakdown(usd)).toBe('$0.04 spent · $0.01 reserved by 2 calls in flight · $0.05 remaining');
  });

  test('token budgets speak in tokens; remaining never goes below zero', () => {
    const tokens = { ...usd, limitMicros: null, remainingMicros: null, tokenLimit: 1_000, inFlight: 1 };
    expect(budgetAmounts(tokens)).toMatchObject({ measure: 'tokens', limit: '1,000 tokens', spent: '1,200 tokens', remaining: '0 tokens' });
    expect(reservedPhrase(tokens)).toBe('300 tokens reserved by 1 call in flight');
  });

  test('a rate limit alone has no remaining', () => {
    const rate = { ...usd, limitMicros: null, remainingMicros: null, inFlight: 0 };
    expect(budgetAmounts(rate)).toMatchObject({ measure: 'none', limit: null, remaining: null });
    expect(budgetBreakdown(rate)).toBe('$0.04 spent · nothing in flight');
  });
});
