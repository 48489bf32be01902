import { describe, expect, test } from 'vitest';
import { bundledPrice } from './bundled-price';

describe('bundledPrice', () => {
  const at = new Date('2026-11-28T12:00:00Z');

  test('the table’s rates per million tokens for a model it knows', () => {
    expect(bundledPrice('openai', 'gpt-4o', at)).toEqual({ inputMicrosPerMTok: 2_500_000n, outputMicrosPerMTok: 10_000_000n });
  });

  test('null for a model the table does not know', () => {
    expect(bundledPrice('acme', 'acme-llm', at)).toBeNull();
  });
});
