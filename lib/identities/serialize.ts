// Wire shape of an identity (snake_case; optional fields omitted, never null).
import type { IdentityView } from './service';
import { serializeIdentityBudget } from '../budgets/serialize';
import { microsToUsd } from '../money';
import type { IdentityResponse } from './schema';

export function serializeIdentity(view: IdentityView): IdentityResponse {
  const { identity, metrics, budget } = view;
  const out: IdentityResponse = {
    _id: identity.id,
    external_id: identity.externalId,
    workspace_id: identity.workspaceId,
    ...(identity.displayName ? { display_name: identity.displayName } : {}),
    ...(identity.email ? { email: identity.email } : {}),
    ...(identity.avatarUrl ? { avatar_url: identity.avatarUrl } : {}),
    tags: identity.tags,
    metadata: identity.metadata,
    source: identity.source,
    created: identity.createdAt.toISOString(),
    updated: identity.updatedAt.toISOString(),
  };
  if (metrics) {
    out.metrics = {
      total_cost: microsToUsd(metrics.totalCostMicros),
      total_tokens: metrics.totalTokens,
      total_requests: metrics.totalRequests,
      error_rate: metrics.errorRate,
    };
  }
  if (budget) out.budget = serializeIdentityBudget(budget.row, budget.usage);
  return out;
}
