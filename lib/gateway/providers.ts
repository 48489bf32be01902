// Upstream LLM providers the gateway forwards to: any OpenAI-compatible chat completions API.

/** `kind` is set for database providers (openai, anthropic, google); environment providers are OpenAI-compatible. */
export type ProviderConfig = { name: string; baseUrl: string; apiKey: string | null; kind?: string };

/** Well-known OpenAI-compatible endpoints; TOLLBOOTH_PROVIDER_<NAME>_BASE_URL overrides or adds one. */
const KNOWN_BASE_URLS: Record<string, string> = {
  openai: 'https://api.openai.com/v1',
  groq: 'https://api.groq.com/openai/v1',
  mistral: 'https://api.mistral.ai/v1',
  deepseek: 'https://api.deepseek.com/v1',
  together: 'https://api.together.xyz/v1',
  fireworks: 'https://api.fireworks.ai/inference/v1',
  openrouter: 'https://openrouter.ai/api/v1',
};

const envName = (provider: string) => provider.toUpperCase().replace(/[^A-Z0-9]/g, '_');

/** Configuration of a provider from the environment, or null when it is not set up. */
export function providerConfig(provider: string, env: Record<string, string | undefined> = process.env): ProviderConfig | null {
  const name = provider.toLowerCase();
  const key = envName(name);
  // Own keys only: "constructor/…" or "__proto__/…" must not find Object.prototype's members.
  const baseUrl = env[`TOLLBOOTH_PROVIDER_${key}_BASE_URL`] || (Object.hasOwn(KNOWN_BASE_URLS, name) ? KNOWN_BASE_URLS[name] : undefined);
  if (!baseUrl) return null;
  const apiKey = env[`TOLLBOOTH_PROVIDER_${key}_API_KEY`] || env[`${key}_API_KEY`] || null;
  return { name, baseUrl: baseUrl.replace(/\/+$/, ''), apiKey };
}

/**
 * The providers the environment configures: every TOLLBOOTH_PROVIDER_<NAME>_BASE_URL or _API_KEY, and the
 * well-known ones whose <NAME>_API_KEY is set ("local_llm" for TOLLBOOTH_PROVIDER_LOCAL_LLM_*), usable ones only.
 */
export function envProviders(env: Record<string, string | undefined> = process.env): ProviderConfig[] {
  const names = new Set<string>();
  for (const [variable, value] of Object.entries(env)) {
    if (!value) continue;
    const match = /^TOLLBOOTH_PROVIDER_([A-Z0-9_]+?)_(BASE_URL|API_KEY)$/.exec(variable);
    if (match) names.add(match[1].toLowerCase());
  }
  for (const name of Object.keys(KNOWN_BASE_URLS)) if (env[`${envName(name)}_API_KEY`]) names.add(name);
  return [...names].sort().flatMap((name) => providerConfig(name, env) ?? []);
}

/** "openai/gpt-4o" → { provider: "openai", model: "gpt-4o" } (orq's router model ids). */
export function splitRouterModel(model: string): { provider: string; model: string } | null {
  const slash = model.indexOf('/');
  if (slash <= 0 || slash === model.length - 1) return null;
  return { provider: model.slice(0, slash).toLowerCase(), model: model.slice(slash + 1) };
}
