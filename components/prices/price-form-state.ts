// The price form's fields and state, shared by the form (client) and its server actions.
import type { FormState } from '../../lib/actions/result';

export const PRICE_FIELDS = [
  'provider',
  'model',
  'input_per_million',
  'output_per_million',
  'cache_read_per_million',
  'cache_write_per_million',
  'max_output_tokens',
] as const;
export type PriceField = (typeof PRICE_FIELDS)[number];
export type PriceFormValues = Partial<Record<PriceField, string>>;
export type PriceFormState = FormState<PriceField>;

export const PRICE_FIELD_LABELS: Record<PriceField, string> = {
  provider: 'Provider',
  model: 'Model',
  input_per_million: 'Input price',
  output_per_million: 'Output price',
  cache_read_per_million: 'Cache read price',
  cache_write_per_million: 'Cache write price',
  max_output_tokens: 'Default max output tokens',
};
