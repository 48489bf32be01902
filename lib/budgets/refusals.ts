import 'server-only';
import { db } from '../db';
import { newId } from '../ids';
import { log } from '../log';
import type { BudgetRow } from '../workspaces/config';
import type { CallScope } from './scopes';

export type RefusalKind = 'budget' | 'rate';

/**
 * Records a refused call (the Overview's recent 429s). A failure to record never turns the 429 into a 500: the
 * refusal stands and the error is logged.
 */
export async function recordRefusal(call: CallScope, budget: BudgetRow, kind: RefusalKind, now: Date): Promise<void> {
  try {
    await db.budgetRefusal.create({
      data: {
        id: newId(),
        workspaceId: call.workspaceId,
        at: now,
        budgetId: budget.id,
        scopeKind: budget.scopeKind,
        scopeTargetId: budget.scopeTargetId,
        code: kind === 'rate' ? 'rate_limited' : 'budget_exceeded',
        identityId: call.identityId,
        apiKeyId: call.apiKeyId,
        provider: call.provider,
        model: call.model,
      },
    });
  } catch (err) {
    log.error({ err, budgetId: budget.id }, 'could not record a refused call');
  }
}
