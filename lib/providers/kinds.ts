// Provider kinds and their default endpoints (no zod here: the Studio's client form imports it).

export const PROVIDER_KINDS = ['openai', 'anthropic', 'google'] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

/** The official OpenAI-compatible endpoints of the kinds that have one; an `openai` provider names its own. */
export const DEFAULT_BASE_URLS: Partial<Record<ProviderKind, string>> = {
  anthropic: 'https://api.anthropic.com/v1',
  google: 'https://generativelanguage.googleapis.com/v1beta/openai',
};
