import { methodNotAllowed, withApi, parseBody } from '@/lib/api/handler';
import { json } from '@/lib/api/json';
import { apiKeyActor } from '@/lib/audit/actor';
import { resetBudgetSchema } from '@/lib/budgets/schema';
import { getBudgetUsage, resetBudget } from '@/lib/budgets/service';
import { serializeBudget } from '@/lib/budgets/serialize';

export const dynamic = 'force-dynamic';

// POST /v2/budgets/{id}/reset-consumption – consumption restarts from now; the record is kept
export const POST = withApi<{ budgetId: string }>(async ({ req, params, workspaceId, principal, now }) => {
  await parseBody(req, resetBudgetSchema);
  const budget = await resetBudget(workspaceId, apiKeyActor(principal), params.budgetId, now);
  return json({ budget: serializeBudget(budget, await getBudgetUsage(budget, now)) });
});

const notAllowed = methodNotAllowed(['POST']);
export { notAllowed as GET, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
