import { expect, test } from 'vitest';
import { initials } from './identity-avatar';

test.each([
  ['Jane Smith', 'JS'],
  ['Bulk 25', 'BU'],
  ['user_12345', 'US'],
  ['acme-corp', 'AC'],
  ['42', '42'],
  ['Émile Zola', 'ÉZ'],
])('initials(%s) = %s', (name, expected) => {
  expect(initials(name)).toBe(expected);
});
