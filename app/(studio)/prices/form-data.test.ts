import { describe, expect, test } from 'vitest';
import { fieldError } from '@/lib/api/errors';
import { parseCreatePriceForm, parseUpdatePriceForm, priceServiceFailure } from './form-data';

describe('parseCreatePriceForm', () => {
  test('USD per million tokens, optional rates left out', () => {
    expect(parseCreatePriceForm({ provider: 'acme', model: 'acme-llm', input_per_million: '$1.50', output_per_million: '2', cache_read_per_million: '', max_output_tokens: '8,192' })).toEqual({
      ok: true,
      input: { provider: 'acme', model: 'acme-llm', input_per_million: 1.5, output_per_million: 2, max_output_tokens: 8192 },
    });
  });

  test('missing and bad values are named per field', () => {
    expect(parseCreatePriceForm({ provider: 'a/b', model: '', input_per_million: '', output_per_million: '-1' })).toEqual({
      ok: false,
      fieldErrors: {
        input_per_million: 'Enter the input price in USD per million tokens, e.g. 2.50.',
        provider: 'Provider cannot contain "/".',
        model: 'Model is required, e.g. "gpt-4o".',
        output_per_million: 'Output price cannot be negative.',
      },
    });
  });
});

test('prices in scientific notation are refused by name', () => {
  const values = { provider: 'acme', model: 'acme-llm', input_per_million: '1e3', output_per_million: '2', max_output_tokens: '8e3' };
  expect(parseCreatePriceForm(values)).toEqual({
    ok: false,
    fieldErrors: {
      input_per_million: 'Input price must be written out in digits, e.g. 1000 or 2.50 (not “1e3”).',
      max_output_tokens: 'Default max output tokens must be written out in digits, e.g. 1000 or 2.50 (not “8e3”).',
    },
  });
  expect(parseUpdatePriceForm(values)).toMatchObject({ ok: false, fieldErrors: { input_per_million: expect.stringContaining('1e3') } });
});

describe('parseUpdatePriceForm', () => {
  test('an emptied optional rate is cleared', () => {
    expect(parseUpdatePriceForm({ input_per_million: '1', output_per_million: '2', cache_read_per_million: '', cache_write_per_million: '0.5', max_output_tokens: '' })).toEqual({
      ok: true,
      input: { input_per_million: 1, output_per_million: 2, cache_read_per_million: null, cache_write_per_million: 0.5, max_output_tokens: null },
    });
  });
});

describe('priceServiceFailure', () => {
  test('a model that has a price shows on the model field', () => {
    const conflict = fieldError('conflict', 'model', 'acme/acme-llm already has a price (price_1); update it instead');
    expect(priceServiceFailure(conflict, { provider: 'ACME', model: 'acme-llm' }).fieldErrors).toEqual({ model: 'acme/acme-llm already has a price: edit that one in the list.' });
  });
});
