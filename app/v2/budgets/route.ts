import { methodNotAllowed, withApi, parseBody, parseQuery } from '@/lib/api/handler';
import { json } from '@/lib/api/json';
import { apiKeyActor } from '@/lib/audit/actor';
import { createBudgetSchema, listBudgetsQuerySchema, toNewBudget } from '@/lib/budgets/schema';
import { getBudgetUsages, createBudget, listBudgetsByCursor } from '@/lib/budgets/service';
import { serializeBudget } from '@/lib/budgets/serialize';

export const dynamic = 'force-dynamic';

// GET /v2/budgets – filtered, cursor-paginated list with current-period usage
export const GET = withApi(async ({ req, workspaceId, now }) => {
  const query = parseQuery(req, listBudgetsQuerySchema, ['scope_kind', 'period']);
  const { rows, hasMore } = await listBudgetsByCursor(workspaceId, query);
  const usages = await getBudgetUsages(rows, now);
  return json({ object: 'list', data: rows.map((b, i) => serializeBudget(b, usages[i])), hasMore, has_more: hasMore });
});

// POST /v2/budgets – create an identity budget; 200 {budget} as the SDK expects
export const POST = withApi(async ({ req, workspaceId, principal, now }) => {
  const input = await parseBody(req, createBudgetSchema);
  const budget = await createBudget(workspaceId, apiKeyActor(principal), toNewBudget(input), now);
  return json({ budget: serializeBudget(budget, null) });
});

const notAllowed = methodNotAllowed(['GET', 'POST']);
export { notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
