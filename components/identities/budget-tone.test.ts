import { describe, expect, test } from 'vitest';
import { budgetTone, gaugeFill, gaugeParts, WARNING_PERCENT } from './budget-tone';

describe('budgetTone', () => {
  test.each([
    [0, 'ok'],
    [40, 'ok'],
    [WARNING_PERCENT - 0.01, 'ok'],
    [WARNING_PERCENT, 'warning'],
    [99.99, 'warning'],
    [100, 'exceeded'],
    [250, 'exceeded'],
  ] as const)('%s%% → %s', (percent, tone) => {
    expect(budgetTone(percent)).toBe(tone);
  });

  test('the service’s exceeded flag wins (e.g. a token limit hit first)', () => {
    expect(budgetTone(10, { exceeded: true })).toBe('exceeded');
  });

  test('an inactive budget is grey whatever its use', () => {
    expect(budgetTone(150, { isActive: false })).toBe('inactive');
  });
});

describe('gaugeFill', () => {
  test('clamps to the ring', () => {
    expect(gaugeFill(-5)).toBe(0);
    expect(gaugeFill(Number.NaN)).toBe(0);
    expect(gaugeFill(40)).toBe(0.4);
    expect(gaugeFill(140)).toBe(1);
  });
});

describe('gaugeParts', () => {
  test('reserved follows spent and stops at the end', () => {
    expect(gaugeParts(40, 10)).toEqual({ spent: 0.4, reserved: 0.1 });
    expect(gaugeParts(0, 25)).toEqual({ spent: 0, reserved: 0.25 });
    expect(gaugeParts(95, 20).reserved).toBeCloseTo(0.05);
    expect(gaugeParts(120, 20)).toEqual({ spent: 1, reserved: 0 });
    expect(gaugeParts(40, -1)).toEqual({ spent: 0.4, reserved: 0 });
  });
});
