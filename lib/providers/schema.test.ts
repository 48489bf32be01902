import { describe, expect, test } from 'vitest';
import { createProviderSchema, providerResponseSchema, updateProviderSchema } from './schema';
import { serializeProvider, type ProviderInfo } from './serialize';

const fields = (result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) => result.error?.issues.map((i) => i.path.join('.')) ?? [];

describe('createProviderSchema', () => {
  test('defaults to an OpenAI-compatible kind and trims the base URL', () => {
    expect(createProviderSchema.parse({ name: 'ollama', base_url: 'http://localhost:11434/v1//' })).toEqual({ name: 'ollama', kind: 'openai', base_url: 'http://localhost:11434/v1' });
  });

  test.each([
    [{ name: 'x', base_url: 'not a url' }, ['base_url']],
    [{ name: 'x', base_url: 'mailto:a@b.c' }, ['base_url']],
    [{ name: 'x', base_url: 'https://u:p@h.example/v1' }, ['base_url']],
    [{ name: 'x', base_url: 'https://h.example/v1#x' }, ['base_url']],
    [{ name: 'x' }, ['base_url']],
    [{ name: 'x', kind: 'anthropic', api_key: '' }, ['api_key']],
    [{ name: 'x', kind: 'google', api_key: 'has space inside' }, ['api_key']],
    [{ name: 'a'.repeat(64), base_url: 'https://h.example' }, ['name']],
    [{ name: 'Upper', base_url: 'https://h.example' }, ['name']],
  ])('%j is refused naming %j', (body, expected) => {
    expect(fields(createProviderSchema.safeParse(body))).toEqual(expected);
  });

  test('anthropic and google need no base URL', () => {
    expect(createProviderSchema.safeParse({ name: 'claude', kind: 'anthropic' }).success).toBe(true);
    expect(createProviderSchema.safeParse({ name: 'gemini_1', kind: 'google', api_key: 'k' }).success).toBe(true);
  });
});

describe('updateProviderSchema', () => {
  test('null clears the key and restores the default base URL', () => {
    expect(updateProviderSchema.parse({ api_key: null, base_url: null })).toEqual({ api_key: null, base_url: null });
  });
});

describe('serializeProvider', () => {
  const base: ProviderInfo = {
    id: 'prov_1',
    name: 'openai',
    kind: 'openai',
    baseUrl: 'https://api.openai.com/v1',
    hasApiKey: true,
    apiKeyHint: 'abcd',
    source: 'database',
    overridden: false,
    lastTest: { ok: true, message: '200 OK, 3 models', testedAt: new Date('2026-11-26T10:00:00Z') },
    createdAt: new Date('2026-11-25T10:00:00Z'),
    updatedAt: new Date('2026-11-25T11:00:00Z'),
  };

  test('shows only the hint of the key, and parses as the documented response', () => {
    const wire = serializeProvider(base);
    expect(providerResponseSchema.parse(wire)).toEqual(wire);
    expect(wire).toMatchObject({ api_key_hint: '…abcd', has_api_key: true, read_only: false, last_test: { ok: true, message: '200 OK, 3 models', tested_at: '2026-11-26T10:00:00.000Z' } });
  });

  test('an environment provider is read-only, without id or dates; a short key has no hint', () => {
    const wire = serializeProvider({ ...base, id: null, source: 'environment', apiKeyHint: '', lastTest: null, createdAt: null, updatedAt: null });
    expect(providerResponseSchema.parse(wire)).toEqual(wire);
    expect(wire).toMatchObject({ provider_id: null, read_only: true, has_api_key: true, api_key_hint: null, created_at: null });
  });
});
