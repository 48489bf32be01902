// What the bundled @pydantic/genai-prices table charges for a model, to show beside a custom price that overrides it.
import { priceCall } from '../../lib/usage/pricing';

/** A bundled price in micro-USD per million tokens. */
export type BundledPrice = { inputMicrosPerMTok: bigint; outputMicrosPerMTok: bigint };

/** The table's input and output price per million tokens for provider/model at `at`, or null when it has none. */
export function bundledPrice(provider: string, model: string, at: Date): BundledPrice | null {
  // Without a price book priceCall asks the table only; a per-request base price is taken out of both rates.
  const cost = (inputTokens: number, outputTokens: number) => priceCall({ provider, model, inputTokens, outputTokens, at })?.costMicros ?? null;
  const [base, input, output] = [cost(0, 0), cost(1_000_000, 0), cost(0, 1_000_000)];
  if (base === null || input === null || output === null) return null;
  return { inputMicrosPerMTok: input - base, outputMicrosPerMTok: output - base };
}
