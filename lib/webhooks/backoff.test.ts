import { describe, expect, test } from 'vitest';
import { MAX_ATTEMPTS, retryBaseMs, retryDelayMs } from './backoff';

describe('webhook retry schedule', () => {
  test('10 s, 30 s, 2 min, 10 min, 30 min, 1 h, 3 h, then given up after the 8th attempt', () => {
    const delays = Array.from({ length: MAX_ATTEMPTS }, (_, i) => retryDelayMs(i + 1));
    expect(delays).toEqual([10_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000, 10_800_000, null]);
    expect(MAX_ATTEMPTS).toBe(8);
  });

  test('the base scales every step (tests run the schedule in milliseconds)', () => {
    expect(retryDelayMs(1, 50)).toBe(50);
    expect(retryDelayMs(3, 50)).toBe(600);
    expect(retryDelayMs(0, 50)).toBeNull();
  });

  test('TOLLBOOTH_WEBHOOK_RETRY_BASE_MS sets the base; nonsense falls back to 10 s', () => {
    expect(retryBaseMs({ TOLLBOOTH_WEBHOOK_RETRY_BASE_MS: '200' })).toBe(200);
    expect(retryBaseMs({ TOLLBOOTH_WEBHOOK_RETRY_BASE_MS: 'soon' })).toBe(10_000);
    expect(retryBaseMs({})).toBe(10_000);
  });
});
