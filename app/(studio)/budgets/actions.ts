'use server';

import { revalidatePath } from 'next/cache';
import { authorize, refusedForm } from '@/lib/actions/authorize';
import { actionError, FIX_BELOW, runAction, type ActionResult } from '@/lib/actions/result';
import { toBudgetChange, toNewBudget } from '@/lib/budgets/schema';
import { createBudget, deleteBudget, getBudgetOrThrow, resetBudget, updateBudget } from '@/lib/budgets/service';
import type { BudgetRow } from '@/lib/budgets/status';
import { budgetScopeTarget } from '@/lib/budgets/views';
import type { BudgetFormState } from '@/components/budgets/budget-form-state';
import { scopePhrase } from '@/components/budgets/scope-labels';
import { budgetServiceFailure, parseCreateBudgetForm, parseUpdateBudgetForm, readBudgetValues } from './form-data';

/** The Budgets page, and the identity pages when the budget is an identity's (their gauges show it). */
function revalidateBudget(budget: Pick<BudgetRow, 'scopeKind'>) {
  revalidatePath('/budgets');
  if (budget.scopeKind === 'identity') revalidatePath('/identities', 'layout');
}

/** "model “openai/gpt-4o”", "API key “Backend”" for toasts. */
const phrase = async (workspaceId: string, budget: Pick<BudgetRow, 'scopeKind' | 'scopeTargetId'>) =>
  scopePhrase(budget.scopeKind, await budgetScopeTarget(workspaceId, budget));

// Create budget (Budgets page): same zod schema as POST /v2/budgets; a taken scope (409) or unknown identity (404) shows inline.
export async function createBudgetAction(_prev: BudgetFormState, formData: FormData): Promise<BudgetFormState> {
  const session = await authorize('manage');
  const values = readBudgetValues(formData);
  if (!session.ok) return refusedForm(session, values);
  const parsed = parseCreateBudgetForm(values);
  if (!parsed.ok) return { status: 'error', message: FIX_BELOW, fieldErrors: parsed.fieldErrors, values, submittedAt: Date.now() };
  try {
    const budget = await createBudget(session.workspaceId, session.actor, toNewBudget(parsed.input), new Date());
    revalidateBudget(budget);
    return { status: 'success', message: `Created a budget for ${await phrase(session.workspaceId, budget)}`, fieldErrors: {}, values: {}, submittedAt: Date.now() };
  } catch (err) {
    return budgetServiceFailure(actionError(err, 'budget creation'), values);
  }
}

// Edit budget: PATCH semantics, only the fields that changed; the scope stays.
export async function updateBudgetAction(budgetId: string, _prev: BudgetFormState, formData: FormData): Promise<BudgetFormState> {
  const session = await authorize('manage');
  const values = readBudgetValues(formData);
  if (!session.ok) return refusedForm(session, values);
  try {
    const current = await getBudgetOrThrow(session.workspaceId, budgetId);
    const parsed = parseUpdateBudgetForm(values, current);
    if (!parsed.ok) return { status: 'error', message: FIX_BELOW, fieldErrors: parsed.fieldErrors, values, submittedAt: Date.now() };
    const budget = parsed.changed ? await updateBudget(session.workspaceId, session.actor, current.id, toBudgetChange(parsed.input), new Date()) : current;
    revalidateBudget(budget);
    return { status: 'success', message: `Saved the budget for ${await phrase(session.workspaceId, budget)}`, fieldErrors: {}, values, submittedAt: Date.now() };
  } catch (err) {
    return budgetServiceFailure(actionError(err, 'budget update'), values);
  }
}

// Reset budget: consumption counts again from now; the reset is recorded with who pressed it.
export async function resetBudgetAction(budgetId: string): Promise<ActionResult> {
  const session = await authorize('manage');
  if (!session.ok) return session;
  return runAction('budget reset', async () => {
    const budget = await resetBudget(session.workspaceId, session.actor, budgetId, new Date());
    revalidateBudget(budget);
    return `Reset the budget for ${await phrase(session.workspaceId, budget)}: consumption starts again from zero`;
  });
}

// Delete budget: calls in its scope are no longer limited by it; usage history is kept.
export async function deleteBudgetAction(budgetId: string): Promise<ActionResult> {
  const session = await authorize('manage');
  if (!session.ok) return session;
  return runAction('budget delete', async () => {
    const budget = await getBudgetOrThrow(session.workspaceId, budgetId);
    await deleteBudget(session.workspaceId, session.actor, budget.id);
    revalidateBudget(budget);
    return `Deleted the budget for ${await phrase(session.workspaceId, budget)}`;
  });
}
