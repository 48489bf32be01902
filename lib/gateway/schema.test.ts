import { describe, expect, test } from 'vitest';
import { ORQ_ONLY_FIELDS, providerBody } from './schema';

describe('providerBody', () => {
  test('keeps every field the provider takes, in order, and none of orq\'s own', () => {
    const body: Record<string, unknown> = { model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'Hi' }], temperature: 0.2, stream: false, user: 'u-1' };
    for (const field of ORQ_ONLY_FIELDS) body[field] = { set: true };
    const out = providerBody(body);
    expect(Object.keys(out)).toEqual(['model', 'messages', 'temperature', 'stream', 'user']);
    expect(out.messages).toBe(body.messages);
    // The request's own object is left as it was.
    expect(Object.keys(body)).toHaveLength(5 + ORQ_ONLY_FIELDS.length);
  });

  test('an own __proto__ field is dropped, and never becomes the copy\'s prototype', () => {
    const body = JSON.parse('{"model":"m","__proto__":{"polluted":true}}') as Record<string, unknown>;
    const out = providerBody(body);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['model']);
  });
});
