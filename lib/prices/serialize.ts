// Wire shape of a model price: USD per million tokens.
import { microsToUsd } from '../money';
import type { Prisma } from '../generated/prisma/client';
import type { PriceResponse, RepriceResponse, SettingsResponse } from './schema';

export type PriceRow = Prisma.ModelPriceGetPayload<object>;

export function serializePrice(row: PriceRow): PriceResponse {
  return {
    price_id: row.id,
    provider: row.provider,
    model: row.model,
    input_per_million: microsToUsd(row.inputMicrosPerMTok),
    output_per_million: microsToUsd(row.outputMicrosPerMTok),
    ...(row.cacheReadMicrosPerMTok !== null ? { cache_read_per_million: microsToUsd(row.cacheReadMicrosPerMTok) } : {}),
    ...(row.cacheWriteMicrosPerMTok !== null ? { cache_write_per_million: microsToUsd(row.cacheWriteMicrosPerMTok) } : {}),
    ...(row.maxOutputTokens !== null ? { max_output_tokens: row.maxOutputTokens } : {}),
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

export const serializeSettings = (settings: { allowUnpricedCalls: boolean }): SettingsResponse => ({ allow_unpriced_calls: settings.allowUnpricedCalls });

export const serializeReprice = (outcome: { repriced: number; stillUnpriced: number }): RepriceResponse => ({
  object: 'usage.reprice',
  repriced: outcome.repriced,
  still_unpriced: outcome.stillUnpriced,
});
