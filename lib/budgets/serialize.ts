// Wire shape of budgets: camelCase on /v2/budgets, snake_case inside identity.budget (contract §4.4).
import { microsToUsd } from '../money';
import type { BudgetPeriod } from '../time/periods';
import { periodToWire } from './schema';
import type { BudgetRow, BudgetUsage } from './service';

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
    scope: { identity: { [k('identityExternalId', 'identity_external_id')]: budget.scopeTargetId } },
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
    out.usage = { amount: microsToUsd(usage.costMicros), tokens: usage.tokens, requests: usage.requests };
  }
  return out;
}
