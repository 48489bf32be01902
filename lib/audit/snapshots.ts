// What the audit log keeps of each kind of object: the fields a person cares about, as plain readable JSON
// (USD amounts, ISO times, wire names). Never secrets: a provider keeps only its key hint, an API key its prefix.
import { microsToUsd } from '../money';
import { scopeLabel } from '../budgets/describe';

export type Snapshot = Record<string, unknown>;

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
const usd = (micros: bigint | number | null | undefined) => (micros == null ? null : microsToUsd(micros));
const int = (n: bigint | number | null | undefined) => (n == null ? null : Number(n));

export function identitySnapshot(row: {
  externalId: string;
  displayName: string | null;
  email: string | null;
  avatarUrl?: string | null;
  tags: unknown;
  metadata: unknown;
}): Snapshot {
  return {
    external_id: row.externalId,
    display_name: row.displayName,
    email: row.email,
    avatar_url: row.avatarUrl ?? null,
    tags: Array.isArray(row.tags) ? row.tags.map(String) : [],
    metadata: row.metadata && typeof row.metadata === 'object' && !Array.isArray(row.metadata) ? row.metadata : {},
  };
}

export function budgetSnapshot(row: {
  scopeKind: string;
  scopeTargetId: string;
  period: string;
  amountMicros: bigint | null;
  tokenLimit: bigint | null;
  requestsPerMinute: number | null;
  isActive: boolean;
  expiresAt: Date | null;
  alerts?: unknown;
}): Snapshot {
  return {
    scope: scopeLabel(row),
    period: row.period,
    amount_usd: usd(row.amountMicros),
    token_limit: int(row.tokenLimit),
    requests_per_minute: row.requestsPerMinute,
    is_active: row.isActive,
    expires_at: iso(row.expiresAt),
    alerts: Array.isArray(row.alerts) ? row.alerts : [],
  };
}

export const budgetTargetLabel = (row: { scopeKind: string; scopeTargetId: string }) => scopeLabel(row);

export function providerSnapshot(row: { name: string; kind: string; baseUrl: string; apiKeyHint: string | null }): Snapshot {
  return { name: row.name, kind: row.kind, base_url: row.baseUrl, api_key_hint: row.apiKeyHint };
}

export function priceSnapshot(row: {
  provider: string;
  model: string;
  inputMicrosPerMTok: bigint;
  outputMicrosPerMTok: bigint;
  cacheReadMicrosPerMTok: bigint | null;
  cacheWriteMicrosPerMTok: bigint | null;
  maxOutputTokens: number | null;
}): Snapshot {
  return {
    model: `${row.provider}/${row.model}`,
    input_usd_per_million: usd(row.inputMicrosPerMTok),
    output_usd_per_million: usd(row.outputMicrosPerMTok),
    cache_read_usd_per_million: usd(row.cacheReadMicrosPerMTok),
    cache_write_usd_per_million: usd(row.cacheWriteMicrosPerMTok),
    max_output_tokens: row.maxOutputTokens,
  };
}

export function apiKeySnapshot(row: { name: string; prefix: string; scope?: string | null; revokedAt: Date | null }, owner: string | null): Snapshot {
  return { name: row.name, prefix: row.prefix, scope: row.scope ?? 'read_write', owner, revoked_at: iso(row.revokedAt) };
}

export function deploymentSnapshot(d: {
  key: string;
  description: string;
  provider: string;
  model: string;
  parameters: unknown;
  messages: unknown;
  fallbacks: unknown;
  version: number;
}): Snapshot {
  return {
    key: d.key,
    description: d.description,
    model: `${d.provider}/${d.model}`,
    parameters: d.parameters,
    messages: d.messages,
    fallbacks: d.fallbacks,
    version: d.version,
  };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** An update's entry: only the fields that differ, before and after; null when nothing changed. */
export function changedFields(before: Snapshot, after: Snapshot): { before: Snapshot; after: Snapshot } | null {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => !same(before[k], after[k]));
  if (keys.length === 0) return null;
  return { before: Object.fromEntries(keys.map((k) => [k, before[k] ?? null])), after: Object.fromEntries(keys.map((k) => [k, after[k] ?? null])) };
}

/** The order fields are shown in (PostgreSQL's jsonb keeps no key order); fields not listed follow, A–Z. */
export const SNAPSHOT_FIELD_ORDER = [
  'external_id',
  'display_name',
  'email',
  'avatar_url',
  'tags',
  'metadata',
  'scope',
  'period',
  'amount_usd',
  'token_limit',
  'requests_per_minute',
  'is_active',
  'expires_at',
  'alerts',
  'last_reset_at',
  'name',
  'key',
  'description',
  'kind',
  'base_url',
  'api_key',
  'api_key_hint',
  'model',
  'input_usd_per_million',
  'output_usd_per_million',
  'cache_read_usd_per_million',
  'cache_write_usd_per_million',
  'max_output_tokens',
  'messages',
  'parameters',
  'fallbacks',
  'version',
  'prefix',
  'owner',
  'revoked_at',
];

const rank = (key: string) => {
  const i = SNAPSHOT_FIELD_ORDER.indexOf(key);
  return i === -1 ? SNAPSHOT_FIELD_ORDER.length : i;
};

/** Field names in display order. */
export const orderedFields = (keys: Iterable<string>): string[] => [...new Set(keys)].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
