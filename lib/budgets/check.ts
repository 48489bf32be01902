import 'server-only';
import { db } from '../db';
import { fieldError } from '../api/errors';
import { upsertCallIdentity } from '../gateway/identity';
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
  let identity = row ? { id: row.id, externalId: row.externalId } : null;
  if (!identity && input.reserve) {
    // A reservation belongs to its identity (only its events settle it): one named for the first time is made now, as
    // its usage event would make it.
    if (input.identity_id) throw fieldError('not_found', 'identity_id', `no identity with _id "${input.identity_id}"`);
    identity = await upsertCallIdentity(workspaceId, { id: input.external_id as string }, 'usage');
  }
  const target = callTarget(input.reserve?.provider ?? input.provider ?? null, input.reserve?.model ?? input.model ?? null);
  const call: CallScope = { workspaceId, identityId: identity?.id ?? null, apiKeyId, ...target };

  let reservation: CheckResult['reservation'] = null;
  const reserve = input.reserve;
  if (reserve) {
    const inputTokens = reserve.input_tokens ?? 0;
    const outputTokens = reserve.max_output_tokens ?? 0;
    // A hold by cost alone holds no tokens (refused where a token limit applies: calls reserved so would all be admitted).
    const byCost = reserve.cost !== undefined;
    // Priced under the configuration the admission checks (a price added or removed elsewhere is seen).
    const estimate = (config: WorkspaceConfig): Estimate => ({
      costMicros: byCost
        ? usdToMicros(reserve.cost as number)
        : (priceCall({ provider: target.provider, model: target.model, inputTokens, outputTokens, at: now }, config.prices)?.costMicros ?? null),
      tokens: byCost ? null : inputTokens + outputTokens,
    });
    const ttlMs = input.ttl_seconds !== undefined ? input.ttl_seconds * 1000 : reservationTtlMs();
    const admission = await admitCall(call, estimate, now, { source: 'check', ttlMs, estimateField: 'reserve.cost' });
    if (admission.reservationId) {
      const held = estimate(admission.config);
      reservation = { id: admission.reservationId, costMicros: held.costMicros, tokens: held.tokens ?? 0, expiresAt: new Date(Date.now() + ttlMs) };
    }
  }

  const budgets = await applicableBudgets(await getWorkspaceConfig(workspaceId), call, now);
  const usages = await getBudgetUsages(budgets, now);
  const statuses = budgets.map((b, i) => budgetStatus(b, usages[i], now)).sort((a, b) => b.fullestPercent - a.fullestPercent);
  const spent = statuses.find((s) => s.exceeded);
  if (!reserve && spent) throw await refusalError({ budget: budgets.find((b) => b.id === spent.budgetId)!, kind: 'budget' }, now);
  return { identity, externalId: identity?.externalId ?? input.external_id, statuses, reservation };
}
