import { describe, expect, it } from 'vitest';
import { budgetResponseSchema, budgetStatusResponseSchema, identityBudgetResponseSchema } from './schema';
import { serializeBudget, serializeBudgetStatus, serializeIdentityBudget } from './serialize';
import { budgetStatus, counterUsage, type BudgetRow } from './status';
import { budgetRow } from './testing';

const at = new Date('2026-11-27T10:00:00Z');

const row = (over: Partial<BudgetRow>): BudgetRow => budgetRow({ scopeTargetId: 'user-1', amountMicros: 50_000n, createdAt: at, updatedAt: at, ...over });

const full = row({
  tokenLimit: 1_000_000n,
  requestsPerMinute: 60,
  expiresAt: new Date('2027-01-01T00:00:00Z'),
  lastResetAt: at,
  alerts: [
    { id: 'a1', threshold_percent: 80, notifier_ids: ['n1'], dimension: 'BUDGET_ALERT_DIMENSION_COST' },
    { threshold_percent: 100 },
  ],
});
const usage = counterUsage({ spentMicros: 12_500n, reservedMicros: 25_000n, tokens: 2_000n, reservedTokens: 5_096n, requests: 1, inFlight: 2 }, at, new Date('2026-11-28T00:00:00Z'));
const scopes: Partial<BudgetRow>[] = [
  { scopeKind: 'identity', scopeTargetId: 'user-1' },
  { scopeKind: 'workspace', scopeTargetId: 'ws', identityId: null },
  { scopeKind: 'api_key', scopeTargetId: 'key-1', identityId: null },
  { scopeKind: 'provider', scopeTargetId: 'openai', identityId: null },
  { scopeKind: 'model', scopeTargetId: 'openai/gpt-4o', identityId: null },
];

// A schema strips keys it does not know: parsing back to the same object means the answer has no field the contract lacks.
describe('budget serializers answer what their response schemas declare', () => {
  it('/v2/budgets: every scope, with and without usage and the optional fields', () => {
    for (const scope of scopes) {
      for (const budget of [row(scope), { ...full, ...scope }]) {
        for (const u of [null, usage]) {
          const out = serializeBudget(budget, u);
          expect(budgetResponseSchema.parse(out)).toEqual(out);
        }
      }
    }
  });

  it('USD at the edge, alerts in camelCase', () => {
    const out = serializeBudget(full, usage);
    expect(out.limits).toEqual({ period: 'BUDGET_PERIOD_DAILY', amount: 0.05, tokenLimit: 1_000_000 });
    expect(out.usage).toEqual({ amount: 0.0125, tokens: 2000, requests: 1, reserved: 0.025, reservedTokens: 5096, inFlight: 2 });
    expect(out.alerts).toEqual([
      { id: 'a1', thresholdPercent: 80, notifierIds: ['n1'], dimension: 'BUDGET_ALERT_DIMENSION_COST' },
      { thresholdPercent: 100, notifierIds: [] },
    ]);
  });

  it("an identity's budget: the same fields in snake_case", () => {
    for (const scope of scopes) {
      const out = serializeIdentityBudget({ ...full, ...scope }, usage);
      expect(identityBudgetResponseSchema.parse(out)).toEqual(out);
    }
    expect(serializeIdentityBudget(full, usage)).toMatchObject({
      budget_id: 'b1',
      scope: { identity: { identity_external_id: 'user-1' } },
      limits: { token_limit: 1_000_000 },
      rate_limit: { requests_per_minute: 60 },
      last_reset_at: at.toISOString(),
      alerts: [{ threshold_percent: 80, notifier_ids: ['n1'] }, { threshold_percent: 100, notifier_ids: [] }],
      usage: { reserved_tokens: 5096, in_flight: 2 },
    });
    expect(serializeIdentityBudget({ ...full, scopeKind: 'api_key', scopeTargetId: 'k' }, null).scope).toEqual({ api_key: { api_key_id: 'k' } });
  });

  it('/v2/usage/check: a status with and without a USD limit', () => {
    for (const budget of [full, row({ amountMicros: null, tokenLimit: 10n })]) {
      const out = serializeBudgetStatus(budgetStatus(budget, usage, at));
      expect(budgetStatusResponseSchema.parse(out)).toEqual(out);
    }
    expect(serializeBudgetStatus(budgetStatus(full, usage, at))).toMatchObject({ amount: 0.05, remaining: 0.0125, consumed: 0.0125, reserved: 0.025 });
  });
});
