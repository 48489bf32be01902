// Budget alerts fire in the transaction that moves a budget's counter (usage settled) or records a refused call: an
// AlertFiring row per threshold per window (inserted once, whoever gets there first) and one outbox message per active
// notifier it names. Budgets without alerts cost nothing here: that is decided from the cached budget rows.
import type { Tx } from '../db';
import { Prisma } from '../generated/prisma/client';
import { execute } from '../sql-exec';
import { enqueueMessages } from '../webhooks/outbox';
import { alertsOf, hasAlerts, reachedAlerts, type AlertDimension, type BudgetAlert, type Consumption } from './rules';

export type AlertBudget = {
  id: string;
  workspaceId: string;
  scopeKind: string;
  scopeTargetId: string;
  period: string;
  amountMicros: bigint | null;
  tokenLimit: bigint | null;
  alerts: unknown;
};

// Thresholds known to have fired in this process (budget|window|key): later settlements skip them without a statement.
const shared = globalThis as unknown as { tollboothFiredAlerts?: Set<string> };
const fired = (shared.tollboothFiredAlerts ??= new Set<string>());
const MAX_REMEMBERED = 100_000;
const firedKey = (budgetId: string, windowStartMs: bigint, alertKey: string) => `${budgetId}|${windowStartMs}|${alertKey}`;
function remember(key: string) {
  if (fired.size >= MAX_REMEMBERED) fired.clear();
  fired.add(key);
}

/** The alerts of a budget that may still fire in this window (none known to have fired already). */
export function unfiredAlerts(budget: AlertBudget, windowStartMs: bigint, dimension?: AlertDimension): BudgetAlert[] {
  if (!hasAlerts(budget)) return [];
  return alertsOf(budget).filter((a) => (!dimension || a.dimension === dimension) && !fired.has(firedKey(budget.id, windowStartMs, a.key)));
}

/**
 * Fires each alert the consumption has reached and that has not fired in this window: returns the keys fired now.
 * A threshold already fired (here or by another instance) is remembered, so it costs no statement again.
 */
export async function fireReachedAlertsTx(
  tx: Tx,
  budget: AlertBudget,
  windowStartMs: bigint,
  alerts: BudgetAlert[],
  consumption: Consumption,
  context: { refused: boolean; now: Date },
): Promise<string[]> {
  const firedNow: string[] = [];
  for (const reached of reachedAlerts(alerts, budget, consumption)) {
    const key = firedKey(budget.id, windowStartMs, reached.alert.key);
    const inserted = await execute(
      tx,
      Prisma.sql`INSERT INTO "AlertFiring" ("budgetId", "windowStartMs", "alertKey", "firedAt")
        VALUES (${budget.id}, ${windowStartMs}, ${reached.alert.key}, ${context.now})
        ON CONFLICT ("budgetId", "windowStartMs", "alertKey") DO NOTHING`,
    );
    // Remembered only when it was there already: a row inserted now may still be rolled back with this transaction.
    if (inserted === 0) {
      remember(key);
      continue;
    }
    firedNow.push(reached.alert.key);
    await enqueueMessages(tx, {
      workspaceId: budget.workspaceId,
      notifierIds: reached.alert.notifierIds,
      eventType: 'budget.alert',
      body: {
        type: 'budget.alert',
        timestamp: context.now.toISOString(),
        data: {
          budget_id: budget.id,
          scope: { kind: budget.scopeKind, target_id: budget.scopeTargetId },
          period: budget.period,
          window_start: new Date(Number(windowStartMs)).toISOString(),
          threshold_percent: reached.alert.thresholdPercent,
          dimension: reached.alert.dimension,
          consumed: reached.consumed,
          limit: reached.limit,
          percent: reached.percent,
          refused: context.refused,
        },
      },
      now: context.now,
    });
  }
  return firedNow;
}

type CounterRow = { spentMicros: bigint | number | string; reservedMicros: bigint | number | string; tokens: bigint | number | string; reservedTokens: bigint | number | string };

/** The window's counter as this transaction sees it (after its own update). */
export async function readCounterTx(tx: Tx, budgetId: string, windowStartMs: bigint): Promise<{ spent: Consumption; reserved: Consumption } | null> {
  const row = await tx.budgetCounter.findUnique({
    where: { budgetId_windowStartMs: { budgetId, windowStartMs } },
    select: { spentMicros: true, reservedMicros: true, tokens: true, reservedTokens: true },
  });
  if (!row) return null;
  const r = row as CounterRow;
  return {
    spent: { spentMicros: BigInt(r.spentMicros), tokens: BigInt(r.tokens) },
    reserved: { spentMicros: BigInt(r.reservedMicros), tokens: BigInt(r.reservedTokens) },
  };
}

export type TouchedCounter = { budgetId: string; windowStartMs: bigint };

/**
 * After usage moved these counters (same transaction): fires the alerts their settled consumption reached. `budgets`
 * are the rows known to the caller (the cached configuration); ids missing from it are read once.
 */
export async function fireAlertsAfterUsageTx(tx: Tx, touched: TouchedCounter[], budgets: Map<string, AlertBudget>, now: Date): Promise<void> {
  const missing = [...new Set(touched.map((t) => t.budgetId).filter((id) => !budgets.has(id)))];
  if (missing.length > 0) {
    for (const row of await tx.budget.findMany({ where: { id: { in: missing } } })) budgets.set(row.id, row);
  }
  for (const { budgetId, windowStartMs } of touched) {
    const budget = budgets.get(budgetId);
    if (!budget) continue;
    const alerts = unfiredAlerts(budget, windowStartMs);
    if (alerts.length === 0) continue;
    const counter = await readCounterTx(tx, budgetId, windowStartMs);
    if (counter) await fireReachedAlertsTx(tx, budget, windowStartMs, alerts, counter.spent, { refused: false, now });
  }
}
