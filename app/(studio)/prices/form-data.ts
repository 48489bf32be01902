// FormData of the price form → the API's zod schemas (POST / PATCH /v2/prices), and their issues → inline messages.
import { z } from 'zod';
import { fieldSentence, FIX_BELOW, formText } from '@/lib/actions/result';
import type { ApiError } from '@/lib/api/errors';
import { createPriceSchema, updatePriceSchema, type CreatePriceInput, type UpdatePriceInput } from '@/lib/prices/schema';
import { formNumber, notationIssue } from '../form-number';
import { PRICE_FIELD_LABELS, PRICE_FIELDS, type PriceField, type PriceFormState, type PriceFormValues } from '@/components/prices/price-form-state';

type FieldErrors = PriceFormState['fieldErrors'];

export function readPriceValues(formData: FormData): PriceFormValues {
  const values: PriceFormValues = {};
  for (const name of PRICE_FIELDS) values[name] = formText(formData, name);
  return values;
}

const isPriceField = (name: string): name is PriceField => (PRICE_FIELDS as readonly string[]).includes(name);

function collect(error: z.ZodError, into: FieldErrors): void {
  for (const issue of error.issues) {
    const head = String(issue.path[0] ?? '');
    if (isPriceField(head) && !into[head]) into[head] = fieldSentence(PRICE_FIELD_LABELS[head], issue.message);
  }
}

const NUMBER_FIELDS = ['input_per_million', 'output_per_million', 'cache_read_per_million', 'cache_write_per_million', 'max_output_tokens'] as const;

/** "1e3" in a price field is refused by name, not read as 1,000. */
function notationIssues(values: PriceFormValues, errors: FieldErrors): void {
  for (const field of NUMBER_FIELDS) {
    const issue = notationIssue(PRICE_FIELD_LABELS[field], values[field]);
    if (issue) errors[field] = issue;
  }
}

const REQUIRED_PRICES = ['input_per_million', 'output_per_million'] as const;

export type ParsedCreatePrice = { ok: true; input: CreatePriceInput } | { ok: false; fieldErrors: FieldErrors };

/** Add: the same createPriceSchema as POST /v2/prices (USD per million tokens). */
export function parseCreatePriceForm(values: PriceFormValues): ParsedCreatePrice {
  const errors: FieldErrors = {};
  for (const field of REQUIRED_PRICES) {
    if (formNumber(values[field]) === undefined) errors[field] = `Enter the ${PRICE_FIELD_LABELS[field].toLowerCase()} in USD per million tokens, e.g. 2.50.`;
  }
  notationIssues(values, errors);
  const numbers = Object.fromEntries(
    NUMBER_FIELDS.flatMap((field) => {
      const n = formNumber(values[field]);
      return n === undefined ? [] : [[field, n]];
    }),
  );
  const parsed = createPriceSchema.safeParse({ provider: values.provider ?? '', model: values.model ?? '', ...numbers });
  if (!parsed.success) collect(parsed.error, errors);
  if (!parsed.success || Object.keys(errors).length > 0) return { ok: false, fieldErrors: errors };
  return { ok: true, input: parsed.data };
}

export type ParsedUpdatePrice = { ok: true; input: UpdatePriceInput } | { ok: false; fieldErrors: FieldErrors };

/** Edit: updatePriceSchema (PATCH); an emptied optional field is cleared (null), the input and output prices stay required. */
export function parseUpdatePriceForm(values: PriceFormValues): ParsedUpdatePrice {
  const errors: FieldErrors = {};
  for (const field of REQUIRED_PRICES) {
    if (formNumber(values[field]) === undefined) errors[field] = `Enter the ${PRICE_FIELD_LABELS[field].toLowerCase()} in USD per million tokens, e.g. 2.50.`;
  }
  notationIssues(values, errors);
  const optional = (field: PriceField) => formNumber(values[field]) ?? null;
  const parsed = updatePriceSchema.safeParse({
    input_per_million: formNumber(values.input_per_million),
    output_per_million: formNumber(values.output_per_million),
    cache_read_per_million: optional('cache_read_per_million'),
    cache_write_per_million: optional('cache_write_per_million'),
    max_output_tokens: optional('max_output_tokens'),
  });
  if (!parsed.success) collect(parsed.error, errors);
  if (!parsed.success || Object.keys(errors).length > 0) return { ok: false, fieldErrors: errors };
  return { ok: true, input: parsed.data };
}

/** A service error as form feedback: a model that already has a price (409) inline, anything else as one message. */
export function priceServiceFailure(apiError: ApiError, values: PriceFormValues): PriceFormState {
  const fieldErrors: FieldErrors = {};
  for (const d of apiError.details) {
    const field = d.field.split('.')[0];
    if (!isPriceField(field) || fieldErrors[field]) continue;
    fieldErrors[field] =
      apiError.code === 'conflict'
        ? `${values.provider?.trim().toLowerCase()}/${values.model?.trim()} already has a price: edit that one in the list.`
        : fieldSentence(PRICE_FIELD_LABELS[field], d.issue);
  }
  const message = Object.keys(fieldErrors).length > 0 ? FIX_BELOW : apiError.message;
  return { status: 'error', message, fieldErrors, values, submittedAt: Date.now() };
}
