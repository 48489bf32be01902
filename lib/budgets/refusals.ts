import 'server-only';
import { db, type Tx } from '../db';
import { newId } from '../ids';
import { log } from '../log';
import type { BudgetRow } from '../workspaces/config';
import type { CallScope } from './scopes';
import { recordRefusalWithAlerts } from '../alerts/hooks';

export type RefusalKind = 'budget' | 'rate';

/**
 * Records a refused call (the Overview's recent 429s); a refusal by a limit also fires the budget's alerts not yet
 * fired. A failure to record never turns the 429 into a 500: the refusal stands and the error is logged.
 */
export async function recordRefusal(call: CallScope, budget: BudgetRow, kind: RefusalKind, now: Date): Promise<void> {
  const create = (client: Tx) =>
    client.budgetRefusal.create({
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
  try {
    // A budget with alerts not yet fired in this window: the refusal may fire them, in the same transaction.
    if (kind === 'budget' && (await recordRefusalWithAlerts(budget, now, create))) return;
    await create(db);
  } catch (err) {
    log.error({ err, budgetId: budget.id }, 'could not record a refused call');
  }
}
