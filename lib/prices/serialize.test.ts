import { describe, expect, it } from 'vitest';
import { priceResponseSchema, repriceResponseSchema, settingsResponseSchema } from './schema';
import { serializePrice, serializeReprice, serializeSettings, type PriceRow } from './serialize';

const at = new Date('2026-11-27T10:00:00Z');
const row: PriceRow = {
  id: 'p1',
  workspaceId: 'ws',
  provider: 'acme',
  model: 'm1',
  inputMicrosPerMTok: 2_500_000n,
  outputMicrosPerMTok: 10_000_000n,
  cacheReadMicrosPerMTok: null,
  cacheWriteMicrosPerMTok: null,
  maxOutputTokens: null,
  createdAt: at,
  updatedAt: at,
};

describe('serializePrice answers what priceResponseSchema declares', () => {
  it('with and without the optional prices', () => {
    for (const price of [row, { ...row, cacheReadMicrosPerMTok: 1_250_000n, cacheWriteMicrosPerMTok: 3_000_000n, maxOutputTokens: 512 }]) {
      const out = serializePrice(price);
      // A schema strips keys it does not know: parsing back to the same object means no undeclared field.
      expect(priceResponseSchema.parse(out)).toEqual(out);
    }
    expect(serializePrice(row)).toMatchObject({ input_per_million: 2.5, output_per_million: 10 });
  });
});

describe('settings and re-pricing answers match their response schemas', () => {
  it('settings', () => {
    for (const allowUnpricedCalls of [true, false]) {
      const out = serializeSettings({ allowUnpricedCalls });
      expect(settingsResponseSchema.parse(out)).toEqual(out);
      expect(out.allow_unpriced_calls).toBe(allowUnpricedCalls);
    }
  });

  it('re-pricing', () => {
    const out = serializeReprice({ repriced: 3, stillUnpriced: 1 });
    expect(repriceResponseSchema.parse(out)).toEqual(out);
    expect(out).toEqual({ object: 'usage.reprice', repriced: 3, still_unpriced: 1 });
  });
});
