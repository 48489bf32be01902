// Wire shape of a provider: snake_case, the key only as a hint ("…abcd").
import type { ProviderKind, ProviderResponse } from './schema';

export type ProviderTest = { ok: boolean; message: string; testedAt: Date };

/** A provider as the Studio and the API see it: from the database, or from the environment (read-only). */
export type ProviderInfo = {
  /** null for an environment provider. */
  id: string | null;
  name: string;
  kind: ProviderKind;
  baseUrl: string;
  hasApiKey: boolean;
  /** The key's last 4 characters; '' for a key too short to show any; null without a key. */
  apiKeyHint: string | null;
  source: 'database' | 'environment';
  /** An environment provider that a database provider of the same name replaces. */
  overridden: boolean;
  lastTest: ProviderTest | null;
  createdAt: Date | null;
  updatedAt: Date | null;
};

export function serializeProviderTest(test: ProviderTest) {
  return { ok: test.ok, message: test.message, tested_at: test.testedAt.toISOString() };
}

export function serializeProvider(p: ProviderInfo): ProviderResponse {
  return {
    provider_id: p.id,
    name: p.name,
    kind: p.kind,
    base_url: p.baseUrl,
    has_api_key: p.hasApiKey,
    api_key_hint: p.apiKeyHint ? `…${p.apiKeyHint}` : null,
    source: p.source,
    read_only: p.source === 'environment',
    overridden: p.overridden,
    last_test: p.lastTest ? serializeProviderTest(p.lastTest) : null,
    created_at: p.createdAt?.toISOString() ?? null,
    updated_at: p.updatedAt?.toISOString() ?? null,
  };
}
