import { describe, expect, test } from 'vitest';
import { displayPrefix, generateApiKey, hashApiKey, parseBearer } from './crypto';

describe('api key crypto', () => {
  test('generates distinct high-entropy keys with a recognisable prefix', () => {
    const a = generateApiKey();
    const b = generateApiKey();
    expect(a).not.toBe(b);
    expect(a).toMatch(/^tb_[A-Za-z0-9_-]{43}$/);
  });

  test('hashes deterministically and never returns the key', () => {
    const key = generateApiKey();
    expect(hashApiKey(key)).toBe(hashApiKey(key));
    expect(hashApiKey(key)).toMatch(/^[0-9a-f]{64}$/);
    expect(displayPrefix(key)).toHaveLength(10);
    expect(displayPrefix('short')).toBe('shor');
  });

  test('parses bearer headers', () => {
    expect(parseBearer('Bearer abc')).toBe('abc');
    expect(parseBearer('bearer   abc:')).toBe('abc');
    expect(parseBearer('Basic abc')).toBeNull();
    expect(parseBearer('Bearer ')).toBeNull();
    expect(parseBearer(null)).toBeNull();
  });
});
