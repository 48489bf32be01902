import { describe, expect, test } from 'vitest';
import { costWithPrice, priceCall, priceKey, splitModel } from './pricing';

const at = new Date('2025-06-01T00:00:00Z');

describe('priceCall', () => {
  test('prices a known OpenAI model from the table', () => {
    const result = priceCall({ provider: 'openai', model: 'gpt-4o', inputTokens: 1_000_000, outputTokens: 1_000_000, at });
    expect(result).not.toBeNull();
    // gpt-4o: $2.50 / M input + $10 / M output
    expect(result!.costMicros).toBe(12_500_000n);
  });

  test('finds the provider from the model name alone', () => {
    const result = priceCall({ model: 'gpt-4o', inputTokens: 1000, outputTokens: 0, at });
    expect(result?.costMicros).toBe(2_500n);
  });

  test('accepts router-style provider/model names', () => {
    expect(splitModel(undefined, 'openai/gpt-4o')).toEqual({ provider: 'openai', model: 'gpt-4o' });
    expect(priceCall({ model: 'openai/gpt-4o', inputTokens: 1000, outputTokens: 0, at })?.costMicros).toBe(2_500n);
  });

  test('returns null for an unknown model rather than $0', () => {
    expect(priceCall({ provider: 'acme', model: 'acme-llm-9000', inputTokens: 10, outputTokens: 10, at })).toBeNull();
    expect(priceCall({ model: null, inputTokens: 10, outputTokens: 10, at })).toBeNull();
  });
});

describe('admin-set prices', () => {
  const acme = {
    provider: 'acme',
    model: 'acme-llm-9000',
    inputMicrosPerMTok: 1_000_000n, // $1 / M input
    outputMicrosPerMTok: 3_000_000n, // $3 / M output
    cacheReadMicrosPerMTok: null,
    cacheWriteMicrosPerMTok: null,
  };
  const book = new Map([[priceKey('acme', 'acme-llm-9000'), acme]]);

  test('price a model the table does not know, exactly in micro-USD', () => {
    const result = priceCall({ provider: 'acme', model: 'acme-llm-9000', inputTokens: 1000, outputTokens: 500, at }, book);
    expect(result).toMatchObject({ costMicros: 2_500n, source: 'custom' });
  });

  test('override the table for the same provider and model, matched case-insensitively', () => {
    const cheap = new Map([[priceKey('openai', 'gpt-4o'), { ...acme, provider: 'openai', model: 'gpt-4o' }]]);
    expect(priceCall({ model: 'OpenAI/GPT-4o', inputTokens: 1_000_000, outputTokens: 0, at }, cheap)?.costMicros).toBe(1_000_000n);
  });

  test('round sub-micro costs half up', () => {
    expect(costWithPrice(acme, { inputTokens: 1, outputTokens: 0 })).toBe(1n);
    expect(costWithPrice({ ...acme, inputMicrosPerMTok: 400_000n }, { inputTokens: 1, outputTokens: 0 })).toBe(0n);
  });
});

describe('table price reuse', () => {
  test('a call of the same shape within the hour gets the same price; another shape its own', () => {
    const call = { provider: 'openai', model: 'gpt-4o', inputTokens: 7, outputTokens: 1000, at };
    const first = priceCall(call);
    expect(priceCall({ ...call, at: new Date(at.getTime() + 60_000) })).toEqual(first);
    expect(priceCall({ ...call, outputTokens: 500 })?.costMicros).toBe(5_018n);
    expect(first?.costMicros).toBe(10_018n);
  });
});
