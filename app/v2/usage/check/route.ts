import { methodNotAllowed, withApi, parseBody } from '@/lib/api/handler';
import { json } from '@/lib/api/json';
import { checkUsageSchema } from '@/lib/usage/schema';
import { checkIdentityBudget } from '@/lib/budgets/service';

export const dynamic = 'force-dynamic';

// POST /v2/usage/check – before an LLM call: 200 with what is left, or 429 budget_exceeded with Retry-After
export const POST = withApi(async ({ req, workspaceId, now }) => {
  const input = await parseBody(req, checkUsageSchema);
  const { identity, status } = await checkIdentityBudget(workspaceId, (input.identity_id ?? input.external_id) as string, now);
  return json({
    allowed: true,
    ...(identity ? { identity_id: identity.id, external_id: identity.externalId } : { external_id: input.external_id }),
    ...(status
      ? {
          budget: {
            budget_id: status.budgetId,
            period: status.period,
            is_active: status.isActive,
            ...(status.limitUsd != null ? { amount: status.limitUsd, remaining: Math.max(0, status.limitUsd - status.consumedUsd) } : {}),
            ...(status.tokenLimit != null ? { token_limit: status.tokenLimit } : {}),
            consumed: status.consumedUsd,
            tokens: status.tokens,
            requests: status.requests,
            percent: status.percent,
            ...(status.resetsAt ? { resets_at: status.resetsAt.toISOString() } : {}),
          },
        }
      : {}),
  });
});

const notAllowed = methodNotAllowed(['POST']);
export { notAllowed as GET, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
