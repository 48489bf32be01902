import { describe, expect, it } from 'vitest';
import { budgetStatus, counterUsage } from '../budgets/status';
import { budgetRow } from '../budgets/testing';
import { identityResponseSchema } from './schema';
import { serializeIdentity } from './serialize';
import type { IdentityRecord } from './service';

const at = new Date('2026-11-27T10:00:00Z');
const bare: IdentityRecord = {
  id: 'i1',
  workspaceId: 'ws',
  externalId: 'user-1',
  displayName: null,
  email: null,
  avatarUrl: null,
  tags: [],
  metadata: {},
  source: 'api',
  createdAt: at,
  updatedAt: at,
};
const full: IdentityRecord = { ...bare, displayName: 'Ada', email: 'ada@example.com', avatarUrl: 'https://example.com/a.png', tags: ['pro'], metadata: { plan: { tier: 2 } } };
const budget = budgetRow({ scopeTargetId: 'user-1', period: 'monthly', amountMicros: 10_000_000n, createdAt: at, updatedAt: at });
const usage = counterUsage({ spentMicros: 2_500_000n, reservedMicros: 0n, tokens: 300n, reservedTokens: 0n, requests: 3, inFlight: 0 }, at, null);

describe('serializeIdentity answers what identityResponseSchema declares', () => {
  it('bare, with every profile field, with metrics and with a budget', () => {
    const views = [
      { identity: bare },
      { identity: full },
      { identity: full, metrics: { totalCostMicros: 2_500_000n, totalTokens: 300, totalRequests: 3, errorRate: 1 / 3, unpricedRequests: 0 } },
      { identity: full, budget: { row: budget, usage, status: budgetStatus(budget, usage, at) } },
    ];
    for (const view of views) {
      const out = serializeIdentity(view);
      // A schema strips keys it does not know: parsing back to the same object means no undeclared field.
      expect(identityResponseSchema.parse(out)).toEqual(out);
    }
  });

  it('leaves empty optional fields out rather than sending null', () => {
    expect(serializeIdentity({ identity: bare })).toEqual({ _id: 'i1', external_id: 'user-1', workspace_id: 'ws', tags: [], metadata: {}, source: 'api', created: at.toISOString(), updated: at.toISOString() });
  });
});
