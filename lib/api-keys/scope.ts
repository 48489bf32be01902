// What an API key may do: read_write (default) everything; read_only reads and budget checks, never a change or a call that spends.
import { z } from 'zod';

export const API_KEY_SCOPES = ['read_write', 'read_only'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export const API_KEY_SCOPE_LABELS: Record<ApiKeyScope, string> = { read_write: 'Read & write', read_only: 'Read-only' };

export const apiKeyScopeSchema = z.enum(API_KEY_SCOPES, { error: 'Choose read & write or read-only' });

/** A stored scope that is not one of ours counts as read_only: never more access than granted. */
export function asApiKeyScope(value: string): ApiKeyScope {
  return value === 'read_write' ? 'read_write' : 'read_only';
}

export const READ_ONLY_KEY_MESSAGE = 'This API key is read-only: it can read and check budgets, not change anything or make calls';
