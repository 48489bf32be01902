import { describe, expect, test } from 'vitest';
import { safeNextPath } from './redirect';
import { MAX_FAILURES, SignInThrottle, WINDOW_MS } from './throttle';

describe('safeNextPath', () => {
  test.each([
    ['/identities/01H?tab=usage', '/identities/01H?tab=usage'],
    ['/api-keys', '/api-keys'],
    ['https://evil.example', '/identities'],
    ['//evil.example', '/identities'],
    ['/\\evil.example', '/identities'],
    ['/sign-in', '/identities'],
    ['', '/identities'],
    [undefined, '/identities'],
  ])('%s → %s', (input, expected) => {
    expect(safeNextPath(input)).toBe(expected);
  });
});

describe('SignInThrottle', () => {
  test('blocks after the limit and frees up when the window passes', () => {
    const throttle = new SignInThrottle();
    const t0 = new Date('2026-01-01T00:00:00Z');
    for (let i = 0; i < MAX_FAILURES; i++) throttle.recordFailure('a@x.io', t0);
    expect(throttle.retryAfterMs('a@x.io', t0)).toBe(WINDOW_MS);
    expect(throttle.retryAfterMs('b@x.io', t0)).toBe(0);
    expect(throttle.retryAfterMs('a@x.io', new Date(t0.getTime() + WINDOW_MS + 1))).toBe(0);
  });

  test('a success clears the count', () => {
    const throttle = new SignInThrottle();
    const t0 = new Date('2026-01-01T00:00:00Z');
    for (let i = 0; i < MAX_FAILURES; i++) throttle.recordFailure('a@x.io', t0);
    throttle.clear('a@x.io');
    expect(throttle.retryAfterMs('a@x.io', t0)).toBe(0);
  });
});
