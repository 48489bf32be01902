import { describe, expect, test } from 'vitest';
import { fieldError } from '@/lib/api/errors';
import { parseCreateProviderForm, parseUpdateProviderForm, providerServiceFailure, readProviderValues } from './form-data';

const form = (entries: Record<string, string>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(entries)) data.set(k, v);
  return data;
};

describe('readProviderValues', () => {
  test('keeps the API key out of the values echoed back to the page', () => {
    const { values, apiKey } = readProviderValues(form({ name: 'ollama', kind: 'openai', base_url: 'http://localhost:11434/v1', api_key: 'sk-secret-1234' }));
    expect(apiKey).toBe('sk-secret-1234');
    expect(Object.values(values)).not.toContain('sk-secret-1234');
  });
});

describe('parseCreateProviderForm', () => {
  test('blank base URL and key are left out; the kind default applies', () => {
    expect(parseCreateProviderForm({ name: 'claude', kind: 'anthropic', base_url: '' }, '')).toEqual({ ok: true, input: { name: 'claude', kind: 'anthropic' } });
  });

  test('errors are sentences per field', () => {
    expect(parseCreateProviderForm({ name: 'Open AI', kind: 'openai', base_url: '' }, '')).toEqual({
      ok: false,
      fieldErrors: {
        name: 'Name must be lowercase letters, digits, "-" or "_", starting with a letter or digit (the "openai" in "openai/gpt-4o").',
        base_url: 'Base URL is required for an OpenAI-compatible provider, e.g. https://api.openai.com/v1.',
      },
    });
  });
});

describe('parseUpdateProviderForm', () => {
  test('a blank key keeps the stored one; a blank base URL goes back to the default', () => {
    expect(parseUpdateProviderForm({ name: 'claude', kind: 'anthropic', base_url: '' }, '')).toEqual({ ok: true, input: { name: 'claude', kind: 'anthropic', base_url: null } });
  });

  test('a new key rotates it; "remove" clears it whatever was typed', () => {
    expect(parseUpdateProviderForm({ name: 'x', kind: 'openai', base_url: 'https://h.example/v1' }, 'sk-new')).toMatchObject({ ok: true, input: { api_key: 'sk-new' } });
    expect(parseUpdateProviderForm({ name: 'x', kind: 'openai', base_url: 'https://h.example/v1', remove_api_key: 'on' }, 'sk-new')).toMatchObject({ ok: true, input: { api_key: null } });
  });
});

describe('providerServiceFailure', () => {
  test('a taken name shows on the name field', () => {
    const conflict = fieldError('conflict', 'name', 'a provider named "openai" already exists');
    expect(providerServiceFailure(conflict, { name: 'openai' }).fieldErrors).toEqual({ name: 'A provider named “openai” already exists: edit that one in the list.' });
  });
});

describe('parseCreateProviderForm on an empty form', () => {
  test('names every missing field at once', () => {
    expect(parseCreateProviderForm({ name: '', kind: 'openai', base_url: '' }, '')).toEqual({
      ok: false,
      fieldErrors: { name: 'Name is required, e.g. "openai".', base_url: 'Base URL is required for an OpenAI-compatible provider, e.g. https://api.openai.com/v1.' },
    });
  });
});
