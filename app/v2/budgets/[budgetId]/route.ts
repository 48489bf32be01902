import { methodNotAllowed, withApi, parseBody } from '@/lib/api/handler';
import { json } from '@/lib/api/json';
import { apiKeyActor } from '@/lib/audit/actor';
import { toBudgetChange, updateBudgetSchema } from '@/lib/budgets/schema';
import { getBudgetUsage, deleteBudget, getBudgetOrThrow, updateBudget } from '@/lib/budgets/service';
import { serializeBudget } from '@/lib/budgets/serialize';

export const dynamic = 'force-dynamic';

type Params = { budgetId: string };

// GET /v2/budgets/{id} – with current-period usage
export const GET = withApi<Params>(async ({ params, workspaceId, now }) => {
  const budget = await getBudgetOrThrow(workspaceId, params.budgetId);
  return json({ budget: serializeBudget(budget, await getBudgetUsage(budget, now)) });
});

// PATCH /v2/budgets/{id} – fields left out keep their values; scope cannot change
export const PATCH = withApi<Params>(async ({ req, params, workspaceId, principal, now }) => {
  const input = await parseBody(req, updateBudgetSchema);
  const budget = await updateBudget(workspaceId, apiKeyActor(principal), params.budgetId, toBudgetChange(input), now);
  return json({ budget: serializeBudget(budget, null) });
});

// DELETE /v2/budgets/{id} – 200 {}
export const DELETE = withApi<Params>(async ({ params, workspaceId, principal, now }) => {
  await deleteBudget(workspaceId, apiKeyActor(principal), params.budgetId, now);
  return json({});
});

const notAllowed = methodNotAllowed(['GET', 'PATCH', 'DELETE']);
export { notAllowed as POST, notAllowed as PUT };
