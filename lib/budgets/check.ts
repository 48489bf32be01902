import 'server-only';
import { db } from '../db';
import { fieldError } from '../api/errors';
import { scopeLabel } from './describe';
import { findIdentityRow } from '../identities/lookup';
import { usdToMicros } from '../money';
import { priceCall } from '../usage/pricing';
import type { CheckUsageInput } from '../usage/schema';
import { getWorkspaceConfig, type WorkspaceConfig } from '../workspaces/config';
import { admitCall, applicableBudgets, refusalError, reservationTtlMs, type Estimate } from './admission';
import { callTarget, type CallScope } from './scopes';
import { getBudgetUsages } from './service';
import { budgetStatus, type BudgetStatus } from './status';

export type CheckResult = {
  identity: { id: string; externalId: string } | null;
  externalId: string | undefined;
  /** Every live budget that applies, most used first. */
  statuses: BudgetStatus[];
  reservation: { id: string; costMicros: bigint | null; tokens: number; expiresAt: Date } | null;
};

/**
 * POST /v2/usage/check: without `reserve`, a read-only look at every budget that applies (429 when one
 * is spent); with it, the same admission as the gateway — the estimate is held until a usage event
 * carrying the reservation id settles it, or it expires.
 */
export async function checkCall(workspaceId: string, apiKeyId: string, input: CheckUsageInput, now: Date): Promise<CheckResult> {
  const row = await findIdentityRow(db, workspaceId, (input.identity_id ?? input.external_id) as string);
  const identity = row ? { id: row.id, externalId: row.externalId } : null;
  const target = callTarget(input.reserve?.provider ?? input.provider ?? null, input.reserve?.model ?? input.model ?? null);
  const call: CallScope = { workspaceId, identityId: identity?.id ?? null, apiKeyId, ...target };

  let reservation: CheckResult['reservation'] = null;
  const reserve = input.reserve;
  if (reserve) {
    if (reserve.cost !== undefined) {
      // A hold by cost alone holds no tokens: under a token limit, calls reserved so would all be admitted.
      const tokenBudget = (await applicableBudgets(await getWorkspaceConfig(workspaceId), call, now)).find((b) => b.tokenLimit !== null);
      if (tokenBudget) {
        throw fieldError(
          'unprocessable',
          'reserve.cost',
          `cannot hold tokens: the ${scopeLabel(tokenBudget)} budget ${tokenBudget.id} limits tokens. Reserve with provider, model, input_tokens and max_output_tokens instead`,
        );
      }
    }
    const inputTokens = reserve.input_tokens ?? 0;
    const outputTokens = reserve.max_output_tokens ?? 0;
    const tokens = inputTokens + outputTokens;
    // Priced under the configuration the admission checks (a price added or removed elsewhere is seen).
    const estimate = (config: WorkspaceConfig): Estimate => ({
      costMicros:
        reserve.cost !== undefined
          ? usdToMicros(reserve.cost)
          : (priceCall({ provider: target.provider, model: target.model, inputTokens, outputTokens, at: now }, config.prices)?.costMicros ?? null),
      tokens,
    });
    const ttlMs = input.ttl_seconds !== undefined ? input.ttl_seconds * 1000 : reservationTtlMs();
    const admission = await admitCall(call, estimate, now, { source: 'check', ttlMs });
    if (admission.reservationId) {
      reservation = { id: admission.reservationId, costMicros: estimate(admission.config).costMicros, tokens, expiresAt: new Date(Date.now() + ttlMs) };
    }
  }

  const budgets = await applicableBudgets(await getWorkspaceConfig(workspaceId), call, now);
  const usages = await getBudgetUsages(budgets, now);
  const statuses = budgets.map((b, i) => budgetStatus(b, usages[i], now)).sort((a, b) => b.fullestPercent - a.fullestPercent);
  const spent = statuses.find((s) => s.exceeded);
  if (!reserve && spent) throw await refusalError({ budget: budgets.find((b) => b.id === spent.budgetId)!, kind: 'budget' }, now);
  return { identity, externalId: identity?.externalId ?? input.external_id, statuses, reservation };
}
