import { describe, expect, test } from 'vitest';
import { displayPrefix, generateApiKey, hashApiKey, parseBearer, weakKeyReason } from './crypto';

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
  });

  test('shows tb_ and 4 characters of a key, never more than a quarter of a short one', () => {
    const key = generateApiKey();
    expect(displayPrefix(key)).toBe(key.slice(0, 7));
    expect(displayPrefix('sk-0123456789abcdef')).toBe('sk-0');
    expect(displayPrefix('short')).toBe('s');
  });

  test('calls short or typed root keys weak and generated ones strong', () => {
    expect(weakKeyReason('tb_my_root_key')).toMatch(/14 characters/);
    expect(weakKeyReason('tb_my_root_key_tb_my_root_key_tb_my_root_key')).toMatch(/random/);
    expect(weakKeyReason('a'.repeat(64))).toMatch(/random/);
    for (let i = 0; i < 50; i++) expect(weakKeyReason(generateApiKey())).toBeNull();
    expect(weakKeyReason('0123456789abcdef0123456789abcdef')).toBeNull();
  });

  test('parses bearer headers', () => {
    expect(parseBearer('Bearer abc')).toBe('abc');
    expect(parseBearer('bearer   abc:')).toBe('abc');
    expect(parseBearer('Basic abc')).toBeNull();
    expect(parseBearer('Bearer ')).toBeNull();
    expect(parseBearer(null)).toBeNull();
  });
});
