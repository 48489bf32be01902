import { describe, expect, test } from 'vitest';
import { calcPrice, waitForUpdate } from '@pydantic/genai-prices';
import { usdToMicros } from '../money';
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

  test('input tokens count cache reads and writes, charged at their own rates (the input rate when the price sets none), as the table does', () => {
    const cached = { ...acme, cacheReadMicrosPerMTok: 500_000n, cacheWriteMicrosPerMTok: null };
    // 1,000 input tokens: 600 at $1/M, 300 cache reads at $0.50/M, 100 cache writes at the input's $1/M.
    expect(costWithPrice(cached, { inputTokens: 1_000, outputTokens: 0, cacheReadTokens: 300, cacheWriteTokens: 100 })).toBe(850n);
    const table = priceCall({ provider: 'openai', model: 'gpt-4o', inputTokens: 1_000, outputTokens: 0, cacheReadTokens: 400, at })?.costMicros;
    const tableUncached = priceCall({ provider: 'openai', model: 'gpt-4o', inputTokens: 600, outputTokens: 0, at })?.costMicros;
    expect(table).toBe((tableUncached as bigint) + 500n);
  });

  test('round sub-micro costs half up', () => {
    expect(costWithPrice(acme, { inputTokens: 1, outputTokens: 0 })).toBe(1n);
    expect(costWithPrice({ ...acme, inputMicrosPerMTok: 400_000n }, { inputTokens: 1, outputTokens: 0 })).toBe(0n);
  });
});

describe('table lookups kept per provider and model', () => {
  // The full table's answer for a call, as the library gives it with no help (router-style names split as priceCall does).
  const direct = (name: string | undefined, fullModel: string, inputTokens: number, outputTokens: number, when: Date) => {
    const { provider, model } = splitModel(name, fullModel);
    const attempt = (providerId?: string) => {
      try {
        return calcPrice({ input_tokens: inputTokens, output_tokens: outputTokens }, model, { ...(providerId ? { providerId } : {}), timestamp: when });
      } catch {
        return null;
      }
    };
    const result = (provider ? attempt(provider) : null) ?? attempt();
    return result ? { costMicros: usdToMicros(result.total_price), provider: result.provider.id, model: result.model.id } : null;
  };

  test('every model of the table is priced as the full lookup prices it (to the micro-dollar), tiers and dates included', async () => {
    const providers = (await waitForUpdate()) ?? [];
    expect(providers.length).toBeGreaterThan(10);
    const shapes = [
      [0, 0],
      [1_000, 500],
      [150_000, 4_000], // past the 128k / 200k tiers some models have
      [1_000_000, 1_000_000],
    ];
    const dates = [new Date('2024-01-01T12:00:00Z'), new Date('2026-11-26T03:30:00Z')];
    let compared = 0;
    let roundedUp = 0;
    for (const provider of providers) {
      for (const model of provider.models) {
        for (const [inputTokens, outputTokens] of shapes) {
          for (const when of dates) {
            for (const name of [provider.id, undefined]) {
              const expected = direct(name, model.id, inputTokens, outputTokens, when);
              const actual = priceCall({ provider: name, model: model.id, inputTokens, outputTokens, at: when });
              const what = `${name}/${model.id} ${inputTokens}+${outputTokens}`;
              expect(actual === null, what).toBe(expected === null);
              if (!actual || !expected) continue;
              expect({ provider: actual.provider, model: actual.model }, what).toEqual({ provider: expected.provider, model: expected.model });
              // Integer arithmetic may round an exact half-micro up where the library's floating point lands below it.
              const diff = actual.costMicros - expected.costMicros;
              expect(diff === 0n || diff === 1n, `${what}: ${actual.costMicros} vs ${expected.costMicros}`).toBe(true);
              if (diff !== 0n) roundedUp++;
              compared++;
            }
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(1_000);
    expect(roundedUp).toBeLessThan(compared / 100);
  }, 30_000);

  test('a flat table price is charged in exact micro-USD, half a micro-dollar rounded up', () => {
    // gpt-4o: $2.50 / M input, $10 / M output.
    expect(priceCall({ provider: 'openai', model: 'gpt-4o', inputTokens: 1, outputTokens: 0, at })?.costMicros).toBe(3n);
    expect(priceCall({ provider: 'openai', model: 'gpt-4o', inputTokens: 3, outputTokens: 1, at })?.costMicros).toBe(18n);
    expect(priceCall({ provider: 'openai', model: 'gpt-4o', inputTokens: 1_234_567, outputTokens: 89_101, at })?.costMicros).toBe(3_977_428n);
  });

  test('cache tokens are priced by the library (cached input at its own price)', () => {
    const plain = priceCall({ provider: 'openai', model: 'gpt-4o', inputTokens: 10_000, outputTokens: 0, at })?.costMicros;
    const cached = priceCall({ provider: 'openai', model: 'gpt-4o', inputTokens: 10_000, outputTokens: 0, cacheReadTokens: 8_000, at })?.costMicros;
    expect(plain).toBe(25_000n);
    // 2,000 at $2.50 / M + 8,000 at $1.25 / M.
    expect(cached).toBe(15_000n);
  });

  test('an unknown model stays unpriced however often it is asked for, also under an unknown provider name', () => {
    expect(priceCall({ provider: 'not-a-provider', model: 'gpt-4o', inputTokens: 1_000, outputTokens: 0, at })?.costMicros).toBe(2_500n);
    for (let i = 0; i < 3; i++) expect(priceCall({ provider: 'acme', model: 'acme-llm-9000', inputTokens: i, outputTokens: 1, at })).toBeNull();
  });
});
