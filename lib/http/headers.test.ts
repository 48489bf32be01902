import { describe, expect, test } from 'vitest';
import { ReadonlyHeaders } from './headers';

describe('ReadonlyHeaders', () => {
  // Headers as Node's parser gives them: lower-case names, repeats joined, set-cookie as an array.
  const parsed = {
    host: '127.0.0.1:3000',
    authorization: 'Bearer tb_live_x',
    'content-type': 'application/json',
    'set-cookie': ['a=1', 'b=2'],
    'x-orq-identity-id': 'user-1',
    'x-missing': undefined,
  };
  const web = new Headers([
    ['host', '127.0.0.1:3000'],
    ['authorization', 'Bearer tb_live_x'],
    ['content-type', 'application/json'],
    ['set-cookie', 'a=1'],
    ['set-cookie', 'b=2'],
    ['x-orq-identity-id', 'user-1'],
  ]);

  test('reads as a web Headers of the same request reads', () => {
    const headers = new ReadonlyHeaders(parsed);
    for (const name of ['host', 'Authorization', 'CONTENT-TYPE', 'set-cookie', 'x-orq-identity-id', 'x-missing', 'accept', 'constructor', '__proto__', 'toString']) {
      expect(headers.get(name), name).toBe(web.get(name));
      expect(headers.has(name), name).toBe(web.has(name));
    }
    expect(headers.getSetCookie()).toEqual(web.getSetCookie());
    expect([...headers.keys()]).toEqual([...new Set(web.keys())]);
    expect(Object.fromEntries(headers)).toEqual({ ...Object.fromEntries(web), 'set-cookie': 'a=1, b=2' });
    const seen: string[] = [];
    headers.forEach((value, name) => seen.push(`${name}=${value}`));
    expect(seen).toContain('x-orq-identity-id=user-1');
    // A web Headers can be made from them.
    expect(new Headers(headers).get('authorization')).toBe('Bearer tb_live_x');
  });

  test('an answer\'s headers given in any case are found in any case', () => {
    const headers = ReadonlyHeaders.fromInit({ 'Content-Type': 'text/plain', 'retry-after': '3' });
    expect(headers.get('content-type')).toBe('text/plain');
    expect(headers.get('Retry-After')).toBe('3');
    expect([...headers.keys()]).toEqual(['content-type', 'retry-after']);
  });

  test('writing to them throws', () => {
    const headers = new ReadonlyHeaders(parsed);
    expect(() => headers.set('x')).toThrow(TypeError);
    expect(() => headers.append('x')).toThrow(TypeError);
    expect(() => headers.delete('host')).toThrow(TypeError);
  });
});
