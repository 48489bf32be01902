// Wire shape of budgets, typed by their response schemas: camelCase on /v2/budgets, snake_case inside identity.budget
// (contract §4.4) and in /v2/usage/check's statuses. USD and ISO times only here.
import { microsToUsd } from '../money';
import type { BudgetPeriod } from '../time/periods';
import { periodToWire, type BudgetResponse, type BudgetStatusResponse, type IdentityBudgetResponse } from './schema';
import type { BudgetRow, BudgetStatus, BudgetUsage } from './status';

/** An alert as Budget.alerts stores it (the SDK's field names; rows written before alerts had ids may lack one). */
type StoredAlert = { id?: string; threshold_percent: number; notifier_ids?: string[]; dimension?: string };

/** The scope in the SDK's shape for its kind. */
function serializeScope(budget: Pick<BudgetRow, 'scopeKind' | 'scopeTargetId'>): BudgetResponse['scope'] {
  switch (budget.scopeKind) {
    case 'workspace':
      return { workspace: {} };
    case 'api_key':
      return { apiKey: { apiKeyId: budget.scopeTargetId } };
    case 'provider':
      return { provider: { provider: budget.scopeTargetId } };
    case 'model':
      return { model: { modelId: budget.scopeTargetId } };
    default:
      return { identity: { identityExternalId: budget.scopeTargetId } };
  }
}

/** A budget as /v2/budgets answers it; `usage` (the current window's) on get, list and reset. */
export function serializeBudget(budget: BudgetRow, usage: BudgetUsage | null): BudgetResponse {
  const out: BudgetResponse = {
    budgetId: budget.id,
    scope: serializeScope(budget),
    limits: {
      period: periodToWire(budget.period as BudgetPeriod),
      ...(budget.amountMicros != null ? { amount: microsToUsd(budget.amountMicros) } : {}),
      ...(budget.tokenLimit != null ? { tokenLimit: Number(budget.tokenLimit) } : {}),
    },
    isActive: budget.isActive,
    createdAt: budget.createdAt.toISOString(),
    updatedAt: budget.updatedAt.toISOString(),
  };
  if (budget.requestsPerMinute != null) out.rateLimit = { requestsPerMinute: budget.requestsPerMinute };
  if (budget.expiresAt) out.expiresAt = budget.expiresAt.toISOString();
  if (budget.lastResetAt) out.lastResetAt = budget.lastResetAt.toISOString();
  if (Array.isArray(budget.alerts)) {
    out.alerts = (budget.alerts as StoredAlert[]).map((a) => ({
      ...(a.id ? { id: a.id } : {}),
      thresholdPercent: a.threshold_percent,
      notifierIds: a.notifier_ids ?? [],
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
      reservedTokens: usage.reservedTokens,
      inFlight: usage.inFlight,
    };
  }
  return out;
}

function snakeScope(scope: BudgetResponse['scope']): IdentityBudgetResponse['scope'] {
  if ('apiKey' in scope) return { api_key: { api_key_id: scope.apiKey.apiKeyId } };
  if ('model' in scope) return { model: { model_id: scope.model.modelId } };
  if ('identity' in scope) return { identity: { identity_external_id: scope.identity.identityExternalId } };
  return scope;
}

/** An identity's budget (include_budget): serializeBudget's fields in snake_case. */
export function serializeIdentityBudget(budget: BudgetRow, usage: BudgetUsage | null): IdentityBudgetResponse {
  const b = serializeBudget(budget, usage);
  return {
    budget_id: b.budgetId,
    scope: snakeScope(b.scope),
    limits: {
      period: b.limits.period,
      ...(b.limits.amount !== undefined ? { amount: b.limits.amount } : {}),
      ...(b.limits.tokenLimit !== undefined ? { token_limit: b.limits.tokenLimit } : {}),
    },
    is_active: b.isActive,
    created_at: b.createdAt,
    updated_at: b.updatedAt,
    ...(b.rateLimit ? { rate_limit: { requests_per_minute: b.rateLimit.requestsPerMinute } } : {}),
    ...(b.expiresAt ? { expires_at: b.expiresAt } : {}),
    ...(b.lastResetAt ? { last_reset_at: b.lastResetAt } : {}),
    ...(b.alerts
      ? {
          alerts: b.alerts.map((a) => ({
            ...(a.id ? { id: a.id } : {}),
            threshold_percent: a.thresholdPercent,
            notifier_ids: a.notifierIds,
            ...(a.dimension ? { dimension: a.dimension } : {}),
          })),
        }
      : {}),
    ...(b.usage
      ? {
          usage: {
            amount: b.usage.amount,
            tokens: b.usage.tokens,
            requests: b.usage.requests,
            reserved: b.usage.reserved,
            reserved_tokens: b.usage.reservedTokens,
            in_flight: b.usage.inFlight,
          },
        }
      : {}),
  };
}

/** A budget's live state as /v2/usage/check reports it. */
export function serializeBudgetStatus(status: BudgetStatus): BudgetStatusResponse {
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
