// POST /v2/usage: ingest, idempotency, pricing, auto-created identities and 30-day metrics (read through the SDK).
import { describe, expect, it } from 'vitest';
import { apiKey, at, baseUrl, eventId, ingest, raw, sdk, uid, type ErrorBody, type Json, type UsageEvent } from './support/api';

// openai gpt-4o in @pydantic/genai-prices: $2.50 per million input tokens, $10 per million output tokens.
const gpt4oCost = (input: number, output: number) => (input * 2.5 + output * 10) / 1_000_000;

const NOW = '2031-05-20T12:00:00.000Z';
const daysBefore = (iso: string, days: number, hours = 0) => new Date(Date.parse(iso) - days * 86_400_000 - hours * 3_600_000).toISOString();

describe('usage ingest', () => {
  it('refuses a body that is not UTF-8, or not JSON, with a 400 naming the body, and writes nothing', async () => {
    // The server's ingest worker parses POST /v2/usage's bodies (lib/api/json-body.ts): the same answers as every route.
    const key = eventId();
    const valid = new TextEncoder().encode(JSON.stringify({ events: [{ event_id: key, external_id: uid('utf'), model: 'gpt-4o', input_tokens: 1 }] }));
    const badUtf8 = Uint8Array.from([...valid.subarray(0, valid.length - 3), 0xff, 0x5d, 0x7d]);
    const post = async (body: BodyInit) => {
      const res = await fetch(`${baseUrl()}/v2/usage`, { method: 'POST', headers: { authorization: `Bearer ${apiKey()}`, 'content-type': 'application/json' }, body });
      return { status: res.status, body: (await res.json()) as ErrorBody & { accepted?: number } };
    };
    for (const [body, issue] of [
      [badUtf8, 'is not valid UTF-8'],
      ['{"events": [', 'is not valid JSON'],
    ] as const) {
      const res = await post(body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_json');
      expect(res.body.error.details).toEqual([{ field: '(body)', issue }]);
    }
    // The same event, well-formed: new, so nothing of the refused bodies was written.
    const accepted = await post(valid);
    expect([accepted.status, accepted.body.accepted]).toEqual([200, 1]);
  });

  it('accepts a batch, prices known models, uses given costs and reports each event', async () => {
    const externalId = uid('ing');
    await sdk().identities.create({ externalId });
    const [e1, e2, e3] = [eventId(), eventId(), eventId()];
    const res = await ingest(
      [
        { event_id: e1, external_id: externalId, provider: 'openai', model: 'gpt-4o', input_tokens: 1000, output_tokens: 500, timestamp: daysBefore(NOW, 0, 1) },
        { event_id: e2, external_id: externalId, model: 'whatever', input_tokens: 10, output_tokens: 5, cost: 0.0123, timestamp: daysBefore(NOW, 0, 1) },
        { request_id: e3, external_id: externalId, provider: 'openai', model: 'gpt-4o', input_tokens: 0, output_tokens: 0, status: 'error', error_code: 'rate_limit', timestamp: daysBefore(NOW, 0, 1) },
      ],
      NOW,
    );
    expect(res.object).toBe('usage.ingest');
    expect(res.accepted).toBe(3);
    expect(res.duplicates).toBe(0);
    expect(res.data).toHaveLength(3);
    const identity = (await sdk().identities.retrieve({ id: externalId })).identity;
    for (const item of res.data) {
      expect(item.identity_id).toBe(identity.id);
      expect(item.external_id).toBe(externalId);
      expect(item.status).toBe('created');
      expect(item.id).toEqual(expect.any(String));
    }
    expect(res.data.map((d) => d.event_id)).toEqual([e1, e2, e3]);
    expect(res.data[0].priced).toBe(true);
    expect(res.data[0].cost).toBeCloseTo(gpt4oCost(1000, 500), 9);
    expect(res.data[1].priced).toBe(true);
    expect(res.data[1].cost).toBeCloseTo(0.0123, 9);
    expect(res.data[2].cost ?? 0).toBe(0);
  });

  it('computes exact 30-day metrics: cost, tokens, requests and error rate', async () => {
    const orq = sdk();
    const externalId = uid('met');
    const tag = uid('mettag');
    await orq.identities.create({ externalId, tags: [tag] });
    const events: UsageEvent[] = [
      { event_id: eventId(), external_id: externalId, provider: 'openai', model: 'gpt-4o', input_tokens: 1000, output_tokens: 500, timestamp: daysBefore(NOW, 0, 2) },
      { event_id: eventId(), external_id: externalId, model: 'custom-model', input_tokens: 100, output_tokens: 50, cost: 0.01, timestamp: daysBefore(NOW, 10) },
      { event_id: eventId(), external_id: externalId, model: 'custom-model', input_tokens: 20, output_tokens: 0, cost: 0.002, status: 'error', error_code: 'timeout', timestamp: daysBefore(NOW, 20) },
      // Outside the 30-day window: never counted.
      { event_id: eventId(), external_id: externalId, model: 'custom-model', input_tokens: 999, output_tokens: 999, cost: 5, timestamp: daysBefore(NOW, 45) },
    ];
    await ingest(events, NOW);
    const expectedCost = gpt4oCost(1000, 500) + 0.01 + 0.002; // 0.0195

    const retrieved = await orq.identities.retrieve({ id: externalId, includeMetrics: true }, at(NOW));
    expect(retrieved.identity.metrics).toBeDefined();
    const m = retrieved.identity.metrics!;
    expect(m.totalCost).toBeCloseTo(expectedCost, 9);
    expect(m.totalTokens).toBe(1500 + 150 + 20);
    expect(m.totalRequests).toBe(3);
    expect(m.errorRate).toBeCloseTo(1 / 3, 12);

    // Same numbers on the list, snake_case on the wire.
    const list = await orq.identities.list({ filterByTags: [tag], includeMetrics: true }, at(NOW));
    expect(list.data).toHaveLength(1);
    expect(list.data[0].metrics).toEqual(m);
    const wire = await raw<{ data: Json[] }>('GET', `/v2/identities?filter_by.tags=${tag}&include_metrics=true`, { now: NOW });
    expect(wire.body.data[0].metrics).toEqual({
      total_cost: m.totalCost,
      total_tokens: m.totalTokens,
      total_requests: m.totalRequests,
      error_rate: m.errorRate,
    });

    // Forty days later every event has left the window.
    const later = await orq.identities.retrieve({ id: externalId, includeMetrics: true }, at(daysBefore(NOW, -40)));
    expect(later.identity.metrics).toEqual({ totalCost: 0, totalTokens: 0, totalRequests: 0, errorRate: 0 });

    // Without include_metrics there is no metrics key.
    const plain = await raw<{ identity: Json }>('GET', `/v2/identities/${encodeURIComponent(externalId)}`, { now: NOW });
    expect(plain.body.identity).not.toHaveProperty('metrics');
  });

  it('gives zero metrics (not missing) to an identity without usage', async () => {
    const orq = sdk();
    const externalId = uid('zero');
    await orq.identities.create({ externalId });
    const got = await orq.identities.retrieve({ id: externalId, includeMetrics: true });
    expect(got.identity.metrics).toEqual({ totalCost: 0, totalTokens: 0, totalRequests: 0, errorRate: 0 });
  });

  it('never double-counts a retried batch', async () => {
    const orq = sdk();
    const externalId = uid('retry');
    const batch: UsageEvent[] = [
      { event_id: eventId(), external_id: externalId, model: 'm', input_tokens: 10, output_tokens: 10, cost: 0.5, timestamp: daysBefore(NOW, 1) },
      { request_id: eventId('req'), external_id: externalId, model: 'm', input_tokens: 5, output_tokens: 5, cost: 0.25, timestamp: daysBefore(NOW, 1) },
    ];
    const first = await ingest(batch, NOW);
    expect(first).toMatchObject({ accepted: 2, duplicates: 0 });
    const before = (await orq.identities.retrieve({ id: externalId, includeMetrics: true }, at(NOW))).identity.metrics;
    expect(before).toEqual({ totalCost: 0.75, totalTokens: 30, totalRequests: 2, errorRate: 0 });

    const second = await ingest(batch, NOW);
    expect(second.accepted).toBe(0);
    expect(second.duplicates).toBe(2);
    expect(second.data.map((d) => d.status)).toEqual(['duplicate', 'duplicate']);
    // A duplicate points at the event that was stored the first time.
    expect(second.data.map((d) => d.id)).toEqual(first.data.map((d) => d.id));

    // A batch mixing a new event and an old one counts only the new one.
    const mixed = await ingest(
      [batch[0], { event_id: eventId(), external_id: externalId, model: 'm', input_tokens: 1, output_tokens: 1, cost: 0.125, timestamp: daysBefore(NOW, 1) }],
      NOW,
    );
    expect(mixed).toMatchObject({ accepted: 1, duplicates: 1 });
    expect(mixed.data.map((d) => d.status)).toEqual(['duplicate', 'created']);

    const after = (await orq.identities.retrieve({ id: externalId, includeMetrics: true }, at(NOW))).identity.metrics;
    expect(after).toEqual({ totalCost: 0.875, totalTokens: 32, totalRequests: 3, errorRate: 0 });
  });

  it('stores an unknown model without a cost as unpriced: priced false, counted as 0 cost', async () => {
    const orq = sdk();
    const externalId = uid('unpriced');
    const res = await ingest(
      [
        { event_id: eventId(), external_id: externalId, provider: 'acme', model: 'no-such-model-9000', input_tokens: 1234, output_tokens: 66, timestamp: daysBefore(NOW, 1) },
        { event_id: eventId(), external_id: externalId, model: 'gpt-4o', provider: 'openai', input_tokens: 2000, output_tokens: 0, timestamp: daysBefore(NOW, 1) },
      ],
      NOW,
    );
    expect(res.data[0].priced).toBe(false);
    expect(res.data[0]).not.toHaveProperty('cost');
    expect(res.data[1].priced).toBe(true);
    expect(res.data[1].cost).toBeCloseTo(0.005, 9);
    const metrics = (await orq.identities.retrieve({ id: externalId, includeMetrics: true }, at(NOW))).identity.metrics;
    expect(metrics?.totalCost).toBeCloseTo(0.005, 9);
    expect(metrics?.totalTokens).toBe(1300 + 2000);
    expect(metrics?.totalRequests).toBe(2);
  });

  it('auto-creates an unknown external id with source "usage", and can address an identity by identity_id', async () => {
    const externalId = uid('auto');
    const res = await ingest([{ event_id: eventId(), external_id: externalId, display_name: 'Auto Created', model: 'm', cost: 0.01, input_tokens: 1, output_tokens: 1 }]);
    expect(res.accepted).toBe(1);
    const identityId = res.data[0].identity_id;
    const got = await raw<{ identity: Json }>('GET', `/v2/identities/${encodeURIComponent(externalId)}`);
    expect(got.status).toBe(200);
    expect(got.body.identity).toMatchObject({ _id: identityId, external_id: externalId, source: 'usage', display_name: 'Auto Created', tags: [], metadata: {} });
    // The SDK parses an auto-created identity as well.
    expect((await sdk().identities.retrieve({ id: identityId })).identity.externalId).toBe(externalId);

    const byId = await ingest([{ event_id: eventId(), identity_id: identityId, model: 'm', cost: 0.02, input_tokens: 1, output_tokens: 1 }]);
    expect(byId.data[0]).toMatchObject({ identity_id: identityId, external_id: externalId, status: 'created' });
    const metrics = (await sdk().identities.retrieve({ id: identityId, includeMetrics: true })).identity.metrics;
    expect(metrics?.totalRequests).toBe(2);
    expect(metrics?.totalCost).toBeCloseTo(0.03, 9);
  });

  it('creates one identity when a batch names the same new external id twice', async () => {
    const externalId = uid('twice');
    const res = await ingest([
      { event_id: eventId(), external_id: externalId, model: 'm', cost: 0.01 },
      { event_id: eventId(), external_id: externalId, model: 'm', cost: 0.01 },
    ]);
    expect(res.accepted).toBe(2);
    expect(res.data[0].identity_id).toBe(res.data[1].identity_id);
    const list = await sdk().identities.list({ search: externalId, limit: 50 });
    expect(list.data).toHaveLength(1);
  });

  it('defaults the event timestamp to the (pinned) request time', async () => {
    const orq = sdk();
    const externalId = uid('ts');
    await ingest([{ event_id: eventId(), external_id: externalId, model: 'm', cost: 0.04, input_tokens: 3, output_tokens: 4 }], '2031-02-10T08:00:00Z');
    const sameDay = (await orq.identities.retrieve({ id: externalId, includeMetrics: true }, at('2031-02-10T09:00:00Z'))).identity.metrics;
    expect(sameDay).toMatchObject({ totalRequests: 1, totalTokens: 7 });
    expect(sameDay?.totalCost).toBeCloseTo(0.04, 9);
    const monthsLater = (await orq.identities.retrieve({ id: externalId, includeMetrics: true }, at('2031-06-10T09:00:00Z'))).identity.metrics;
    expect(monthsLater?.totalRequests).toBe(0);
  });

  it('is atomic: one invalid event rejects the whole batch and writes nothing', async () => {
    const goodExternal = uid('atom');
    const res = await raw<ErrorBody>('POST', '/v2/usage', {
      body: {
        events: [
          { event_id: eventId(), external_id: goodExternal, model: 'm', cost: 1 },
          { event_id: eventId(), external_id: goodExternal, model: 'm', input_tokens: -5 },
        ],
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
    expect(res.body.error.details.map((d) => d.field)).toContain('events.1.input_tokens');
    const got = await raw('GET', `/v2/identities/${encodeURIComponent(goodExternal)}`);
    expect(got.status).toBe(404);
  });

  it('refuses a field it does not know (a misspelt one would be dropped and the call counted without it), writing nothing', async () => {
    const externalId = uid('typo');
    const cases: [string, unknown, string][] = [
      ['/v2/usage', { events: [{ event_id: eventId(), external_id: externalId, model: 'gpt-4o', input_tokens: 5, output_token: 5 }] }, 'events.0.output_token'],
      ['/v2/usage', { events: [{ event_id: eventId(), external_id: externalId, model: 'gpt-4o', reservationId: 'res_x' }] }, 'events.0.reservationId'],
      ['/v2/usage/check', { external_id: externalId, reserve: { cost: 0.5, ttl_seconds: 5 } }, 'reserve.ttl_seconds'],
    ];
    for (const [path, body, field] of cases) {
      const res = await raw<ErrorBody>('POST', path, { body });
      expect(res.status, path).toBe(400);
      expect(res.body.error.details).toEqual([{ field, issue: 'is not a known field' }]);
    }
    const settings = await raw<ErrorBody>('PATCH', '/v2/settings', { body: { allow_unpriced: true } });
    expect(settings.status).toBe(400);
    expect(settings.body.error.details).toEqual([{ field: 'allow_unpriced', issue: 'is not a known field' }]);
    expect((await raw('GET', `/v2/identities/${encodeURIComponent(externalId)}`)).status).toBe(404);
  });

  it('is atomic when a later event names an unknown identity_id', async () => {
    const goodExternal = uid('atom2');
    const res = await raw<ErrorBody>('POST', '/v2/usage', {
      body: {
        events: [
          { event_id: eventId(), external_id: goodExternal, model: 'm', cost: 1 },
          { event_id: eventId(), identity_id: '01ARZ3NDEKTSV4RRFFQ69G5FAV', model: 'm', cost: 1 },
        ],
      },
    });
    expect([404, 422, 400]).toContain(res.status);
    expect(res.body.error.details.map((d) => d.field)).toContain('events.1.identity_id');
    expect((await raw('GET', `/v2/identities/${encodeURIComponent(goodExternal)}`)).status).toBe(404);
  });

  it('prices and counts the next batch with a price and a budget created after earlier batches of the same identity', async () => {
    // The ingest worker remembers each identity's budgets (none, here) and the workspace's prices between batches;
    // a change made meanwhile must reach the very next batch.
    const externalId = uid('cache');
    const model = uid('model');
    const day = '2031-07-01';
    const send = (event: UsageEvent) => ingest([{ event_id: eventId(), external_id: externalId, timestamp: `${day}T09:00:00Z`, ...event }], `${day}T12:00:00.000Z`);
    const before = await send({ provider: 'openai', model, input_tokens: 1_000_000, output_tokens: 0 });
    expect(before.data[0]).toMatchObject({ status: 'created', priced: false });
    const price = await raw('POST', '/v2/prices', { body: { provider: 'openai', model, input_per_million: 3, output_per_million: 6 } });
    expect(price.status).toBe(201);
    const priced = await send({ provider: 'openai', model, input_tokens: 1_000_000, output_tokens: 0 });
    expect(priced.data[0]).toMatchObject({ status: 'created', priced: true, cost: 3 });
    const { budget } = await sdk().budgets.create({ scope: { identity: { identityExternalId: externalId } }, limits: { period: 'BUDGET_PERIOD_DAILY', amount: 100 } });
    const consumed = async () => {
      const res = await raw<{ budget?: { budget_id: string; consumed: number } }>('POST', '/v2/usage/check', { body: { external_id: externalId }, now: `${day}T12:00:00.000Z` });
      expect(res.body.budget?.budget_id).toBe(budget.budgetId);
      return res.body.budget?.consumed as number;
    };
    const start = await consumed();
    await send({ cost: 0.25 });
    expect((await consumed()) - start).toBeCloseTo(0.25, 10);
  });

  it('creates a new identity for an external id whose identity was deleted after earlier batches named it', async () => {
    // The ingest worker remembers which identity an external id names; a deletion must reach the very next batch.
    const externalId = uid('gone');
    const send = () => ingest([{ event_id: eventId(), external_id: externalId, model: 'gpt-4o', input_tokens: 10, output_tokens: 5, timestamp: NOW }], NOW);
    const first = (await send()).data[0].identity_id;
    expect((await send()).data[0].identity_id).toBe(first);
    expect((await raw('DELETE', `/v2/identities/${externalId}`)).status).toBe(200);
    const again = await send();
    expect(again.data[0]).toMatchObject({ status: 'created', external_id: externalId });
    expect(again.data[0].identity_id).not.toBe(first);
    expect((await sdk().identities.retrieve({ id: externalId })).identity.id).toBe(again.data[0].identity_id);
  });
});
