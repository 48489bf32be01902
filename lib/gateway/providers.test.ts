import { describe, expect, test } from 'vitest';
import { envProviders, providerConfig, splitRouterModel } from './providers';

describe('splitRouterModel', () => {
  test('splits provider and model at the first slash', () => {
    expect(splitRouterModel('openai/gpt-4o')).toEqual({ provider: 'openai', model: 'gpt-4o' });
    expect(splitRouterModel('OpenRouter/meta-llama/llama-3-70b')).toEqual({ provider: 'openrouter', model: 'meta-llama/llama-3-70b' });
  });

  test('rejects ids without a provider or model', () => {
    expect(splitRouterModel('gpt-4o')).toBeNull();
    expect(splitRouterModel('/gpt-4o')).toBeNull();
    expect(splitRouterModel('openai/')).toBeNull();
  });
});

describe('providerConfig', () => {
  test('uses the known endpoint and the provider key from the environment', () => {
    expect(providerConfig('openai', { OPENAI_API_KEY: 'sk-1' })).toEqual({ name: 'openai', baseUrl: 'https://api.openai.com/v1', apiKey: 'sk-1' });
  });

  test('TOLLBOOTH_PROVIDER_* overrides and adds providers', () => {
    const env = { TOLLBOOTH_PROVIDER_OPENAI_BASE_URL: 'http://127.0.0.1:9999/v1/', TOLLBOOTH_PROVIDER_OPENAI_API_KEY: 'sk-2', OPENAI_API_KEY: 'sk-1' };
    expect(providerConfig('openai', env)).toEqual({ name: 'openai', baseUrl: 'http://127.0.0.1:9999/v1', apiKey: 'sk-2' });
    expect(providerConfig('local-llm', { TOLLBOOTH_PROVIDER_LOCAL_LLM_BASE_URL: 'http://localhost:11434/v1' })).toEqual({
      name: 'local-llm',
      baseUrl: 'http://localhost:11434/v1',
      apiKey: null,
    });
  });

  test('an unknown provider without configuration is null', () => {
    expect(providerConfig('acme', {})).toBeNull();
  });
});

describe('envProviders', () => {
  test('lists the providers set up by TOLLBOOTH_PROVIDER_* and the known ones with a key', () => {
    const env = {
      TOLLBOOTH_PROVIDER_LOCAL_LLM_BASE_URL: 'http://localhost:11434/v1',
      TOLLBOOTH_PROVIDER_GROQ_API_KEY: 'gsk-1',
      OPENAI_API_KEY: 'sk-1',
      TOLLBOOTH_PROVIDER_ACME_API_KEY: 'no base url, not usable',
      TOLLBOOTH_PROVIDER_EMPTY_BASE_URL: '',
      MISTRAL_BASE_URL: 'not ours',
    };
    expect(envProviders(env)).toEqual([
      { name: 'groq', baseUrl: 'https://api.groq.com/openai/v1', apiKey: 'gsk-1' },
      { name: 'local_llm', baseUrl: 'http://localhost:11434/v1', apiKey: null },
      { name: 'openai', baseUrl: 'https://api.openai.com/v1', apiKey: 'sk-1' },
    ]);
  });
});
