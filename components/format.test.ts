import { describe, expect, test } from 'vitest';
import {
  formatCallCost,
  formatCompact,
  formatCost,
  formatDayLabel,
  formatDateTime,
  formatDuration,
  formatInteger,
  formatMicros,
  formatMicrosTogether,
  axisTicks,
  formatUsdTick,
  formatPercent,
  formatShortDateTime,
  formatTokens,
  plural,
} from './format';

describe('format', () => {
  test('integers and compact numbers', () => {
    expect(formatInteger(1234567)).toBe('1,234,567');
    expect(formatCompact(9_999)).toBe('9,999');
    expect(formatCompact(1_234_567)).toBe('1.2M');
  });

  test('percentages', () => {
    expect(formatPercent(0.4)).toBe('40%');
    expect(formatPercent(0.1234)).toBe('12.3%');
    expect(formatPercent(0)).toBe('0%');
    expect(formatPercent(0.0001)).toBe('<0.1%');
    expect(formatPercent(1.5)).toBe('150%');
  });

  test('costs keep significant digits below a cent', () => {
    expect(formatCost(0)).toBe('$0.00');
    expect(formatCost(0.08)).toBe('$0.08');
    expect(formatCost(0.123456)).toBe('$0.12');
    expect(formatCost(0.0042)).toBe('$0.0042');
    expect(formatCost(1234.567)).toBe('$1,234.57');
    expect(formatCallCost(0.013)).toBe('$0.013');
    expect(formatCallCost(0.02243)).toBe('$0.0224');
    expect(formatCallCost(0.000183)).toBe('$0.00018');
    expect(formatCallCost(1.256)).toBe('$1.26');
  });

  test('micro-USD: cents for amounts, every digit for prices', () => {
    expect(formatMicros(0n)).toBe('$0.00');
    expect(formatMicros(80_000n)).toBe('$0.08');
    expect(formatMicros(4_200n)).toBe('$0.0042');
    expect(formatMicros(1_234_567_890n)).toBe('$1,234.57');
    expect(formatMicros(75_000n, 'exact')).toBe('$0.075');
    expect(formatMicros(2_500_000n, 'exact')).toBe('$2.50');
    expect(formatMicros(12_500n, 'exact')).toBe('$0.0125');
  });

  test('amounts shown together share one precision that adds up', () => {
    // $0.0225 of $0.02 is 113%: not "$0.02 of $0.02".
    expect(formatMicrosTogether({ spent: 22_500n, limit: 20_000n, remaining: 0n })).toEqual({ spent: '$0.0225', limit: '$0.0200', remaining: '$0.0000' });
    // Not "$0.0075 of $2.00, $1.99 left".
    expect(formatMicrosTogether({ spent: 7_500n, limit: 2_000_000n, remaining: 1_992_500n })).toEqual({ spent: '$0.0075', limit: '$2.0000', remaining: '$1.9925' });
    expect(formatMicrosTogether({ spent: 80_000n, limit: 200_000n, remaining: 120_000n })).toEqual({ spent: '$0.08', limit: '$0.20', remaining: '$0.12' });
    // Realistic spend against a round limit stays at cents; the smallest amount keeps three significant digits.
    expect(formatMicrosTogether({ spent: 3_472_100n, limit: 100_000_000n, remaining: 96_527_900n })).toEqual({ spent: '$3.47', limit: '$100.00', remaining: '$96.53' });
    expect(formatMicrosTogether({ spent: 11_283n, limit: 100_000_000n, remaining: 99_988_717n })).toEqual({ spent: '$0.0113', limit: '$100.0000', remaining: '$99.9887' });
    expect(formatMicrosTogether({ spent: 1n, limit: 1_000_000n })).toEqual({ spent: '$0.000001', limit: '$1.000000' });
    expect(formatMicrosTogether({ spent: 0n, limit: 1_234_567_000_000n })).toEqual({ spent: '$0.00', limit: '$1,234,567.00' });
  });

  test('USD axis ticks show the decimals of their step', () => {
    // Recharts' own ticks for $0.06 came in 0.015 steps and were shown "$0.02", "$0.03", "$0.05".
    const fifteens = [0, 0.015, 0.03, 0.045, 0.06];
    expect(fifteens.map((t) => formatUsdTick(t, fifteens))).toEqual(['$0', '$0.015', '$0.030', '$0.045', '$0.060']);
    expect(formatUsdTick(0.012, [0, 0.003, 0.006, 0.009, 0.012])).toBe('$0.012');
    const ticks = axisTicks(0.0581);
    expect(ticks).toEqual([0, 0.02, 0.04, 0.06]);
    expect(ticks.map((t) => formatUsdTick(t, ticks))).toEqual(['$0', '$0.02', '$0.04', '$0.06']);
    const small = axisTicks(0.0113);
    expect(small).toEqual([0, 0.005, 0.01, 0.015]);
    expect(small.map((t) => formatUsdTick(t, small))).toEqual(['$0', '$0.005', '$0.010', '$0.015']);
    const halves = axisTicks(9);
    expect(halves).toEqual([0, 2.5, 5, 7.5, 10]);
    expect(halves.map((t) => formatUsdTick(t, halves))).toEqual(['$0', '$2.50', '$5.00', '$7.50', '$10.00']);
    const big = axisTicks(3_400);
    expect(big.map((t) => formatUsdTick(t, big))).toEqual(['$0', '$1,000', '$2,000', '$3,000', '$4,000']);
    expect(axisTicks(0)).toEqual([0, 1]);
  });

  test('counted nouns', () => {
    expect(formatTokens(1)).toBe('1 token');
    expect(formatTokens(12_000)).toBe('12,000 tokens');
    expect(plural(1, 'call')).toBe('1 call');
    expect(plural(2, 'call')).toBe('2 calls');
    expect(plural(0, 'call')).toBe('0 calls');
  });

  test('dates are UTC', () => {
    expect(formatDateTime(new Date('2026-03-04T05:06:07Z'))).toBe('Mar 4, 2026, 05:06 UTC');
    expect(formatDayLabel('2026-03-04')).toBe('Mar 4');
    expect(formatShortDateTime(new Date('2026-11-26T00:00:00Z'))).toBe('Nov 26, 00:00');
  });

  test('durations', () => {
    expect(formatDuration(30_000)).toBe('less than a minute');
    expect(formatDuration(5 * 60_000)).toBe('5 min');
    expect(formatDuration((5 * 60 + 12) * 60_000)).toBe('5 h 12 min');
    expect(formatDuration(12 * 3_600_000)).toBe('12 h');
    expect(formatDuration(3 * 86_400_000)).toBe('3 days');
  });
});
