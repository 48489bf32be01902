// Words for budget scopes in the Studio: the filter, the form, the table and toasts say them the same way.
import type { ScopeKind } from '../../lib/budgets/scopes';

export const SCOPE_KIND_LABELS: Record<ScopeKind, string> = {
  workspace: 'Workspace',
  identity: 'Identity',
  api_key: 'API key',
  provider: 'Provider',
  model: 'Model',
};

/** Scope kinds in the order the Studio lists them: widest first. */
export const SCOPE_KIND_ORDER: readonly ScopeKind[] = ['workspace', 'identity', 'api_key', 'provider', 'model'];

export const isScopeKind = (value: string): value is ScopeKind => (SCOPE_KIND_ORDER as readonly string[]).includes(value);

/** "the workspace", "identity “user_1”", "model “openai/gpt-4o”": the object of "a budget for …". */
export function scopePhrase(kind: string, target: string): string {
  if (kind === 'workspace') return 'the workspace';
  const label = isScopeKind(kind) ? SCOPE_KIND_LABELS[kind] : kind;
  return `${kind === 'api_key' ? label : label.toLowerCase()} “${target}”`;
}
