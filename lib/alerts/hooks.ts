import 'server-only';
import { db, type Tx } from '../db';
import { log } from '../log';
import { getWorkspaceConfig, type BudgetRow } from '../workspaces/config';
import { windowStartOf } from '../budgets/scopes';
import { hasAlerts } from './rules';
import { fireAlertsAfterUsageTx, fireReachedAlertsTx, readCounterTx, unfiredAlerts, type AlertBudget, type TouchedCounter } from './fire';

// Where budget alerts hook into the two paths that move a budget toward its limit: usage settled (lib/usage/service.ts,
// inside the ingest transaction) and a call refused (lib/budgets/refusals.ts).

/**
 * Inside the ingest transaction, after the counters moved. Budgets come from the cached configuration (shared budgets
 * and the batch's identities' budgets) and from `known`; when none of the touched budgets has alerts, no statement runs.
 */
export async function budgetAlertsAfterUsageTx(tx: Tx, workspaceId: string, identityIds: string[], touched: TouchedCounter[], known: BudgetRow[], now: Date): Promise<void> {
  if (touched.length === 0) return;
  const config = await getWorkspaceConfig(workspaceId);
  const budgets = new Map<string, AlertBudget>();
  for (const b of known) budgets.set(b.id, b);
  for (const b of config.sharedBudgets) budgets.set(b.id, b);
  for (const id of new Set(identityIds)) for (const b of config.identityBudgets.get(id) ?? []) budgets.set(b.id, b);
  const relevant = touched.filter((t) => {
    const budget = budgets.get(t.budgetId);
    // A budget the cache does not hold (changed meanwhile) is read by the transaction: it may have alerts.
    return budget === undefined || hasAlerts(budget);
  });
  if (relevant.length === 0) return;
  await fireAlertsAfterUsageTx(tx, relevant, budgets, now);
}

/**
 * A call refused by a budget's limit: records it (the Overview's recent 429s) and, when the budget has alerts of the
 * refusing dimension that have not fired in this window, fires them (refused: true) in the same transaction.
 */
export async function recordRefusalWithAlerts(budget: BudgetRow, now: Date, createRefusal: (tx: Tx) => Promise<unknown>): Promise<boolean> {
  if (!hasAlerts(budget)) return false;
  const windowStartMs = BigInt(windowStartOf(budget, now).getTime());
  if (unfiredAlerts(budget, windowStartMs).length === 0) return false;
  await db.$transaction(async (tx) => {
    await createRefusal(tx);
    const counter = await readCounterTx(tx, budget.id, windowStartMs);
    if (!counter) return;
    // The limit that refused: the admission compared it with settled spend plus what calls in flight hold.
    const committedMicros = counter.spent.spentMicros + counter.reserved.spentMicros;
    const dimension = budget.amountMicros !== null && committedMicros >= budget.amountMicros ? 'cost' : 'tokens';
    const alerts = unfiredAlerts(budget, windowStartMs, dimension);
    // Its thresholds fire on what was spent, not on what is only held (calls in flight may cost less, or nothing):
    // those only held are reached, if ever, when their calls settle.
    if (alerts.length > 0) await fireReachedAlertsTx(tx, budget, windowStartMs, alerts, counter.spent, { refused: true, now });
  });
  log.debug({ budgetId: budget.id }, 'refusal recorded with alerts');
  return true;
}
