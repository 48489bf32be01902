// Wire shape of an identity (snake_case; optional fields omitted, never null).
import type { IdentityView } from './service';
import { serializeBudget } from '../budgets/serialize';
import { microsToUsd } from '../money';

export function serializeIdentity(view: IdentityView): Record<string, unknown> {
  const { identity, metrics, budget } = view;
  const out: Record<string, unknown> = {
    _id: identity.id,
    external_id: identity.externalId,
    workspace_id: identity.workspaceId,
  };
  if (identity.displayName) out.display_name = identity.displayName;
  if (identity.email) out.email = identity.email;
  if (identity.avatarUrl) out.avatar_url = identity.avatarUrl;
  out.tags = identity.tags;
  out.metadata = identity.metadata;
  out.source = identity.source;
  out.created = identity.createdAt.toISOString();
  out.updated = identity.updatedAt.toISOString();
  if (metrics) {
    out.metrics = {
      total_cost: microsToUsd(metrics.totalCostMicros),
      total_tokens: metrics.totalTokens,
      total_requests: metrics.totalRequests,
      error_rate: metrics.errorRate,
    };
  }
  if (budget) out.budget = serializeBudget(budget.row, budget.usage, 'snake');
  return out;
}
