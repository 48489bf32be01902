// LLM call pricing from the maintained @pydantic/genai-prices tables (bundled data, no network).
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

export type PriceResult = { costMicros: bigint; provider: string; model: string } | null;

/** Split "openai/gpt-4o" or "openai:gpt-4o" into provider and model. */
export function splitModel(provider: string | null | undefined, model: string): { provider?: string; model: string } {
  const match = /^([a-z0-9-]+)[/:](.+)$/i.exec(model);
  if (!provider && match) return { provider: match[1].toLowerCase(), model: match[2] };
  return { provider: provider ?? undefined, model };
}

/** Cost of one call, or null when the model is not in the price table (stored as unpriced, never $0). */
export function priceCall(input: PriceInput): PriceResult {
  if (!input.model) return null;
  const { provider, model } = splitModel(input.provider, input.model);
  const usage = {
    input_tokens: input.inputTokens,
    output_tokens: input.outputTokens,
    ...(input.cacheReadTokens ? { cache_read_tokens: input.cacheReadTokens } : {}),
    ...(input.cacheWriteTokens ? { cache_write_tokens: input.cacheWriteTokens } : {}),
  };
  const attempt = (providerId?: string) => {
    try {
      return calcPrice(usage, model, { ...(providerId ? { providerId } : {}), timestamp: input.at });
    } catch {
      return null;
    }
  };
  // An unknown provider name (e.g. "openailike") still lets the model name find its price.
  const result = (provider ? attempt(provider) : null) ?? attempt();
  if (!result) return null;
  return { costMicros: usdToMicros(result.total_price), provider: result.provider.id, model: result.model.id };
}
