// zod schemas for upstream LLM providers kept in the database: wire (snake_case) → domain, and the response shape.
import { z } from 'zod';
import { DEFAULT_BASE_URLS, PROVIDER_KINDS, type ProviderKind } from './kinds';

export { DEFAULT_BASE_URLS, PROVIDER_KINDS, type ProviderKind };

export const PROVIDER_NAME_PATTERN = /^[a-z0-9][a-z0-9_-]{0,62}$/;

const name = z
  .string({ error: 'is required, e.g. "openai"' })
  .trim()
  .min(1, { message: 'is required, e.g. "openai"', abort: true })
  .max(63, { message: 'must be at most 63 characters', abort: true })
  .regex(PROVIDER_NAME_PATTERN, 'must be lowercase letters, digits, "-" or "_", starting with a letter or digit (the "openai" in "openai/gpt-4o")')
  .meta({ description: 'The router prefix: "openai" in "openai/gpt-4o". Unique in the workspace.' });

const kind = z.enum(PROVIDER_KINDS, { error: 'must be one of openai, anthropic, google' }).meta({
  description: '`openai`: any OpenAI-compatible API (base_url required); `anthropic`, `google`: their OpenAI-compatible endpoints (base_url optional)',
});

const baseUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. https://api.openai.com/v1' })
  .max(2048, 'must be at most 2048 characters')
  .refine((u) => !URL.canParse(u) || !(new URL(u).username || new URL(u).password), 'cannot contain a user name or password: put the key in api_key')
  .refine((u) => !URL.canParse(u) || !(new URL(u).search || new URL(u).hash), 'cannot have a query string or #fragment')
  .transform((u) => u.replace(/\/+$/, ''))
  .meta({ description: 'The API root that /chat/completions and /models are appended to, e.g. https://api.openai.com/v1' });

const apiKey = z
  .string({ error: 'must be a string' })
  .trim()
  .min(1, { message: 'cannot be empty: leave it out for a provider that needs no key', abort: true })
  .max(4096, { message: 'must be at most 4096 characters', abort: true })
  .regex(/^\S+$/, 'cannot contain spaces')
  .meta({ description: 'Sent as `Authorization: Bearer …`; encrypted at rest and never returned' });

export const createProviderSchema = z
  .object({ name, kind: kind.default('openai'), base_url: baseUrl.optional(), api_key: apiKey.nullable().optional() })
  .superRefine((p, ctx) => {
    if (p.base_url === undefined && !DEFAULT_BASE_URLS[p.kind]) {
      ctx.addIssue({ code: 'custom', path: ['base_url'], message: 'is required for an OpenAI-compatible provider, e.g. https://api.openai.com/v1' });
    }
  })
  .meta({ id: 'CreateProviderRequest' });
export type CreateProviderInput = z.output<typeof createProviderSchema>;

// Update: fields left out keep their value; `api_key: null` removes the key, `base_url: null` restores the kind's default.
export const updateProviderSchema = z
  .object({ name: name.optional(), kind: kind.optional(), base_url: baseUrl.nullable().optional(), api_key: apiKey.nullable().optional() })
  .meta({ id: 'UpdateProviderRequest' });
export type UpdateProviderInput = z.output<typeof updateProviderSchema>;

/** A provider as the service creates it. */
export type NewProvider = { name: string; kind: ProviderKind; baseUrl: string | null; apiKey: string | null };
/** A change to a provider: undefined keeps a field, null clears it. */
export type ProviderChange = { name?: string; kind?: ProviderKind; baseUrl?: string | null; apiKey?: string | null };

export function toNewProvider(input: CreateProviderInput): NewProvider {
  return { name: input.name, kind: input.kind, baseUrl: input.base_url ?? null, apiKey: input.api_key ?? null };
}

export function toProviderChange(input: UpdateProviderInput): ProviderChange {
  return { name: input.name, kind: input.kind, baseUrl: input.base_url, apiKey: input.api_key };
}

/** What the Studio and API show of a key: its last 4 characters, none for a key too short to hide the rest. */
export function apiKeyHint(apiKey: string): string {
  return apiKey.length >= 12 ? apiKey.slice(-4) : '';
}

const iso = z.string().meta({ description: 'ISO 8601, UTC' });

export const providerTestSchema = z
  .object({
    ok: z.boolean(),
    message: z.string().meta({ description: 'e.g. "200 OK, 12 models", "401 Unauthorized", "connection refused"' }),
    tested_at: iso,
  })
  .meta({ id: 'ProviderTest' });

export const providerResponseSchema = z
  .object({
    provider_id: z.string().nullable().meta({ description: 'null for a provider configured by environment variables' }),
    name: z.string(),
    kind: z.enum(PROVIDER_KINDS),
    base_url: z.string(),
    has_api_key: z.boolean(),
    api_key_hint: z.string().nullable().meta({ description: '"…abcd": the last 4 characters of the key (null without a key, or for a key under 12 characters)' }),
    source: z.enum(['database', 'environment']),
    read_only: z.boolean().meta({ description: 'true for environment providers: change their TOLLBOOTH_PROVIDER_<NAME>_* variables instead' }),
    overridden: z.boolean().meta({ description: 'true for an environment provider that a database provider of the same name replaces' }),
    last_test: providerTestSchema.nullable().meta({ description: 'The last "test connection" (database providers)' }),
    created_at: iso.nullable(),
    updated_at: iso.nullable(),
  })
  .meta({ id: 'Provider' });
export type ProviderResponse = z.output<typeof providerResponseSchema>;
