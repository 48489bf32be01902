import { describe, expect, test } from 'vitest';
import { json } from './json';

describe('json responses', () => {
  test('the body as JSON, with the status and headers given', async () => {
    const res = json({ a: 1, list: ['x', null], nested: { ok: true } }, 201, { 'x-extra': 'yes' });
    expect(res.status).toBe(201);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('x-extra')).toBe('yes');
    expect(await res.text()).toBe('{"a":1,"list":["x",null],"nested":{"ok":true}}');
  });

  test('a bigint that reached a body goes out as a number, not a 500', async () => {
    expect(await json({ n: 12n, deep: [{ m: -3n }] }).json()).toEqual({ n: 12, deep: [{ m: -3 }] });
  });

  test('a body that cannot be JSON still throws', () => {
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(() => json(loop)).toThrow(TypeError);
  });
});
