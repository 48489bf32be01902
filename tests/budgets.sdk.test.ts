// Budgets through the official @orq-ai/node SDK (contract §4), including consumption windows on a pinned clock.
import { describe, expect, it } from 'vitest';
import type { BudgetRestResponse } from '@orq-ai/node/models/components/budgetrestresponse.js';
import { budgetResponseSchema } from '@/lib/budgets/schema';
import { identityResponseSchema } from '@/lib/identities/schema';
import { at, eventId, ingest, raw, sdk, uid, type Json } from './support/api';

type Period = 'BUDGET_PERIOD_DAILY' | 'BUDGET_PERIOD_WEEKLY' | 'BUDGET_PERIOD_MONTHLY' | 'BUDGET_PERIOD_YEARLY' | 'BUDGET_PERIOD_ONE_TIME';

async function identityWithBudget(period: Period, amount = 10, extra: { displayName?: string; externalId?: string } = {}) {
  const orq = sdk();
  const externalId = extra.externalId ?? uid('bud');
  const identity = (await orq.identities.create({ externalId, displayName: extra.displayName })).result.identity;
  const { budget } = await orq.budgets.create({ scope: { identity: { identityExternalId: externalId } }, limits: { period, amount } });
  return { identity, externalId, budget };
}

/** A real notifier of the workspace: budget alerts may only name those (POST /v2/notifiers gives the id). */
async function notifierId(label: string): Promise<string> {
  const res = await raw<{ notifier: { id: string } }>('POST', '/v2/notifiers', { body: { name: uid(label), url: 'https://hooks.example.test/tollbooth' } });
  expect(res.status).toBe(201);
  return res.body.notifier.id;
}

const usageOf = async (budgetId: string, now?: string) => (await sdk().budgets.get({ budgetId }, now ? at(now) : undefined)).budget.usage;

describe('budgets via the SDK', () => {
  it('creates a budget with every field (200 {budget}, camelCase) and gets it back with zero usage', async () => {
    const orq = sdk();
    const externalId = uid('full');
    await orq.identities.create({ externalId });
    const expiresAt = new Date(Date.now() + 365 * 86_400_000);
    expiresAt.setUTCMilliseconds(0);
    const n1 = await notifierId('n1');
    const { budget } = await orq.budgets.create({
      scope: { identity: { identityExternalId: externalId } },
      limits: { period: 'BUDGET_PERIOD_MONTHLY', amount: 10, tokenLimit: 100_000 },
      rateLimit: { requestsPerMinute: 60 },
      isActive: true,
      expiresAt,
      alerts: [{ thresholdPercent: 80, notifierIds: [n1], dimension: 'BUDGET_ALERT_DIMENSION_COST' }],
    });
    expect(budget.budgetId).toEqual(expect.any(String));
    expect(budget.scope).toEqual({ identity: { identityExternalId: externalId } });
    expect(budget.limits).toEqual({ period: 'BUDGET_PERIOD_MONTHLY', amount: 10, tokenLimit: 100_000 });
    expect(budget.rateLimit).toEqual({ requestsPerMinute: 60 });
    expect(budget.isActive).toBe(true);
    expect(budget.expiresAt?.toISOString()).toBe(expiresAt.toISOString());
    expect(budget.alerts).toHaveLength(1);
    expect(budget.alerts?.[0]).toMatchObject({ thresholdPercent: 80, notifierIds: [n1], dimension: 'BUDGET_ALERT_DIMENSION_COST' });
    expect(budget.createdAt).toBeInstanceOf(Date);
    expect(Math.abs(budget.createdAt.getTime() - Date.now())).toBeLessThan(60_000);
    expect(budget.updatedAt.getTime()).toBeGreaterThanOrEqual(budget.createdAt.getTime());

    const got = (await orq.budgets.get({ budgetId: budget.budgetId })).budget;
    expect(got.budgetId).toBe(budget.budgetId);
    expect(got.limits).toEqual(budget.limits);
    expect(got.scope).toEqual(budget.scope);
    expect(got.rateLimit).toEqual(budget.rateLimit);
    expect(got.expiresAt?.toISOString()).toBe(expiresAt.toISOString());
    expect(got.usage).toEqual({ amount: 0, tokens: 0, requests: 0 });

    // On the wire: camelCase keys, 200 (not 201), zoned datetimes.
    const wire = await raw<{ budget: Json }>('GET', `/v2/budgets/${budget.budgetId}`);
    expect(wire.status).toBe(200);
    expect(wire.body.budget).toMatchObject({
      budgetId: budget.budgetId,
      isActive: true,
      limits: { period: 'BUDGET_PERIOD_MONTHLY', amount: 10, tokenLimit: 100_000 },
      rateLimit: { requestsPerMinute: 60 },
      scope: { identity: { identityExternalId: externalId } },
      usage: { amount: 0, tokens: 0, requests: 0 },
    });
    expect(wire.body.budget.createdAt).toMatch(/(Z|[+-]\d\d:\d\d)$/);
    expect(Object.values(wire.body.budget)).not.toContain(null);
  });

  it('answers 200 on create with a raw request and defaults is_active to true', async () => {
    const externalId = uid('rawc');
    await sdk().identities.create({ externalId });
    const res = await raw<{ budget: Json }>('POST', '/v2/budgets', {
      body: { scope: { identity: { identity_external_id: externalId } }, limits: { period: 'BUDGET_PERIOD_DAILY', amount: 0.2 } },
    });
    expect(res.status).toBe(200);
    expect(res.contentType).toMatch(/^application\/json/);
    expect(res.body.budget).toMatchObject({ isActive: true, limits: { period: 'BUDGET_PERIOD_DAILY', amount: 0.2 } });
    expect(res.body.budget).not.toHaveProperty('expiresAt');
    // The answer is its documented schema, no field more (a schema strips the keys it does not know).
    expect(budgetResponseSchema.parse(res.body.budget)).toEqual(res.body.budget);
    const listed = await raw<{ data: Json[] }>('GET', `/v2/budgets?scope_target_id=${externalId}`);
    expect(listed.body.data).toHaveLength(1);
    expect(budgetResponseSchema.parse(listed.body.data[0])).toEqual(listed.body.data[0]);
  });

  it('accepts a past expiry on an inactive budget', async () => {
    const externalId = uid('inact');
    await sdk().identities.create({ externalId });
    const res = await raw<{ budget: Json }>('POST', '/v2/budgets', {
      body: { scope: { identity: { identity_external_id: externalId } }, limits: { amount: 1 }, is_active: false, expires_at: '2020-01-01T00:00:00Z' },
    });
    expect(res.status).toBe(200);
    expect(res.body.budget).toMatchObject({ isActive: false, expiresAt: '2020-01-01T00:00:00.000Z' });
  });

  it('accepts a token-only and a rate-limit-only budget', async () => {
    const orq = sdk();
    const a = uid('tok');
    const b = uid('rpm');
    await orq.identities.create({ externalId: a });
    await orq.identities.create({ externalId: b });
    const tokenOnly = (await orq.budgets.create({ scope: { identity: { identityExternalId: a } }, limits: { period: 'BUDGET_PERIOD_WEEKLY', tokenLimit: 5000 } })).budget;
    expect(tokenOnly.limits).toEqual({ period: 'BUDGET_PERIOD_WEEKLY', tokenLimit: 5000 });
    const rpmOnly = (await orq.budgets.create({ scope: { identity: { identityExternalId: b } }, rateLimit: { requestsPerMinute: 5 } })).budget;
    expect(rpmOnly.rateLimit).toEqual({ requestsPerMinute: 5 });
    expect(rpmOnly.limits.amount).toBeUndefined();
  });

  it('updates only the fields sent; clears expiry and alerts', async () => {
    const orq = sdk();
    const externalId = uid('bupd');
    await orq.identities.create({ externalId });
    const created = (
      await orq.budgets.create({
        scope: { identity: { identityExternalId: externalId } },
        limits: { period: 'BUDGET_PERIOD_MONTHLY', amount: 10, tokenLimit: 1000 },
        alerts: [{ thresholdPercent: 50, notifierIds: [] }],
      })
    ).budget;
    const expiresAt = new Date('2040-01-01T00:00:00.000Z');
    const updated = (
      await orq.budgets.update({
        budgetId: created.budgetId,
        updateBudgetRequest: { limits: { amount: 20 }, rateLimit: { requestsPerMinute: 10 }, isActive: false, expiresAt },
      })
    ).budget;
    expect(updated.budgetId).toBe(created.budgetId);
    expect(updated.limits).toEqual({ period: 'BUDGET_PERIOD_MONTHLY', amount: 20, tokenLimit: 1000 });
    expect(updated.rateLimit).toEqual({ requestsPerMinute: 10 });
    expect(updated.isActive).toBe(false);
    expect(updated.expiresAt?.toISOString()).toBe(expiresAt.toISOString());
    expect(updated.scope).toEqual({ identity: { identityExternalId: externalId } });
    expect(updated.alerts?.map((a) => a.thresholdPercent)).toEqual([50]);
    expect(updated.createdAt.toISOString()).toBe(created.createdAt.toISOString());
    expect(updated.updatedAt.getTime()).toBeGreaterThanOrEqual(created.updatedAt.getTime());

    const alerts = (
      await orq.budgets.update({
        budgetId: created.budgetId,
        updateBudgetRequest: { alerts: [{ thresholdPercent: 90, notifierIds: [await notifierId('n2')] }, { thresholdPercent: 100, notifierIds: [] }] },
      })
    ).budget;
    expect(alerts.alerts?.map((a) => a.thresholdPercent)).toEqual([90, 100]);
    expect(alerts.isActive).toBe(false);

    const cleared = (
      await orq.budgets.update({ budgetId: created.budgetId, updateBudgetRequest: { clearExpiresAt: true, clearAlerts: true, isActive: true } })
    ).budget;
    expect(cleared.expiresAt).toBeUndefined();
    expect(cleared.alerts ?? []).toEqual([]);
    expect(cleared.isActive).toBe(true);
    expect(cleared.limits.amount).toBe(20);

    const period = (await orq.budgets.update({ budgetId: created.budgetId, updateBudgetRequest: { limits: { period: 'BUDGET_PERIOD_DAILY' } } })).budget;
    expect(period.limits).toEqual({ period: 'BUDGET_PERIOD_DAILY', amount: 20, tokenLimit: 1000 });

    // get agrees with the last write.
    const got = (await orq.budgets.get({ budgetId: created.budgetId })).budget;
    expect(got.limits).toEqual(period.limits);
    expect(got.expiresAt).toBeUndefined();
  });

  it('deletes a budget: 200 {}, then 404; the identity stays', async () => {
    const orq = sdk();
    const { budget, externalId } = await identityWithBudget('BUDGET_PERIOD_MONTHLY');
    expect(await orq.budgets.delete({ budgetId: budget.budgetId })).toEqual({});
    await expect(orq.budgets.get({ budgetId: budget.budgetId })).rejects.toMatchObject({ name: 'APIError', statusCode: 404 });
    await expect(orq.budgets.delete({ budgetId: budget.budgetId })).rejects.toMatchObject({ statusCode: 404 });
    expect((await orq.identities.retrieve({ id: externalId })).identity.externalId).toBe(externalId);
    // The identity can get a new budget now.
    const again = await orq.budgets.create({ scope: { identity: { identityExternalId: externalId } }, limits: { amount: 1 } });
    expect(again.budget.budgetId).not.toBe(budget.budgetId);
  });

  it('rejects a second budget for the same identity with 409', async () => {
    const { externalId } = await identityWithBudget('BUDGET_PERIOD_DAILY');
    await expect(
      sdk().budgets.create({ scope: { identity: { identityExternalId: externalId } }, limits: { period: 'BUDGET_PERIOD_MONTHLY', amount: 5 } }),
    ).rejects.toMatchObject({ name: 'APIError', statusCode: 409 });
  });

  it('deleting an identity deletes its budget', async () => {
    const orq = sdk();
    const { budget, externalId } = await identityWithBudget('BUDGET_PERIOD_MONTHLY');
    await orq.identities.delete({ id: externalId });
    await expect(orq.budgets.get({ budgetId: budget.budgetId })).rejects.toMatchObject({ statusCode: 404 });
    const list = await orq.budgets.list({ scopeTargetId: externalId });
    expect(list.data).toEqual([]);
    // A new identity with the same external id starts without a budget and can get one.
    await orq.identities.create({ externalId });
    expect((await orq.identities.retrieve({ id: externalId, includeBudget: true })).identity.budget).toBeUndefined();
    await orq.budgets.create({ scope: { identity: { identityExternalId: externalId } }, limits: { amount: 3 } });
  });
});

describe('budget list filters, sorting and pagination', () => {
  it('filters by query, period, active state, scope kind and target', async () => {
    const orq = sdk();
    const token = uid('bl');
    const nameToken = uid('blname');
    const a = await identityWithBudget('BUDGET_PERIOD_MONTHLY', 1, { externalId: `${token}-a`, displayName: `Name ${nameToken}` });
    const bIdentity = `${token}-b`;
    await orq.identities.create({ externalId: bIdentity });
    const b = (
      await orq.budgets.create({
        scope: { identity: { identityExternalId: bIdentity } },
        limits: { period: 'BUDGET_PERIOD_DAILY', amount: 2 },
        isActive: false,
        expiresAt: new Date('2040-01-01T00:00:00Z'),
      })
    ).budget;
    const cIdentity = `${token}-c`;
    await orq.identities.create({ externalId: cIdentity });
    const c = (
      await orq.budgets.create({
        scope: { identity: { identityExternalId: cIdentity } },
        limits: { period: 'BUDGET_PERIOD_WEEKLY', tokenLimit: 1000 },
        expiresAt: new Date('2035-01-01T00:00:00Z'),
      })
    ).budget;
    const ids = (list: { data: BudgetRestResponse[] }) => list.data.map((x) => x.budgetId);
    const [A, B, C] = [a.budget.budgetId, b.budgetId, c.budgetId];

    const all = await orq.budgets.list({ query: token });
    expect(all.object).toBe('list');
    expect(ids(all)).toEqual([C, B, A]); // most recently updated first
    expect(all.hasMore).toBe(false);
    for (const budget of all.data) expect(budget.usage).toEqual({ amount: 0, tokens: 0, requests: 0 });

    expect(ids(await orq.budgets.list({ query: token, period: ['BUDGET_PERIOD_DAILY', 'BUDGET_PERIOD_WEEKLY'] }))).toEqual([C, B]);
    expect(ids(await orq.budgets.list({ query: token, isActive: true }))).toEqual([C, A]);
    expect(ids(await orq.budgets.list({ query: token, isActive: false }))).toEqual([B]);
    expect(ids(await orq.budgets.list({ scopeTargetId: `${token}-a` }))).toEqual([A]);
    expect(ids(await orq.budgets.list({ query: token, scopeKind: ['BUDGET_SCOPE_KIND_IDENTITY'] }))).toEqual([C, B, A]);
    expect(ids(await orq.budgets.list({ query: token, scopeKind: ['BUDGET_SCOPE_KIND_PROJECT'] }))).toEqual([]);
    expect(ids(await orq.budgets.list({ query: nameToken }))).toEqual([A]);
    expect(ids(await orq.budgets.list({ query: `${token}-nothing` }))).toEqual([]);

    // Sorts.
    expect(ids(await orq.budgets.list({ query: token, sortBy: 'BUDGET_SORT_FIELD_EXPIRES_AT' }))).toEqual([C, B, A]);
    const byCreated = await orq.budgets.list({ query: token, sortBy: 'BUDGET_SORT_FIELD_CREATED_AT' });
    expect([[C, B, A], [A, B, C]]).toContainEqual(ids(byCreated));

    await orq.budgets.update({ budgetId: A, updateBudgetRequest: { limits: { amount: 1.5 } } });
    expect(ids(await orq.budgets.list({ query: token }))).toEqual([A, C, B]);
    expect(ids(await orq.budgets.list({ query: token, sortBy: 'BUDGET_SORT_FIELD_UPDATED_AT' }))).toEqual([A, C, B]);
    expect(ids(await orq.budgets.list({ query: token, sortBy: 'BUDGET_SORT_FIELD_CREATED_AT' }))).toEqual(ids(byCreated));
  });

  it('pages forward and backward with camelCase hasMore', async () => {
    const orq = sdk();
    const token = uid('bpg');
    const created: string[] = [];
    for (const suffix of ['a', 'b', 'c', 'd', 'e']) {
      created.push((await identityWithBudget('BUDGET_PERIOD_MONTHLY', 1, { externalId: `${token}-${suffix}` })).budget.budgetId);
    }
    const expected = [...created].reverse();

    const p1 = await orq.budgets.list({ query: token, limit: 2 });
    expect(p1.data.map((b) => b.budgetId)).toEqual(expected.slice(0, 2));
    expect(p1.hasMore).toBe(true);
    const p2 = await orq.budgets.list({ query: token, limit: 2, startingAfter: p1.data[1].budgetId });
    expect(p2.data.map((b) => b.budgetId)).toEqual(expected.slice(2, 4));
    expect(p2.hasMore).toBe(true);
    const p3 = await orq.budgets.list({ query: token, limit: 2, startingAfter: p2.data[1].budgetId });
    expect(p3.data.map((b) => b.budgetId)).toEqual(expected.slice(4));
    expect(p3.hasMore).toBe(false);

    const back1 = await orq.budgets.list({ query: token, limit: 2, endingBefore: p3.data[0].budgetId });
    expect(back1.data.map((b) => b.budgetId)).toEqual(expected.slice(2, 4));
    expect(back1.hasMore).toBe(true);
    const back2 = await orq.budgets.list({ query: token, limit: 2, endingBefore: back1.data[0].budgetId });
    expect(back2.data.map((b) => b.budgetId)).toEqual(expected.slice(0, 2));
    expect(back2.hasMore).toBe(false);

    const exact = await orq.budgets.list({ query: token, limit: 5 });
    expect(exact.hasMore).toBe(false);

    const wire = await raw<Json>('GET', `/v2/budgets?query=${token}&limit=2`);
    expect(wire.status).toBe(200);
    expect(wire.body).toMatchObject({ object: 'list', hasMore: true });
  });
});

describe('budget consumption on a pinned clock', () => {
  type Case = { period: Period; first: string; second: string; readAfter: string; counts: 'second' | 'both' };
  const cases: Case[] = [
    // 2031-03-31 is a Monday: the month changes inside one ISO week.
    { period: 'BUDGET_PERIOD_DAILY', first: '2031-03-31T23:50:00Z', second: '2031-04-01T00:10:00Z', readAfter: '2031-04-01T12:00:00Z', counts: 'second' },
    { period: 'BUDGET_PERIOD_MONTHLY', first: '2031-03-31T23:50:00Z', second: '2031-04-01T00:10:00Z', readAfter: '2031-04-01T12:00:00Z', counts: 'second' },
    { period: 'BUDGET_PERIOD_WEEKLY', first: '2031-03-31T23:50:00Z', second: '2031-04-01T00:10:00Z', readAfter: '2031-04-01T12:00:00Z', counts: 'both' },
    { period: 'BUDGET_PERIOD_YEARLY', first: '2031-03-31T23:50:00Z', second: '2031-04-01T00:10:00Z', readAfter: '2031-04-01T12:00:00Z', counts: 'both' },
    // Sunday 23:50 → Monday 00:10 starts a new ISO week.
    { period: 'BUDGET_PERIOD_WEEKLY', first: '2031-04-06T23:50:00Z', second: '2031-04-07T00:10:00Z', readAfter: '2031-04-07T12:00:00Z', counts: 'second' },
    { period: 'BUDGET_PERIOD_YEARLY', first: '2031-12-31T23:50:00Z', second: '2032-01-01T00:10:00Z', readAfter: '2032-01-01T12:00:00Z', counts: 'second' },
  ];

  const plus = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000).toISOString();

  it.each(cases)('$period: events at $first and $second, read at $readAfter, counts $counts', async ({ period, first, second, readAfter, counts }) => {
    const { budget, externalId } = await identityWithBudget(period, 100);
    await ingest([{ event_id: eventId(), external_id: externalId, model: 'm', cost: 1, input_tokens: 100, output_tokens: 0, timestamp: first }], plus(first, 1));
    expect(await usageOf(budget.budgetId, plus(first, 5))).toEqual({ amount: 1, tokens: 100, requests: 1 });

    await ingest([{ event_id: eventId(), external_id: externalId, model: 'm', cost: 0.25, input_tokens: 30, output_tokens: 20, timestamp: second }], plus(second, 1));
    const expected = counts === 'second' ? { amount: 0.25, tokens: 50, requests: 1 } : { amount: 1.25, tokens: 150, requests: 2 };
    expect(await usageOf(budget.budgetId, readAfter)).toEqual(expected);

    // The list shows the same usage at the same instant.
    const listed = await sdk().budgets.list({ scopeTargetId: externalId }, at(readAfter));
    expect(listed.data.map((b) => b.usage)).toEqual([expected]);
  });

  it('a daily budget starts from zero on a later day', async () => {
    const { budget, externalId } = await identityWithBudget('BUDGET_PERIOD_DAILY');
    await ingest([{ event_id: eventId(), external_id: externalId, model: 'm', cost: 2, input_tokens: 1, output_tokens: 1, timestamp: '2031-08-05T10:00:00Z' }], '2031-08-05T10:01:00Z');
    expect(await usageOf(budget.budgetId, '2031-08-05T23:59:59Z')).toEqual({ amount: 2, tokens: 2, requests: 1 });
    expect(await usageOf(budget.budgetId, '2031-08-07T10:00:00Z')).toEqual({ amount: 0, tokens: 0, requests: 0 });
  });

  it('reset-consumption zeroes usage at the pinned time; later events count again', async () => {
    const orq = sdk();
    const { budget, externalId } = await identityWithBudget('BUDGET_PERIOD_MONTHLY', 10);
    await ingest(
      [{ event_id: eventId(), external_id: externalId, model: 'm', cost: 0.5, input_tokens: 40, output_tokens: 10, timestamp: '2031-06-10T10:00:00Z' }],
      '2031-06-10T10:01:00Z',
    );
    expect(await usageOf(budget.budgetId, '2031-06-10T11:00:00Z')).toEqual({ amount: 0.5, tokens: 50, requests: 1 });

    const reset = await orq.budgets.resetConsumption({ budgetId: budget.budgetId, resetBudgetConsumptionRequest: {} }, at('2031-06-10T12:00:00Z'));
    if (reset.budget) {
      expect(reset.budget.budgetId).toBe(budget.budgetId);
      expect(reset.budget.limits).toEqual({ period: 'BUDGET_PERIOD_MONTHLY', amount: 10 });
    }
    expect(await usageOf(budget.budgetId, '2031-06-10T12:01:00Z')).toEqual({ amount: 0, tokens: 0, requests: 0 });

    await ingest(
      [{ event_id: eventId(), external_id: externalId, model: 'm', cost: 0.3, input_tokens: 7, output_tokens: 3, timestamp: '2031-06-10T12:10:00Z' }],
      '2031-06-10T12:11:00Z',
    );
    expect(await usageOf(budget.budgetId, '2031-06-10T12:20:00Z')).toEqual({ amount: 0.3, tokens: 10, requests: 1 });
    // Events on later days of the same month count on top.
    await ingest(
      [{ event_id: eventId(), external_id: externalId, model: 'm', cost: 0.2, input_tokens: 1, output_tokens: 1, timestamp: '2031-06-15T09:00:00Z' }],
      '2031-06-15T09:01:00Z',
    );
    expect(await usageOf(budget.budgetId, '2031-06-20T00:00:00Z')).toEqual({ amount: 0.5, tokens: 12, requests: 2 });
    // The next month starts from its own window.
    expect(await usageOf(budget.budgetId, '2031-07-01T00:00:01Z')).toEqual({ amount: 0, tokens: 0, requests: 0 });

    // Raw: 200 with a JSON object, the record is preserved.
    const rawReset = await raw('POST', `/v2/budgets/${budget.budgetId}/reset-consumption`, { body: {}, now: '2031-06-20T00:00:00Z' });
    expect(rawReset.status).toBe(200);
    expect(rawReset.contentType).toMatch(/^application\/json/);
    expect((await orq.budgets.get({ budgetId: budget.budgetId })).budget.limits.amount).toBe(10);
  });

  it('a one-time budget counts only what happened since it was created', async () => {
    const externalId = uid('once');
    const beforeCreate = new Date(Date.now() - 60_000).toISOString();
    await ingest([
      { event_id: eventId(), external_id: externalId, model: 'm', cost: 0.7, input_tokens: 1, output_tokens: 1, timestamp: new Date(Date.now() - 2 * 86_400_000).toISOString() },
      { event_id: eventId(), external_id: externalId, model: 'm', cost: 0.05, input_tokens: 1, output_tokens: 1, timestamp: beforeCreate },
    ]);
    const { budget } = await sdk().budgets.create({ scope: { identity: { identityExternalId: externalId } }, limits: { period: 'BUDGET_PERIOD_ONE_TIME', amount: 5 } });
    expect(budget.limits.period).toBe('BUDGET_PERIOD_ONE_TIME');
    expect(await usageOf(budget.budgetId)).toEqual({ amount: 0, tokens: 0, requests: 0 });
    await ingest([{ event_id: eventId(), external_id: externalId, model: 'm', cost: 0.2, input_tokens: 2, output_tokens: 3 }]);
    expect(await usageOf(budget.budgetId)).toEqual({ amount: 0.2, tokens: 5, requests: 1 });
  });
});

describe('include_budget on identities', () => {
  it('embeds the identity budget in snake_case on retrieve and list, and omits it when there is none', async () => {
    const orq = sdk();
    const tag = uid('ib');
    const withBudget = uid('ibyes');
    const without = uid('ibno');
    await orq.identities.create({ externalId: withBudget, tags: [tag] });
    await orq.identities.create({ externalId: without, tags: [tag] });
    const n9 = await notifierId('n9');
    const { budget } = await orq.budgets.create({
      scope: { identity: { identityExternalId: withBudget } },
      limits: { period: 'BUDGET_PERIOD_MONTHLY', amount: 10, tokenLimit: 5000 },
      rateLimit: { requestsPerMinute: 30 },
      expiresAt: new Date('2045-05-05T00:00:00.000Z'),
      alerts: [{ thresholdPercent: 75, notifierIds: [n9], dimension: 'BUDGET_ALERT_DIMENSION_TOKENS' }],
    });

    const got = (await orq.identities.retrieve({ id: withBudget, includeBudget: true })).identity.budget;
    expect(got).toBeDefined();
    expect(got?.budgetId).toBe(budget.budgetId);
    expect(got?.limits).toEqual({ period: 'BUDGET_PERIOD_MONTHLY', amount: 10, tokenLimit: 5000 });
    expect(got?.rateLimit).toEqual({ requestsPerMinute: 30 });
    expect(got?.isActive).toBe(true);
    expect(got?.scope).toEqual({ identity: { identityExternalId: withBudget } });
    expect(got?.createdAt.toISOString()).toBe(budget.createdAt.toISOString());
    expect(got?.expiresAt?.toISOString()).toBe('2045-05-05T00:00:00.000Z');
    expect(got?.alerts?.[0]).toMatchObject({ thresholdPercent: 75, notifierIds: [n9], dimension: 'BUDGET_ALERT_DIMENSION_TOKENS' });

    const wire = await raw<{ identity: Json }>('GET', `/v2/identities/${withBudget}?include_budget=true`);
    expect(wire.body.identity.budget).toMatchObject({
      budget_id: budget.budgetId,
      limits: { period: 'BUDGET_PERIOD_MONTHLY', amount: 10, token_limit: 5000 },
      rate_limit: { requests_per_minute: 30 },
      is_active: true,
      scope: { identity: { identity_external_id: withBudget } },
      expires_at: '2045-05-05T00:00:00.000Z',
      alerts: [{ threshold_percent: 75, notifier_ids: [n9], dimension: 'BUDGET_ALERT_DIMENSION_TOKENS' }],
    });
    expect(wire.body.identity.budget).toHaveProperty('created_at');
    expect(wire.body.identity.budget).toHaveProperty('updated_at');
    expect(identityResponseSchema.parse(wire.body.identity)).toEqual(wire.body.identity);

    const none = await raw<{ identity: Json }>('GET', `/v2/identities/${without}?include_budget=true`);
    expect(none.status).toBe(200);
    expect(none.body.identity).not.toHaveProperty('budget');
    const plain = await raw<{ identity: Json }>('GET', `/v2/identities/${withBudget}`);
    expect(plain.body.identity).not.toHaveProperty('budget');

    const list = await orq.identities.list({ filterByTags: [tag], includeBudget: true, includeMetrics: true });
    const byExternal = new Map(list.data.map((i) => [i.externalId, i]));
    expect(byExternal.get(withBudget)?.budget?.budgetId).toBe(budget.budgetId);
    expect(byExternal.get(without)?.budget).toBeUndefined();
    expect(byExternal.get(without)?.metrics).toEqual({ totalCost: 0, totalTokens: 0, totalRequests: 0, errorRate: 0 });
    const rawList = await raw<{ data: Json[] }>('GET', `/v2/identities?filter_by.tags=${tag}&include_budget=true`);
    const rawWithout = rawList.body.data.find((i) => i.external_id === without);
    expect(rawWithout).not.toHaveProperty('budget');
    expect(Object.values(rawWithout ?? {})).not.toContain(null);
  });
});
