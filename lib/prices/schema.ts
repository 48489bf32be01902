// zod schemas for admin-set model prices (USD per million tokens on the wire, micro-USD inside).
import { z } from 'zod';
import { isWholeMicros, usdToMicros, WHOLE_MICROS_MESSAGE } from '../money';

const perMillion = z
  .number({ error: 'must be a number (USD per million tokens)' })
  .min(0, 'cannot be negative')
  .max(100_000, 'must be at most 100,000 USD per million tokens')
  // Kept in micro-dollars per million tokens: 0.0000001 would be stored as 0, and the model's tokens free.
  .refine(isWholeMicros, WHOLE_MICROS_MESSAGE);

const name = (example: string) =>
  z
    .string({ error: `is required, e.g. "${example}"` })
    .trim()
    .min(1, `is required, e.g. "${example}"`)
    .max(200)
    .regex(/^\S+$/, 'cannot contain spaces');

// Unknown fields are refused (a misspelt field would otherwise be dropped silently).
export const createPriceSchema = z
  .strictObject({
    provider: name('openai').regex(/^[^/]+$/, 'cannot contain "/"'),
    model: name('gpt-4o'),
    input_per_million: perMillion,
    output_per_million: perMillion,
    cache_read_per_million: perMillion.optional(),
    cache_write_per_million: perMillion.optional(),
    max_output_tokens: z.number({ error: 'must be a number' }).int('must be a whole number').positive('must be greater than 0').max(10_000_000, 'must be at most 10,000,000').optional().meta({
      description: 'Output tokens to hold for a call that sets no max_tokens',
    }),
  })
  .meta({ id: 'CreatePriceRequest' });
export type CreatePriceInput = z.output<typeof createPriceSchema>;

export const updatePriceSchema = z
  .strictObject({
    input_per_million: perMillion.optional(),
    output_per_million: perMillion.optional(),
    cache_read_per_million: perMillion.nullable().optional(),
    cache_write_per_million: perMillion.nullable().optional(),
    max_output_tokens: z.number({ error: 'must be a number' }).int('must be a whole number').positive('must be greater than 0').max(10_000_000, 'must be at most 10,000,000').nullable().optional(),
  })
  .meta({ id: 'UpdatePriceRequest' });
export type UpdatePriceInput = z.output<typeof updatePriceSchema>;

export const repriceSchema = z
  .strictObject({
    provider: z.string().trim().min(1, 'cannot be empty').optional(),
    model: z.string().trim().min(1, 'cannot be empty').optional(),
  })
  .meta({ id: 'RepriceRequest' });
export type RepriceInput = z.output<typeof repriceSchema>;

export const settingsSchema = z
  .strictObject({
    allow_unpriced_calls: z.boolean({ error: 'must be true or false' }).optional(),
  })
  .meta({ id: 'UpdateSettingsRequest' });

/** The workspace's settings in responses (GET and PATCH /v2/settings). */
export const settingsResponseSchema = z.object({ allow_unpriced_calls: z.boolean() }).meta({ id: 'Settings' });
export type SettingsResponse = z.output<typeof settingsResponseSchema>;

/** POST /v2/prices/reprice's answer. */
export const repriceResponseSchema = z
  .object({ object: z.literal('usage.reprice'), repriced: z.number().int(), still_unpriced: z.number().int() })
  .meta({ id: 'RepriceResponse' });
export type RepriceResponse = z.output<typeof repriceResponseSchema>;

/** A model price as the service takes it. */
export type PriceChange = {
  inputMicrosPerMTok?: bigint;
  outputMicrosPerMTok?: bigint;
  cacheReadMicrosPerMTok?: bigint | null;
  cacheWriteMicrosPerMTok?: bigint | null;
  maxOutputTokens?: number | null;
};

const micros = (usd: number | null | undefined) => (usd === undefined ? undefined : usd === null ? null : usdToMicros(usd));

/** Wire (USD per million) → domain (micro-USD per million). */
export function toPriceChange(input: UpdatePriceInput | CreatePriceInput): PriceChange {
  return {
    inputMicrosPerMTok: micros(input.input_per_million) ?? undefined,
    outputMicrosPerMTok: micros(input.output_per_million) ?? undefined,
    cacheReadMicrosPerMTok: micros(input.cache_read_per_million),
    cacheWriteMicrosPerMTok: micros(input.cache_write_per_million),
    maxOutputTokens: input.max_output_tokens,
  };
}

/** Shape of a price in responses: serializePrice's type, and the OpenAPI document's. USD per million tokens. */
export const priceResponseSchema = z
  .object({
    price_id: z.string(),
    provider: z.string(),
    model: z.string(),
    input_per_million: z.number(),
    output_per_million: z.number(),
    cache_read_per_million: z.number().optional(),
    cache_write_per_million: z.number().optional(),
    max_output_tokens: z.number().int().optional(),
    created_at: z.string().meta({ description: 'ISO 8601, UTC' }),
    updated_at: z.string(),
  })
  .meta({ id: 'Price' });
export type PriceResponse = z.output<typeof priceResponseSchema>;
