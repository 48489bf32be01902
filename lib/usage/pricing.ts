// LLM call pricing: admin-set prices first (per workspace), then the maintained @pydantic/genai-prices
// tables (bundled data, no network). Money stays in integer micro-USD.
import { calcPrice, type ModelInfo, type Provider } from '@pydantic/genai-prices';
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

/**
 * Cost of a call under an admin-set price. Input tokens count cache reads and writes too (as OpenAI reports them, and as
 * the price table reads them): those are charged at their own rates — the input price when the price sets none.
 */
export function costWithPrice(price: CustomPrice, input: Omit<PriceInput, 'provider' | 'model' | 'at'>): bigint {
  const cacheRead = input.cacheReadTokens ?? 0;
  const cacheWrite = input.cacheWriteTokens ?? 0;
  return (
    perMillion(Math.max(0, input.inputTokens - cacheRead - cacheWrite), price.inputMicrosPerMTok) +
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
  const entry = tableEntry(provider, model);
  if (!entry) return null;
  // Flat prices (most models): exact integer arithmetic on the per-token prices, like an admin-set price.
  if (entry.flat && !input.cacheReadTokens && !input.cacheWriteTokens) {
    const scaled = entry.flat.baseE12 + BigInt(input.inputTokens) * entry.flat.inputMicrosPerMTok + BigInt(input.outputTokens) * entry.flat.outputMicrosPerMTok;
    return { costMicros: (scaled + MILLION / 2n) / MILLION, provider: entry.providerId, model: entry.modelId, source: 'table' };
  }
  const result = tableCalc(entry.provider, model, input);
  return result ? { costMicros: usdToMicros(result.total_price), provider: result.provider.id, model: result.model.id, source: 'table' } : null;
}

/** The library's price of a call against one provider (tiers, prices by date, cache tokens), null when it cannot. */
function tableCalc(provider: Provider | undefined, model: string, input: Omit<PriceInput, 'provider' | 'model' | 'at'> & { at?: Date }) {
  const usage = {
    input_tokens: input.inputTokens,
    output_tokens: input.outputTokens,
    ...(input.cacheReadTokens ? { cache_read_tokens: input.cacheReadTokens } : {}),
    ...(input.cacheWriteTokens ? { cache_write_tokens: input.cacheWriteTokens } : {}),
  };
  try {
    return calcPrice(usage, model, { ...(provider ? { provider } : {}), ...(input.at ? { timestamp: input.at } : {}) });
  } catch {
    return null;
  }
}

/**
 * A model of the table as a call's names find it: its provider cut down to that one model (so the library prices
 * against it without searching the table again), and for a model with one flat price (no tiers, no prices by
 * date) that price per million tokens in integer micro-USD.
 */
type TableEntry = {
  provider: Provider;
  providerId: string;
  modelId: string;
  flat: { baseE12: bigint; inputMicrosPerMTok: bigint; outputMicrosPerMTok: bigint } | null;
};

/**
 * The table's entry for a (provider, model) pair, or null when the table has no price for it. Finding the provider,
 * matching the model name against the whole table and then the library's per-call unit checks were most of an
 * ingest batch's time (~0.2 ms a call); the answer depends on the names alone, so it is kept.
 */
function tableEntry(providerName: string | undefined, model: string): TableEntry | null {
  const key = `${providerName ?? ''}|${model}`;
  const cached = tableEntries.get(key);
  if (cached !== undefined) return cached;
  const attempt = (providerId?: string) => {
    try {
      return calcPrice({ input_tokens: 0, output_tokens: 0 }, model, providerId ? { providerId } : {});
    } catch {
      return null;
    }
  };
  // An unknown provider name (e.g. "openailike") still lets the model name find its price.
  const found = (providerName ? attempt(providerName) : null) ?? attempt();
  let entry: TableEntry | null = null;
  if (found) {
    const provider: Provider = { ...found.provider, models: [found.model], fallback_model_providers: undefined };
    entry = { provider, providerId: found.provider.id, modelId: found.model.id, flat: flatPrice(provider, model, found.model.prices) };
  }
  if (tableEntries.size >= TABLE_CACHE_SIZE) tableEntries.delete(tableEntries.keys().next().value as string);
  tableEntries.set(key, entry);
  return entry;
}

/**
 * A flat price's parts, read back from the library itself: the cost of an empty call (a per-request fee), of a
 * million input tokens and of a million output tokens. Only for one unconditional price with plain numbers: the
 * cost is then that fee plus tokens × price, which integer arithmetic gives exactly (rounded half up once).
 */
function flatPrice(provider: Provider, model: string, prices: ModelInfo['prices']): TableEntry['flat'] {
  if (Array.isArray(prices) || Object.values(prices).some((v) => v !== undefined && typeof v !== 'number')) return null;
  const usd = (inputTokens: number, outputTokens: number) => tableCalc(provider, model, { inputTokens, outputTokens })?.total_price;
  const [base, input, output] = [usd(0, 0), usd(1_000_000, 0), usd(0, 1_000_000)];
  if (base === undefined || input === undefined || output === undefined) return null;
  const perMTok = (total: number) => BigInt(Math.round((total - base) * 1e6));
  return { baseE12: BigInt(Math.round(base * 1e12)), inputMicrosPerMTok: perMTok(input), outputMicrosPerMTok: perMTok(output) };
}

const TABLE_CACHE_SIZE = 5_000;
/** Table entries by the names a call gives (oldest evicted first). */
const tableEntries = new Map<string, TableEntry | null>();
