// LLM call pricing: admin-set prices first (per workspace), then the maintained @pydantic/genai-prices
// tables (bundled data, no network). Money stays in integer micro-USD.
import { calcPrice } from '@pydantic/genai-prices';
import { usdToMicros } from '../money';

export type PriceInput = {
  provider?: string | null;
  model?: string | null;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
  at: Date;
};

/** An admin-set price, in micro-USD per million tokens. */
export type CustomPrice = {
  provider: string;
  model: string;
  inputMicrosPerMTok: bigint;
  outputMicrosPerMTok: bigint;
  cacheReadMicrosPerMTok: bigint | null;
  cacheWriteMicrosPerMTok: bigint | null;
  /** Output tokens to hold for a call that sets no max_tokens. */
  maxOutputTokens?: number | null;
};

/** Where a price came from, kept on each event so it shows what it was charged with. */
export type PriceSource = 'custom' | 'table' | 'caller';

export type PriceResult = { costMicros: bigint; provider: string; model: string; source: PriceSource; custom?: CustomPrice } | null;

/** Custom prices by `provider/model` (lower case), as looked up per call. */
export type PriceBook = ReadonlyMap<string, CustomPrice>;

export const priceKey = (provider: string, model: string) => `${provider.toLowerCase()}/${model.toLowerCase()}`;

/** Split "openai/gpt-4o" or "openai:gpt-4o" into provider and model. */
export function splitModel(provider: string | null | undefined, model: string): { provider?: string; model: string } {
  const match = /^([a-z0-9-]+)[/:](.+)$/i.exec(model);
  if (!provider && match) return { provider: match[1].toLowerCase(), model: match[2] };
  return { provider: provider ?? undefined, model };
}

const MILLION = 1_000_000n;

/** tokens × micro-USD per million tokens, rounded half up to whole micro-USD (exact integer arithmetic). */
const perMillion = (tokens: number, microsPerMTok: bigint) => (BigInt(tokens) * microsPerMTok + MILLION / 2n) / MILLION;

/** Cost of a call under an admin-set price; cache tokens fall back to the input price. */
export function costWithPrice(price: CustomPrice, input: Omit<PriceInput, 'provider' | 'model' | 'at'>): bigint {
  const cacheRead = input.cacheReadTokens ?? 0;
  const cacheWrite = input.cacheWriteTokens ?? 0;
  return (
    perMillion(input.inputTokens, price.inputMicrosPerMTok) +
    perMillion(input.outputTokens, price.outputMicrosPerMTok) +
    perMillion(cacheRead, price.cacheReadMicrosPerMTok ?? price.inputMicrosPerMTok) +
    perMillion(cacheWrite, price.cacheWriteMicrosPerMTok ?? price.inputMicrosPerMTok)
  );
}

/**
 * Cost of one call, or null when neither an admin-set price nor the table knows the model (stored as
 * unpriced, never $0). An admin-set price for the provider and model wins over the table.
 */
export function priceCall(input: PriceInput, prices?: PriceBook): PriceResult {
  if (!input.model) return null;
  const { provider, model } = splitModel(input.provider, input.model);
  const custom = provider && prices?.size ? prices.get(priceKey(provider, model)) : undefined;
  if (custom) return { costMicros: costWithPrice(custom, input), provider: custom.provider, model: custom.model, source: 'custom', custom };
  const usage = {
    input_tokens: input.inputTokens,
    output_tokens: input.outputTokens,
    ...(input.cacheReadTokens ? { cache_read_tokens: input.cacheReadTokens } : {}),
    ...(input.cacheWriteTokens ? { cache_write_tokens: input.cacheWriteTokens } : {}),
  };
  // The table's lookup costs ~0.2 ms; calls of the same shape within the hour reuse its answer.
  const key = `${provider ?? ''}|${model}|${input.inputTokens}|${input.outputTokens}|${input.cacheReadTokens ?? 0}|${input.cacheWriteTokens ?? 0}|${Math.floor(input.at.getTime() / HOUR_MS)}`;
  const cached = tableCache.get(key);
  if (cached !== undefined) return cached;
  const attempt = (providerId?: string) => {
    try {
      return calcPrice(usage, model, { ...(providerId ? { providerId } : {}), timestamp: input.at });
    } catch {
      return null;
    }
  };
  // An unknown provider name (e.g. "openailike") still lets the model name find its price.
  const result = (provider ? attempt(provider) : null) ?? attempt();
  const price: PriceResult = result ? { costMicros: usdToMicros(result.total_price), provider: result.provider.id, model: result.model.id, source: 'table' } : null;
  if (tableCache.size >= TABLE_CACHE_SIZE) tableCache.delete(tableCache.keys().next().value as string);
  tableCache.set(key, price);
  return price;
}

const HOUR_MS = 3_600_000;
const TABLE_CACHE_SIZE = 5_000;
/** Table prices by call shape and hour (oldest entry evicted first). */
const tableCache = new Map<string, PriceResult>();
