import { describe, expect, test } from 'vitest';
import { checkJsonTree } from './json-guard';
import { metadataIssue, metadataSchema } from './metadata';

const deep = (levels: number): unknown => {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = [value];
  return value;
};

describe('checkJsonTree', () => {
  test('accepts an ordinary body', () => {
    expect(checkJsonTree({ a: [1, 'x', { b: null }], c: true })).toBeNull();
  });

  test('names the path of a body nested too deeply, even a million levels deep', () => {
    expect(checkJsonTree({ m: deep(64) })?.field).toBe('m.0.0.0.0.0.0.0.0.0.0.0.…');
    expect(checkJsonTree(deep(1_000_000))?.issue).toMatch(/nested too deeply/);
    expect(checkJsonTree({ m: deep(60) })).toBeNull();
  });

  test('refuses __proto__ keys, NUL and unpaired surrogates', () => {
    expect(checkJsonTree(JSON.parse('{"metadata":{"__proto__":{"x":1}}}'))).toEqual({ field: 'metadata.__proto__', issue: 'is not allowed as a key' });
    expect(checkJsonTree({ id: 'a\u0000b' })?.field).toBe('id');
    expect(checkJsonTree({ list: ['ok', 'x\ud800'] })?.field).toBe('list.1');
    expect(checkJsonTree({ m: { 'k\udfff': 1 } })?.field).toBe('m');
    expect(checkJsonTree({ emoji: '😀' })).toBeNull();
  });
});

describe('metadata limits', () => {
  test('names what breaks a limit', () => {
    expect(metadataIssue(Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i])))?.path).toEqual([]);
    expect(metadataIssue({ a: { ['k'.repeat(65)]: 1 } })?.path).toEqual(['a', 'k'.repeat(65)]);
    expect(metadataIssue({ a: ['x', 'y'.repeat(1001)] })?.path).toEqual(['a', 1]);
    expect(metadataIssue({ a: { a: { a: { a: { a: { a: { a: { a: 1 } } } } } } } })).toBeNull();
    expect(metadataIssue({ a: { a: { a: { a: { a: { a: { a: { a: {} } } } } } } } })?.message).toMatch(/nested too deeply/);
    expect(metadataIssue(Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, 'x'.repeat(1000)])))?.message).toMatch(/16 KB/);
  });

  test('reports issues under the metadata field', () => {
    const result = metadataSchema.safeParse({ note: 'x'.repeat(1001) });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].path).toEqual(['note']);
  });
});
