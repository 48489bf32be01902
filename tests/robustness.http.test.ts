// Edge cases over raw HTTP and the SDK: concurrency, LIKE wildcards, zones, routing, auth variants.
import { describe, expect, it } from 'vitest';
import { apiKey, at, eventId, ingest, raw, sdk, uid, type ErrorBody, type IngestResponse, type Json, type UsageEvent } from './support/api';

describe('routing and transport', () => {
  it('answers an unknown /v2 path with a JSON 404 in the error shape', async () => {
    const res = await raw<ErrorBody>('GET', '/v2/no-such-thing');
    expect(res.status).toBe(404);
    expect(res.contentType).toMatch(/^application\/json/);
    expect(res.body.error.code).toBe('not_found');
  });

  it('answers an unsupported method with a JSON error, not an empty body', async () => {
    const res = await raw<ErrorBody>('PUT', '/v2/identities', { body: { external_id: uid('put') } });
    expect(res.status).toBe(405);
    expect(res.contentType).toMatch(/^application\/json/);
    expect(res.body?.error?.code).toBe('method_not_allowed');
  });

  it('accepts the key with the trailing colon of orq curl examples', async () => {
    const res = await raw('GET', '/v2/identities?limit=1', { key: `${apiKey()}:` });
    expect(res.status).toBe(200);
  });

  it('rejects a body over 5 MB with 413 payload_too_large', async () => {
    const res = await raw<ErrorBody>('POST', '/v2/identities', { body: { external_id: uid('big'), metadata: { blob: 'x'.repeat(6 * 1024 * 1024) } } });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
  });

  it('serves an OpenAPI document describing the identities and budgets routes', async () => {
    const res = await raw<{ openapi: string; paths: Record<string, unknown> }>('GET', '/v2/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/v2/identities', '/v2/budgets', '/v2/usage']));
  });

  it('retrieves external ids with %, #, unicode and a plus sign', async () => {
    const orq = sdk();
    for (const externalId of [`${uid('p')}-100%`, `${uid('h')}#frag`, `${uid('u')}-José/ü`, `${uid('plus')}+a b`]) {
      const created = (await orq.identities.create({ externalId })).result.identity;
      expect(created.externalId).toBe(externalId);
      expect((await orq.identities.retrieve({ id: externalId })).identity.id).toBe(created.id);
      expect((await orq.identities.update({ id: externalId, updateIdentityRequest: { tags: ['ok'] } })).identity.tags).toEqual(['ok']);
      await orq.identities.delete({ id: externalId });
    }
  });

  it('rejects a JSON array or a string as a body with 400 invalid_request', async () => {
    for (const body of ['[]', '"x"', 'null']) {
      const res = await raw<ErrorBody>('POST', '/v2/identities', { body });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
    }
  });

  it('treats an empty body on reset-consumption like {}', async () => {
    const externalId = uid('rst');
    await sdk().identities.create({ externalId });
    const { budget } = await sdk().budgets.create({ scope: { identity: { identityExternalId: externalId } }, limits: { amount: 1 } });
    const res = await raw('POST', `/v2/budgets/${budget.budgetId}/reset-consumption`);
    expect(res.status).toBe(200);
  });
});

describe('search input is literal text', () => {
  it('does not treat % and _ as wildcards', async () => {
    const orq = sdk();
    const token = uid('lk').replace('-', '');
    const plain = (await orq.identities.create({ externalId: `${token}-axb` })).result.identity;
    const underscore = (await orq.identities.create({ externalId: `${token}-a_b` })).result.identity;
    const percent = (await orq.identities.create({ externalId: `${token}-100%` })).result.identity;

    const u = await orq.identities.list({ search: `${token}-a_b`, limit: 50 });
    expect.soft(u.data.map((i) => i.id)).toEqual([underscore.id]);
    const p = await orq.identities.list({ search: `${token}-100%`, limit: 50 });
    expect.soft(p.data.map((i) => i.id)).toEqual([percent.id]);
    const all = await orq.identities.list({ search: token, limit: 50 });
    expect(all.data.map((i) => i.id).sort()).toEqual([plain.id, underscore.id, percent.id].sort());
    const pct = await orq.identities.list({ search: `${token}%axb`, limit: 50 });
    expect.soft(pct.data.map((i) => i.externalId)).toEqual([]);
  });

  it('matches non-ASCII display names case-insensitively', async () => {
    const orq = sdk();
    const token = uid('na').replace('-', '');
    const emile = (await orq.identities.create({ externalId: uid('na'), displayName: `Émile ${token}` })).result.identity;
    const res = await orq.identities.list({ search: `éMILE ${token}`, limit: 50 });
    expect(res.data.map((i) => i.id)).toEqual([emile.id]);
  });

  it('does not treat % and _ as wildcards in the budget query', async () => {
    const orq = sdk();
    const token = uid('blk').replace('-', '');
    const a = `${token}-a_b`;
    const b = `${token}-axb`;
    await orq.identities.create({ externalId: a });
    await orq.identities.create({ externalId: b });
    const ba = (await orq.budgets.create({ scope: { identity: { identityExternalId: a } }, limits: { amount: 1 } })).budget;
    await orq.budgets.create({ scope: { identity: { identityExternalId: b } }, limits: { amount: 1 } });
    expect((await orq.budgets.list({ query: a })).data.map((x) => x.budgetId)).toEqual([ba.budgetId]);
  });
});

describe('display-name sort edge cases', () => {
  it('breaks ties between equal display names stably across pages', async () => {
    const orq = sdk();
    const tag = uid('tie');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await orq.identities.create({ externalId: `${tag}-${i}`, displayName: 'Same Name', tags: [tag] })).result.identity.id);
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let guard = 0; guard < 5; guard++) {
      const page = await orq.identities.list({ filterByTags: [tag], sortBy: 'IDENTITY_SORT_FIELD_DISPLAY_NAME', limit: 2, startingAfter: cursor });
      seen.push(...page.data.map((i) => i.id));
      if (!page.hasMore) break;
      cursor = page.data[page.data.length - 1].id;
    }
    expect([...seen].sort()).toEqual([...ids].sort());
    expect(new Set(seen).size).toBe(5);
  });

  it('falls back to the external id once a display name is cleared', async () => {
    const tag = uid('clr');
    const mk = async (externalId: string, display_name?: string) =>
      (await raw<{ identity: Json }>('POST', '/v2/identities', { body: { external_id: externalId, display_name, tags: [tag] } })).body.identity;
    const zed = await mk(`${tag}-1`, 'Zed');
    const mid = await mk(`${tag}-2`, 'Mmm');
    const res = await raw('PATCH', `/v2/identities/${zed._id}`, { body: { display_name: null } });
    expect(res.status).toBe(200);
    // zed now sorts by its external id "clr-…-1", which comes before "mmm".
    const list = await sdk().identities.list({ filterByTags: [tag], sortBy: 'IDENTITY_SORT_FIELD_DISPLAY_NAME' });
    expect(list.data.map((i) => i.id)).toEqual([zed._id, mid._id]);
  });
});

describe('usage: zones, identity checks and in-batch repeats', () => {
  it('buckets events by their UTC instant, whatever the offset they were sent with', async () => {
    const { budgetId, externalId } = await monthlyBudget();
    // 01:10+02:00 on April 1st is 23:10Z on March 31st.
    await ingest([{ event_id: eventId(), external_id: externalId, model: 'm', cost: 1, timestamp: '2031-04-01T01:10:00+02:00' }], '2031-04-01T00:00:00Z');
    // 20:30-05:00 on March 31st is 01:30Z on April 1st.
    await ingest([{ event_id: eventId(), external_id: externalId, model: 'm', cost: 0.5, timestamp: '2031-03-31T20:30:00-05:00' }], '2031-04-01T02:00:00Z');
    expect((await sdk().budgets.get({ budgetId }, at('2031-04-01T12:00:00Z'))).budget.usage?.amount).toBe(0.5);
    expect((await sdk().budgets.get({ budgetId }, at('2031-03-31T23:30:00Z'))).budget.usage?.amount).toBe(1);
  });

  it('rejects identity_id with a different external_id (422, events.N.external_id) and writes nothing', async () => {
    const orq = sdk();
    const externalId = uid('mm');
    const identity = (await orq.identities.create({ externalId })).result.identity;
    const res = await raw<ErrorBody>('POST', '/v2/usage', {
      body: { events: [{ event_id: eventId(), identity_id: identity.id, external_id: `${externalId}-other`, model: 'm', cost: 1 }] },
    });
    expect(res.status).toBe(422);
    expect(res.body.error.details.map((d) => d.field)).toEqual(['events.0.external_id']);
    expect((await orq.identities.retrieve({ id: identity.id, includeMetrics: true })).identity.metrics?.totalRequests).toBe(0);
  });

  it('counts an event id repeated inside one batch once; a conflicting repeat is rejected', async () => {
    const externalId = uid('rep');
    const event: UsageEvent = { event_id: eventId(), external_id: externalId, model: 'm', cost: 0.1 };
    const res = await ingest([event, event]);
    expect(res.accepted).toBe(1);
    expect(res.duplicates).toBe(1);
    const clash = await raw<ErrorBody>('POST', '/v2/usage', { body: { events: [{ ...event, event_id: eventId('c') }, { ...event, event_id: eventId('c2') }] } });
    expect(clash.status).toBe(200);
    const conflicting = await raw<ErrorBody>('POST', '/v2/usage', {
      body: { events: [{ event_id: 'same-key-' + externalId, external_id: externalId, cost: 1 }, { event_id: 'same-key-' + externalId, external_id: externalId, cost: 2 }] },
    });
    expect(conflicting.status).toBe(409);
    expect(conflicting.body.error.code).toBe('conflict');
    expect(conflicting.body.error.details.map((d) => d.field)).toEqual(['events.1.event_id']);
  });
});

describe('concurrency', () => {
  it('counts a batch retried concurrently exactly once and never answers 500', async () => {
    const externalId = uid('conc');
    const batch: UsageEvent[] = Array.from({ length: 5 }, () => ({ event_id: eventId(), external_id: externalId, model: 'm', cost: 0.01, input_tokens: 1, output_tokens: 1 }));
    const results = await Promise.all(Array.from({ length: 6 }, () => raw<IngestResponse>('POST', '/v2/usage', { body: { events: batch } })));
    expect(results.map((r) => r.status)).toEqual(Array(6).fill(200));
    expect(results.reduce((n, r) => n + r.body.accepted, 0)).toBe(5);
    const identityIds = new Set(results.flatMap((r) => r.body.data.map((d) => d.identity_id)));
    expect(identityIds.size).toBe(1);
    const metrics = (await sdk().identities.retrieve({ id: externalId, includeMetrics: true })).identity.metrics;
    expect(metrics?.totalRequests).toBe(5);
    expect(metrics?.totalCost).toBeCloseTo(0.05, 9);
  });

  it('creating the same external id concurrently gives one 201 and 409s, never 500', async () => {
    const externalId = uid('race');
    const results = await Promise.all(Array.from({ length: 6 }, () => raw('POST', '/v2/identities', { body: { external_id: externalId } })));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409, 409, 409, 409, 409]);
  });

  it('creating budgets for one identity concurrently gives one 200 and 409s', async () => {
    const externalId = uid('brace');
    await sdk().identities.create({ externalId });
    const results = await Promise.all(
      Array.from({ length: 4 }, () => raw('POST', '/v2/budgets', { body: { scope: { identity: { identity_external_id: externalId } }, limits: { amount: 1 } } })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409]);
  });

  it('ingests different identities concurrently without losing events', async () => {
    const prefix = uid('par');
    const batches = Array.from({ length: 8 }, (_, i) =>
      Array.from({ length: 10 }, () => ({ event_id: eventId(), external_id: `${prefix}-${i % 2}`, model: 'm', cost: 0.001, input_tokens: 2, output_tokens: 3 })),
    );
    const results = await Promise.all(batches.map((events) => raw<IngestResponse>('POST', '/v2/usage', { body: { events } })));
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(200));
    for (const ext of [`${prefix}-0`, `${prefix}-1`]) {
      const m = (await sdk().identities.retrieve({ id: ext, includeMetrics: true })).identity.metrics;
      expect(m?.totalRequests).toBe(40);
      expect(m?.totalTokens).toBe(200);
      expect(m?.totalCost).toBeCloseTo(0.04, 9);
    }
  });
});

describe('budget rules on update', () => {
  it('allows a past expiry on an inactive budget, but not re-activating it', async () => {
    const { budgetId } = await monthlyBudget();
    const off = await raw<{ budget: Json }>('PATCH', `/v2/budgets/${budgetId}`, { body: { is_active: false, expires_at: '2020-01-01T00:00:00Z' } });
    expect(off.status).toBe(200);
    expect(off.body.budget).toMatchObject({ isActive: false, expiresAt: '2020-01-01T00:00:00.000Z' });
    const on = await raw<ErrorBody>('PATCH', `/v2/budgets/${budgetId}`, { body: { is_active: true } });
    expect(on.status).toBe(422);
    expect(on.body.error.details.map((d) => d.field)).toEqual(['expires_at']);
  });

  it('an empty PATCH answers 200 with the unchanged budget', async () => {
    const { budgetId } = await monthlyBudget();
    const before = (await sdk().budgets.get({ budgetId })).budget;
    const after = (await sdk().budgets.update({ budgetId, updateBudgetRequest: {} })).budget;
    expect(after.limits).toEqual(before.limits);
    expect(after.updatedAt.toISOString()).toBe(before.updatedAt.toISOString());
  });
});

async function monthlyBudget() {
  const orq = sdk();
  const externalId = uid('mb');
  await orq.identities.create({ externalId });
  const { budget } = await orq.budgets.create({ scope: { identity: { identityExternalId: externalId } }, limits: { period: 'BUDGET_PERIOD_MONTHLY', amount: 100 } });
  return { budgetId: budget.budgetId, externalId };
}
