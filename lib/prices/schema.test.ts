import { describe, expect, it } from 'vitest';
import { createPriceSchema } from './schema';

describe('createPriceSchema', () => {
  const issues = (body: unknown) => {
    const result = createPriceSchema.safeParse(body);
    return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('refuses a price finer than a micro-dollar per million tokens (it would be stored as 0: the tokens free)', () => {
    expect(issues({ provider: 'acme', model: 'x', input_per_million: 0.0000001, output_per_million: 1 })).toEqual([
      'input_per_million: must have at most 6 decimal places (amounts are kept in whole micro-dollars)',
    ]);
    expect(issues({ provider: 'acme', model: 'x', input_per_million: 0, output_per_million: 0.15 })).toEqual([]);
  });
});
