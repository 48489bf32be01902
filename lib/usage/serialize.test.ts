import { describe, expect, it } from 'vitest';
import { budgetStatus, counterUsage } from '../budgets/status';
import { budgetRow } from '../budgets/testing';
import { checkResponseSchema, ingestResponseSchema } from './schema';
import { serializeCheckResult, serializeIngestResults } from './serialize';

describe('serializeIngestResults answers what ingestResponseSchema declares', () => {
  it('counts created and duplicate events; cost in USD, absent when unpriced', () => {
    const out = serializeIngestResults([
      { eventId: 'e1', id: 'u1', identityId: 'i1', externalId: 'x1', status: 'created', costMicros: 12_500n, priced: true },
      { eventId: 'e2', id: 'u2', identityId: 'i1', externalId: 'x1', status: 'duplicate', costMicros: null, priced: false },
    ]);
    // A schema strips keys it does not know: parsing back to the same object means no undeclared field.
    expect(ingestResponseSchema.parse(out)).toEqual(out);
    expect(out).toMatchObject({ object: 'usage.ingest', accepted: 1, duplicates: 1 });
    expect(out.data[0].cost).toBe(0.0125);
    expect(out.data[1]).not.toHaveProperty('cost');
  });
});

describe('serializeCheckResult answers what checkResponseSchema declares', () => {
  const at = new Date('2026-11-27T10:00:00Z');
  const usage = counterUsage({ spentMicros: 100_000n, reservedMicros: 0n, tokens: 0n, reservedTokens: 0n, requests: 2, inFlight: 0 }, at, null);
  const workspace = budgetStatus(budgetRow({ id: 'bw', scopeKind: 'workspace', identityId: null, amountMicros: 150_000n }), usage, at);
  const own = budgetStatus(budgetRow({ id: 'bi' }), usage, at);

  it("with and without a reservation; `budget` is the identity's own when it has one", () => {
    const reservation = { id: 'r1', costMicros: 25_000n, tokens: 1_096, expiresAt: at };
    const results = [
      { identity: { id: 'i1', externalId: 'user-1' }, externalId: 'user-1', statuses: [workspace, own], reservation },
      { identity: null, externalId: 'new-user', statuses: [workspace], reservation: { ...reservation, costMicros: null } },
      { identity: null, externalId: undefined, statuses: [], reservation: null },
    ];
    for (const result of results) {
      const out = serializeCheckResult(result);
      // A schema strips keys it does not know: parsing back to the same object means no undeclared field.
      expect(checkResponseSchema.parse(out)).toEqual(out);
    }
    const out = serializeCheckResult(results[0]);
    expect(out.budget?.budget_id).toBe('bi');
    expect(out.budgets.map((b) => b.budget_id)).toEqual(['bw', 'bi']);
    expect(out.reservation).toEqual({ reservation_id: 'r1', amount: 0.025, tokens: 1_096, expires_at: at.toISOString() });
    expect(serializeCheckResult(results[2])).toEqual({ allowed: true, budgets: [] });
  });
});
