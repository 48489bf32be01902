import { describe, expect, test } from 'vitest';
import { clientIpFrom } from './client-ip';
import { DEFAULT_AFTER_SIGN_IN, safeNextPath } from './redirect';

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
