// Wire shape of budgets: camelCase on /v2/budgets, snake_case inside identity.budget (contract §4.4).
import { microsToUsd } from '../money';
import type { BudgetPeriod } from '../time/periods';
import { periodToWire } from './schema';
import type { BudgetRow, BudgetStatus, BudgetUsage } from './status';

type Casing = 'camel' | 'snake';

const key = (casing: Casing, camel: string, snake: string) => (casing === 'camel' ? camel : snake);

type StoredAlert = { id?: string; threshold_percent: number; notifier_ids?: string[]; dimension?: string };

export function serializeBudget(budget: BudgetRow, usage: BudgetUsage | null, casing: Casing): Record<string, unknown> {
  const k = (camel: string, snake: string) => key(casing, camel, snake);
  const limits: Record<string, unknown> = { period: periodToWire(budget.period as BudgetPeriod) };
  if (budget.amountMicros != null) limits.amount = microsToUsd(budget.amountMicros);
  if (budget.tokenLimit != null) limits[k('tokenLimit', 'token_limit')] = Number(budget.tokenLimit);
  const out: Record<string, unknown> = {
    [k('budgetId', 'budget_id')]: budget.id,
    scope: serializeScope(budget, casing),
    limits,
    [k('isActive', 'is_active')]: budget.isActive,
    [k('createdAt', 'created_at')]: budget.createdAt.toISOString(),
    [k('updatedAt', 'updated_at')]: budget.updatedAt.toISOString(),
  };
  if (budget.requestsPerMinute != null) out[k('rateLimit', 'rate_limit')] = { [k('requestsPerMinute', 'requests_per_minute')]: budget.requestsPerMinute };
  if (budget.expiresAt) out[k('expiresAt', 'expires_at')] = budget.expiresAt.toISOString();
  if (budget.lastResetAt) out[k('lastResetAt', 'last_reset_at')] = budget.lastResetAt.toISOString();
  if (Array.isArray(budget.alerts)) {
    out.alerts = (budget.alerts as StoredAlert[]).map((a) => ({
      ...(a.id ? { id: a.id } : {}),
      [k('thresholdPercent', 'threshold_percent')]: a.threshold_percent,
      [k('notifierIds', 'notifier_ids')]: a.notifier_ids ?? [],
      ...(a.dimension ? { dimension: a.dimension } : {}),
    }));
  }
  if (usage) {
    out.usage = {
      amount: microsToUsd(usage.costMicros),
      tokens: usage.tokens,
      requests: usage.requests,
      // Beyond orq: what calls in flight hold right now (the SDK ignores unknown keys).
      reserved: microsToUsd(usage.reservedMicros),
      [k('reservedTokens', 'reserved_tokens')]: usage.reservedTokens,
      [k('inFlight', 'in_flight')]: usage.inFlight,
    };
  }
  return out;
}

/** The scope in the SDK's shape for its kind (contract §4.4). */
export function serializeScope(budget: Pick<BudgetRow, 'scopeKind' | 'scopeTargetId'>, casing: Casing): Record<string, unknown> {
  const k = (camel: string, snake: string) => key(casing, camel, snake);
  switch (budget.scopeKind) {
    case 'workspace':
      return { workspace: {} };
    case 'api_key':
      return { [k('apiKey', 'api_key')]: { [k('apiKeyId', 'api_key_id')]: budget.scopeTargetId } };
    case 'provider':
      return { provider: { provider: budget.scopeTargetId } };
    case 'model':
      return { model: { [k('modelId', 'model_id')]: budget.scopeTargetId } };
    default:
      return { identity: { [k('identityExternalId', 'identity_external_id')]: budget.scopeTargetId } };
  }
}

/** A budget's live state as /v2/usage/check reports it (snake_case, USD at the edge). */
export function serializeBudgetStatus(status: BudgetStatus): Record<string, unknown> {
  return {
    budget_id: status.budgetId,
    scope: { kind: status.scopeKind, target_id: status.scopeTargetId },
    period: status.period,
    is_active: status.isActive,
    ...(status.limitMicros !== null
      ? { amount: microsToUsd(status.limitMicros), remaining: microsToUsd(status.remainingMicros ?? 0n) }
      : {}),
    ...(status.tokenLimit !== null ? { token_limit: status.tokenLimit } : {}),
    ...(status.requestsPerMinute !== null ? { requests_per_minute: status.requestsPerMinute } : {}),
    consumed: microsToUsd(status.spentMicros),
    reserved: microsToUsd(status.reservedMicros),
    tokens: status.tokens,
    reserved_tokens: status.reservedTokens,
    requests: status.requests,
    in_flight: status.inFlight,
    percent: status.percent,
    exceeded: status.exceeded,
    ...(status.resetsAt ? { resets_at: status.resetsAt.toISOString() } : {}),
  };
}
