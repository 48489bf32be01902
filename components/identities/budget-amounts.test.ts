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
    expect(budgetAmounts(usd)).toMatchObject({ measure: 'usd', limit: '$0.10', spent: '$0.04', reserved: '$0.01', remaining: '$0.05', percent: 40, reservedPercent: 10 });
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

  test('a USD and a token limit: the gauge follows the most used one, the other is listed too', () => {
    // $100 and 2,000 tokens a day, 3,000 tokens and $0.0113 spent: the token limit is reached, not "<0.1%".
    const both = { ...usd, limitMicros: 100_000_000n, spentMicros: 11_300n, reservedMicros: 0n, remainingMicros: 99_988_700n, tokenLimit: 2_000, tokens: 3_000, reservedTokens: 0, inFlight: 0, requestsPerMinute: 60 };
    const amounts = budgetAmounts(both);
    expect(amounts).toMatchObject({ measure: 'tokens', spentOf: '3,000', limit: '2,000 tokens', remaining: '0 tokens', percent: 150, rate: '60 requests/min' });
    expect(amounts.meters.map((m) => [m.measure, m.spentOf, m.limit, m.remaining])).toEqual([
      ['tokens', '3,000', '2,000 tokens', '0 tokens'],
      ['usd', '$0.0113', '$100.0000', '$99.9887'],
    ]);
    // Mostly spent in money: money first.
    const money = budgetAmounts({ ...both, spentMicros: 90_000_000n, remainingMicros: 10_000_000n, tokens: 100 });
    expect(money).toMatchObject({ measure: 'usd', spentOf: '$90.00', limit: '$100.00', percent: 90 });
    expect(money.meters[1]).toMatchObject({ measure: 'tokens', percent: 5 });
  });

  test('spent, limit and remaining share one precision', () => {
    const over = budgetAmounts({ ...usd, limitMicros: 20_000n, spentMicros: 22_500n, reservedMicros: 0n, remainingMicros: 0n });
    expect([over.spent, over.limit, over.remaining]).toEqual(['$0.0225', '$0.0200', '$0.0000']);
    const small = budgetAmounts({ ...usd, limitMicros: 2_000_000n, spentMicros: 7_500n, reservedMicros: 0n, remainingMicros: 1_992_500n });
    expect([small.spent, small.limit, small.remaining]).toEqual(['$0.0075', '$2.0000', '$1.9925']);
  });
});
