// POST /v2/usage/check: the pre-flight budget check that answers 429 once an identity's budget is spent.
import { describe, expect, it } from 'vitest';
import { budgetStatusResponseSchema, refusedBudgetSchema } from '@/lib/budgets/schema';
import { apiKey, baseUrl, eventId, ingest, raw, sdk, uid, type ErrorBody, type Json } from './support/api';

type CheckBody = { allowed: boolean; identity_id?: string; external_id?: string; budget?: Json; budgets?: Json[] };

async function identityWithDailyBudget(amount: number) {
  const externalId = uid('chk');
  const { identity } = (await sdk().identities.create({ externalId })).result;
  const { budget } = await sdk().budgets.create({
    scope: { identity: { identityExternalId: externalId } },
    limits: { period: 'BUDGET_PERIOD_DAILY', amount },
  });
  return { externalId, identityId: identity.id, budgetId: budget.budgetId };
}

describe('POST /v2/usage/check', () => {
  const day = '2032-06-15';
  const noon = `${day}T12:00:00.000Z`;

  it('allows an identity under its budget and reports what is left', async () => {
    const { externalId, identityId, budgetId } = await identityWithDailyBudget(0.2);
    await ingest([{ event_id: eventId(), external_id: externalId, cost: 0.08, timestamp: `${day}T09:00:00Z` }]);
    const res = await raw<CheckBody>('POST', '/v2/usage/check', { body: { external_id: externalId }, now: noon });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      allowed: true,
      identity_id: identityId,
      external_id: externalId,
      budget: { budget_id: budgetId, period: 'daily', amount: 0.2, consumed: 0.08, requests: 1, resets_at: '2032-06-16T00:00:00.000Z' },
    });
    expect(res.body.budget?.remaining).toBeCloseTo(0.12, 10);
    expect(res.body.budget?.percent).toBeCloseTo(40, 10);
    // Each status is its documented schema, no field more (a schema strips the keys it does not know).
    for (const status of [res.body.budget, ...(res.body.budgets ?? [])]) expect(budgetStatusResponseSchema.parse(status)).toEqual(status);
    // By _id as well.
    const byId = await raw<CheckBody>('POST', '/v2/usage/check', { body: { identity_id: identityId }, now: noon });
    expect(byId.status).toBe(200);
    expect(byId.body.external_id).toBe(externalId);
  });

  it('answers 429 budget_exceeded with Retry-After once the budget is spent, until reset', async () => {
    const { externalId, budgetId } = await identityWithDailyBudget(0.2);
    await ingest([
      { event_id: eventId(), external_id: externalId, cost: 0.15, timestamp: `${day}T08:00:00Z` },
      { event_id: eventId(), external_id: externalId, cost: 0.05, timestamp: `${day}T10:00:00Z` },
    ]);
    const blocked = await raw<ErrorBody>('POST', '/v2/usage/check', { body: { external_id: externalId }, now: noon });
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('budget_exceeded');
    expect(blocked.body.error.message).toContain(externalId);
    // The refusing budget, as documented (RefusedBudget), no field more.
    const refused = (blocked.body.error as ErrorBody['error'] & { budget?: Json }).budget;
    expect(refusedBudgetSchema.parse(refused)).toEqual(refused);
    expect(refused).toMatchObject({ budget_id: budgetId, scope: { kind: 'identity', target_id: externalId }, period: 'daily', amount: 0.2, consumed: 0.2, reserved: 0 });
    const res = await fetch(`${baseUrl()}/v2/usage/check`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey()}`, 'content-type': 'application/json', 'x-tollbooth-now': noon },
      body: JSON.stringify({ external_id: externalId }),
    });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe(String(12 * 3600));

    // The next day's window starts from zero.
    const nextDay = await raw<CheckBody>('POST', '/v2/usage/check', { body: { external_id: externalId }, now: '2032-06-16T00:00:01Z' });
    expect(nextDay.status).toBe(200);
    expect(nextDay.body.budget?.consumed).toBe(0);

    // A manual reset lets the very next request through.
    await sdk().budgets.resetConsumption({ budgetId, resetBudgetConsumptionRequest: {} }, { headers: { 'x-tollbooth-now': noon } });
    const afterReset = await raw<CheckBody>('POST', '/v2/usage/check', { body: { external_id: externalId }, now: `${day}T12:00:01Z` });
    expect(afterReset.status).toBe(200);
    expect(afterReset.body.budget?.consumed).toBe(0);
  });

  it('never blocks on an inactive budget, and allows identities without one', async () => {
    const { externalId, budgetId } = await identityWithDailyBudget(0.01);
    await ingest([{ event_id: eventId(), external_id: externalId, cost: 1, timestamp: `${day}T08:00:00Z` }]);
    expect((await raw('POST', '/v2/usage/check', { body: { external_id: externalId }, now: noon })).status).toBe(429);
    await sdk().budgets.update({ budgetId, updateBudgetRequest: { isActive: false } });
    expect((await raw('POST', '/v2/usage/check', { body: { external_id: externalId }, now: noon })).status).toBe(200);

    const unknown = await raw<CheckBody>('POST', '/v2/usage/check', { body: { external_id: uid('nobody') } });
    expect(unknown.status).toBe(200);
    expect(unknown.body).not.toHaveProperty('budget');
  });

  it('names the missing field and needs an API key', async () => {
    const bad = await raw<ErrorBody>('POST', '/v2/usage/check', { body: {} });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d) => d.field)).toEqual(['external_id']);
    expect((await raw('POST', '/v2/usage/check', { body: { external_id: 'x' }, key: null })).status).toBe(401);
  });
});
