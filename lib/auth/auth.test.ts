import { describe, expect, test } from 'vitest';
import { clientIpFrom } from './client-ip';
import { DEFAULT_AFTER_SIGN_IN, safeNextPath } from './redirect';
import {
  backoffMs,
  FREE_FAILURES,
  GLOBAL_MAX_FAILURES,
  GLOBAL_WINDOW_MS,
  MAX_DELAY_MS,
  SignInThrottle,
  type ThrottleDecision,
} from './throttle';

describe('safeNextPath', () => {
  test.each([
    ['/identities/01H?tab=usage', '/identities/01H?tab=usage'],
    ['/api-keys', '/api-keys'],
    ['/identities?q=a%20b#top', '/identities?q=a%20b#top'],
    ['/identities/../api-keys', '/api-keys'],
  ])('keeps the same-origin path %s → %s', (input, expected) => {
    expect(safeNextPath(input)).toBe(expected);
  });

  test.each([
    'https://evil.example',
    'http://evil.example/identities',
    '//evil.example',
    '///evil.example',
    '/\\evil.example',
    '\\\\evil.example',
    '/%5Cevil.example',
    '/%09/evil.example',
    '/\t/evil.example',
    '/\n/evil.example',
    '/%0a/evil.example',
    '/identities\r\nSet-Cookie: x=1',
    '/%0d%0aSet-Cookie:%20x=1',
    '/\u0000/evil.example',
    '/%2F/evil.example',
    '%2F%2Fevil.example',
    '%2f%2fevil.example',
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    ' /identities',
    'data:text/html,<script>alert(1)</script>',
    'evil.example',
    '/%E0%A4%A',
    '/sign-in',
    '/sign-in?next=/identities',
    `/${'a'.repeat(5000)}`,
    '',
  ])('refuses %j', (input) => {
    expect(safeNextPath(input)).toBe(DEFAULT_AFTER_SIGN_IN);
  });

  test.each([undefined, null, 42, ['/identities']])('refuses a non-string (%j)', (input) => {
    expect(safeNextPath(input)).toBe(DEFAULT_AFTER_SIGN_IN);
  });

  test('whatever it answers stays on the origin', () => {
    const samples = ['/a', '/%09/b', '/\t\t//c', '/.//d', '/..//e', '/%2e%2e//f', '/;//g', '/?//h', '/#//i'];
    for (const sample of samples) {
      const target = new URL(safeNextPath(sample), 'https://studio.example');
      expect(target.origin, sample).toBe('https://studio.example');
    }
  });
});

describe('SignInThrottle', () => {
  const t0 = new Date('2026-01-01T00:00:00Z');
  const at = (ms: number) => new Date(t0.getTime() + ms);
  const allowed = (d: ThrottleDecision) => d.allowed;

  test('backoff: free failures, then 1 s, 2 s, 4 s … capped at 15 min', () => {
    expect([0, 4, 5, 6, 7, 8].map(backoffMs)).toEqual([0, 0, 1_000, 2_000, 4_000, 8_000]);
    expect(backoffMs(40)).toBe(MAX_DELAY_MS);
    expect(backoffMs(10_000)).toBe(MAX_DELAY_MS);
  });

  test('one client gets FREE_FAILURES attempts at once, then must wait, doubling each time', () => {
    const throttle = new SignInThrottle();
    for (let i = 0; i < FREE_FAILURES; i++) expect(throttle.attempt('1.1.1.1', 'a@x.io', t0)).toEqual({ allowed: true });
    expect(throttle.attempt('1.1.1.1', 'a@x.io', t0)).toEqual({ allowed: false, retryAfterMs: 1_000 });
    expect(throttle.attempt('1.1.1.1', 'a@x.io', at(999)).allowed).toBe(false);
    expect(throttle.attempt('1.1.1.1', 'a@x.io', at(1_000)).allowed).toBe(true);
    expect(throttle.attempt('1.1.1.1', 'a@x.io', at(1_000))).toEqual({ allowed: false, retryAfterMs: 2_000 });
    expect(throttle.attempt('1.1.1.1', 'a@x.io', at(3_000)).allowed).toBe(true);
    expect(throttle.attempt('1.1.1.1', 'a@x.io', at(3_000))).toEqual({ allowed: false, retryAfterMs: 4_000 });
  });

  test('parallel attempts are each counted: of 40 at the same instant only the free ones pass', () => {
    const throttle = new SignInThrottle();
    const decisions = Array.from({ length: 40 }, () => throttle.attempt('1.1.1.1', 'a@x.io', t0));
    expect(decisions.filter(allowed)).toHaveLength(FREE_FAILURES);
  });

  test("a stranger's failures do not lock out the admin on another IP", () => {
    const throttle = new SignInThrottle();
    for (let i = 0; i < 50; i++) throttle.attempt('6.6.6.6', 'admin@x.io', at(i * MAX_DELAY_MS));
    expect(throttle.attempt('6.6.6.6', 'admin@x.io', at(50 * MAX_DELAY_MS - 1)).allowed).toBe(false);
    expect(throttle.attempt('10.0.0.2', 'admin@x.io', at(50 * MAX_DELAY_MS - 1)).allowed).toBe(true);
  });

  test('a success clears that client only', () => {
    const throttle = new SignInThrottle();
    for (let i = 0; i < FREE_FAILURES + 1; i++) {
      throttle.attempt('1.1.1.1', 'a@x.io', t0);
      throttle.attempt('2.2.2.2', 'a@x.io', t0);
    }
    throttle.succeeded('1.1.1.1', 'a@x.io');
    expect(throttle.attempt('1.1.1.1', 'a@x.io', t0).allowed).toBe(true);
    expect(throttle.attempt('2.2.2.2', 'a@x.io', t0).allowed).toBe(false);
  });

  test('many IPs together hit the per-email cap until the window moves on', () => {
    const throttle = new SignInThrottle();
    for (let i = 0; i < GLOBAL_MAX_FAILURES; i++) expect(throttle.attempt(`10.0.${i >> 8}.${i & 255}`, 'a@x.io', at(i)).allowed).toBe(true);
    const blocked = throttle.attempt('192.168.1.1', 'a@x.io', at(GLOBAL_MAX_FAILURES));
    expect(blocked).toEqual({ allowed: false, retryAfterMs: GLOBAL_WINDOW_MS - GLOBAL_MAX_FAILURES });
    expect(throttle.attempt('192.168.1.1', 'b@x.io', at(GLOBAL_MAX_FAILURES)).allowed).toBe(true);
    expect(throttle.attempt('192.168.1.1', 'a@x.io', at(GLOBAL_WINDOW_MS + 1)).allowed).toBe(true);
  });
});

describe('clientIpFrom', () => {
  const h = (xff?: string) => new Headers(xff === undefined ? {} : { 'x-forwarded-for': xff });
  test('without TOLLBOOTH_TRUST_PROXY: the address Next.js took from the socket', () => {
    expect(clientIpFrom(h('127.0.0.1'), {})).toBe('127.0.0.1');
    expect(clientIpFrom(h(), {})).toBe('unknown');
  });
  test('with TOLLBOOTH_TRUST_PROXY=1: the address the proxy appended', () => {
    expect(clientIpFrom(h('6.6.6.6, 203.0.113.7'), { TOLLBOOTH_TRUST_PROXY: '1' })).toBe('203.0.113.7');
  });
});
