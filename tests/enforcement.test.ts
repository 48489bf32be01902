// Budgets that hold: reserve → settle admission under concurrency, on every ending of a call, for
// every budget scope. Runs its own servers (workspace-wide budgets would block the shared one) and a
// fake provider whose usage matches Tollbooth's own token count, so an estimate equals the real cost.
// On PostgreSQL, a second server process shares the database and takes half the calls.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { startServer, type TestServer } from './support/server';
import { FAKE_OPENAI_KEY, startFakeOpenAi, type FakeOpenAi } from './support/fake-openai';
import { eventually, queryDb } from './support/db';

const onPostgres = Boolean(process.env.TOLLBOOTH_TEST_POSTGRES_URL);

let fake: FakeOpenAi;
let servers: TestServer[] = [];
/** Cost of one standard call (7 prompt + 1,000 completion gpt-4o tokens), measured once, in USD. */
let C = 0;

type Json = Record<string, unknown>;
type Reply = { status: number; body: Json; headers: Headers };

const uid = (prefix: string) => `${prefix}-${randomBytes(5).toString('hex')}`;
const env = () => ({ TOLLBOOTH_PROVIDER_OPENAI_BASE_URL: fake.url, TOLLBOOTH_PROVIDER_OPENAI_API_KEY: FAKE_OPENAI_KEY, TOLLBOOTH_RESERVATION_TTL_SECONDS: '3' });

async function api(method: string, path: string, body?: unknown, opts: { server?: TestServer; now?: string } = {}): Promise<Reply> {
  const server = opts.server ?? servers[0];
  const res = await fetch(`${server.baseUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${server.apiKey}`,
      'content-type': 'application/json',
      ...(opts.now ? { 'x-tollbooth-now': opts.now } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Json) : {}, headers: res.headers };
}

type CallOptions = { stream?: boolean; content?: string; model?: string; now?: string; server?: TestServer; maxTokens?: number };

/** One gateway call for `externalId`; a streamed reply is read to its end. */
async function chat(externalId: string, opts: CallOptions = {}): Promise<Reply> {
  const server = opts.server ?? servers[0];
  const res = await fetch(`${server.baseUrl}/v2/router/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.apiKey}`, 'content-type': 'application/json', ...(opts.now ? { 'x-tollbooth-now': opts.now } : {}) },
    body: JSON.stringify({
      model: opts.model ?? 'openai/gpt-4o',
      messages: [{ role: 'user', content: opts.content ?? 'hi' }],
      max_tokens: opts.maxTokens ?? 1000,
      user: externalId,
      ...(opts.stream ? { stream: true } : {}),
      orq: { identity: { id: externalId } },
    }),
  });
  const text = await res.text();
  let body: Json = {};
  try {
    body = JSON.parse(text) as Json;
  } catch {
    body = { text };
  }
  return { status: res.status, body, headers: res.headers };
}

/** Calls `n` at once, spread over every server; answers in order. */
const concurrently = (n: number, call: (server: TestServer) => Promise<Reply>) => Promise.all(Array.from({ length: n }, (_, i) => call(servers[i % servers.length])));

const upstreamCallsFor = (externalId: string) => fake.requests().filter((r) => r.body.user === externalId).length;

type Usage = { amount: number; reserved: number; requests: number; tokens: number; inFlight: number };
const usageOf = async (budgetId: string): Promise<Usage> => ((await api('GET', `/v2/budgets/${budgetId}`)).body.budget as { usage: Usage }).usage;
const settledUsage = (budgetId: string, requests: number) => eventually(() => usageOf(budgetId), (u) => u.requests === requests && u.reserved === 0 && u.inFlight === 0);

async function createBudget(body: Json): Promise<string> {
  const res = await api('POST', '/v2/budgets', body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return (res.body.budget as { budgetId: string }).budgetId;
}

// Budgets read on the real clock are yearly, so a run that crosses midnight reads the window it spent in.
async function identityWithBudget(amountUsd: number, extra: Json = {}): Promise<{ externalId: string; budgetId: string }> {
  const externalId = uid('enf');
  expect((await api('POST', '/v2/identities', { external_id: externalId })).status).toBe(201);
  const budgetId = await createBudget({ scope: { identity: { identity_external_id: externalId } }, limits: { period: 'BUDGET_PERIOD_YEARLY', amount: amountUsd }, ...extra });
  return { externalId, budgetId };
}

const served = (replies: Reply[]) => replies.filter((r) => r.status === 200).length;
const round6 = (usd: number) => Math.round(usd * 1e6) / 1e6;

beforeAll(async () => {
  fake = await startFakeOpenAi({ usage: 'realistic' });
  const first = await startServer({ env: env() });
  servers = [first];
  if (onPostgres) servers.push(await startServer({ env: env(), databaseUrl: first.databaseUrl, apiKey: first.apiKey }));
  // The price of one standard call, as Tollbooth charges it.
  const probe = uid('probe');
  expect((await chat(probe)).status).toBe(200);
  const metrics = await eventually(
    async () => ((await api('GET', `/v2/identities/${probe}?include_metrics=true`)).body.identity as { metrics: { total_cost: number } }).metrics,
    (m) => m.total_cost > 0,
  );
  C = metrics.total_cost;
  expect(C).toBeCloseTo(0.0100175, 5);
}, 180_000);

afterAll(async () => {
  for (const server of servers.reverse()) await server.stop();
  await fake?.close();
});

describe('reserve → settle under concurrency', () => {
  for (const { stream, latencyMs } of [
    { stream: false, latencyMs: 30 },
    { stream: true, latencyMs: 30 },
    { stream: false, latencyMs: 500 },
    { stream: true, latencyMs: 500 },
  ]) {
    it(`100 concurrent ${stream ? 'streamed' : 'JSON'} calls at ${latencyMs} ms: spend stays within one call of the budget; refused calls never reach the provider`, async () => {
      fake.setLatency(latencyMs);
      const { externalId, budgetId } = await identityWithBudget(round6(4 * C));
      const replies = await concurrently(100, (server) => chat(externalId, { stream, server }));
      fake.setLatency(0);
      const ok = served(replies);
      const usage = await settledUsage(budgetId, ok);
      expect(usage.amount).toBeLessThanOrEqual(round6(4 * C) + C);
      // The estimate equals the real cost here, so the budget admits exactly what it has room for.
      expect(ok).toBe(4);
      expect(upstreamCallsFor(externalId)).toBe(ok);
      const refused = replies.find((r) => r.status === 429) as Reply;
      expect(refused.body.error).toMatchObject({ code: 'budget_exceeded', budget: { budget_id: budgetId, scope: { kind: 'identity', target_id: externalId } } });
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(refused.headers.get('x-ratelimit-remaining')).toBe('0');
      expect(Number(refused.headers.get('x-ratelimit-limit'))).toBeCloseTo(round6(4 * C), 6);
      expect(Number(refused.headers.get('x-ratelimit-reset'))).toBeGreaterThan(0);
    });
  }

  it('serves sequential calls until spend reaches the limit, not before', async () => {
    const { externalId, budgetId } = await identityWithBudget(round6(3.5 * C));
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await chat(externalId, { server: servers[i % servers.length] })).status);
    // After 3 calls 3C < 3.5C: the 4th is served and passes the limit; then every call is refused.
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
    expect((await settledUsage(budgetId, 4)).amount).toBeCloseTo(4 * C, 6);
  });

  for (const stream of [false, true]) {
    it(`decides a call on the real spend of the ${stream ? 'streamed ' : ''}call before it when that one cost more than it held`, async () => {
      // The provider reports twice the max_tokens asked for: each call costs ~2C against a hold of ~C. One server: another
      // instance sees an ended call's real cost once it is written (at once, but not before its answer).
      const { externalId, budgetId } = await identityWithBudget(round6(3.5 * C));
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await chat(externalId, { content: 'overrun', stream })).status);
      // 1st: 0 < 3.5C, served (~2C); 2nd: ~2C < 3.5C, served (~4C); then refused. On the holds alone (C each) the 3rd
      // and 4th would have been served too.
      expect(statuses).toEqual([200, 200, 429, 429]);
      const usage = await settledUsage(budgetId, 2);
      expect(usage.amount).toBeGreaterThan(3.9 * C);
      expect(usage.amount).toBeLessThan(4.1 * C);
    });
  }

  it('counts requests per minute when calls are admitted, in flight included', async () => {
    const externalId = uid('rpm');
    await api('POST', '/v2/identities', { external_id: externalId });
    await createBudget({ scope: { identity: { identity_external_id: externalId } }, rate_limit: { requests_per_minute: 5 } });
    fake.setLatency(200);
    const now = '2031-03-03T10:00:00.000Z';
    const replies = await concurrently(30, (server) => chat(externalId, { server, now }));
    fake.setLatency(0);
    expect(served(replies)).toBe(5);
    const limited = replies.find((r) => r.status === 429) as Reply;
    expect(limited.body.error).toMatchObject({ code: 'rate_limited', budget: { requests_per_minute: 5 } });
    expect(Number(limited.headers.get('retry-after'))).toBe(12);
    // One call's worth of the minute later (60 s / 5), one more call is admitted.
    expect((await chat(externalId, { now: '2031-03-03T10:00:12.000Z' })).status).toBe(200);
    expect((await chat(externalId, { now: '2031-03-03T10:00:12.000Z' })).status).toBe(429);
  });

  it('a changed requests-per-minute limit applies from the next call, and a reset re-opens it', async () => {
    const externalId = uid('rpm');
    await api('POST', '/v2/identities', { external_id: externalId });
    const budgetId = await createBudget({ scope: { identity: { identity_external_id: externalId } }, rate_limit: { requests_per_minute: 2 } });
    const now = '2031-04-04T10:00:00.000Z';
    const statuses = async (n: number, at = now) => {
      const out: number[] = [];
      for (let i = 0; i < n; i++) out.push((await chat(externalId, { now: at, server: servers.at(-1) })).status);
      return out;
    };
    expect(await statuses(3)).toEqual([200, 200, 429]);
    const setRpm = (rpm: number) => api('PATCH', `/v2/budgets/${budgetId}`, { rate_limit: { requests_per_minute: rpm } }, { now });
    expect((await setRpm(100)).status).toBe(200);
    expect(await statuses(2)).toEqual([200, 200]);
    // Lowered below what the minute has admitted: as if the new limit were used up, one step (60 s at 1 a minute).
    expect((await setRpm(1)).status).toBe(200);
    const limited = await chat(externalId, { now });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('60');
    expect(await statuses(1, '2031-04-04T10:01:00.000Z')).toEqual([200]);
    expect((await api('POST', `/v2/budgets/${budgetId}/reset-consumption`, {}, { now })).status).toBe(200);
    expect(await statuses(2, '2031-04-04T10:01:00.000Z')).toEqual([200, 429]);
  });
});

describe('settling every ending', () => {
  it('charges a stream the client abandons mid-way for what was produced', async () => {
    const { externalId, budgetId } = await identityWithBudget(1);
    const controller = new AbortController();
    const res = await fetch(`${servers[0].baseUrl}/v2/router/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${servers[0].apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'slow-stream' }], max_tokens: 1000, stream: true, orq: { identity: { id: externalId } } }),
      signal: controller.signal,
    });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    let seen = '';
    while (!seen.includes('word2')) seen += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    const usage = await settledUsage(budgetId, 1);
    // Charged: the prompt and the streamed words, counted by Tollbooth (never $0, never the whole estimate).
    expect(usage.amount).toBeGreaterThan(0);
    expect(usage.amount).toBeLessThan(C / 10);
    expect(usage.tokens).toBeGreaterThan(8);
  });

  it('counts a call whose identity is deleted while it is in flight toward the budgets left, and gives its hold back', async () => {
    const externalId = uid('deleted');
    const model = `acme-${randomBytes(3).toString('hex')}`;
    expect((await api('POST', '/v2/prices', { provider: 'openai', model, input_per_million: 1, output_per_million: 2 })).status).toBe(201);
    const budgetId = await createBudget({ scope: { model: { model_id: `openai/${model}` } }, limits: { period: 'BUDGET_PERIOD_YEARLY', amount: 1 } });
    const call = chat(externalId, { model: `openai/${model}`, content: 'slow-stream', stream: true });
    await eventually(async () => upstreamCallsFor(externalId), (n) => n === 1);
    expect((await api('DELETE', `/v2/identities/${externalId}`)).status).toBe(200);
    expect((await call).status).toBe(200);
    // 8 prompt tokens at $1/M + 1,000 completion tokens at $2/M, on the model's budget; not stored, as the identity's usage
    // went with it, and the identity is not made again by it.
    expect((await settledUsage(budgetId, 1)).amount).toBeCloseTo(0.002008, 6);
    expect((await api('GET', `/v2/identities/${externalId}`)).status).toBe(404);
    expect((await api('DELETE', `/v2/budgets/${budgetId}`)).status).toBe(200);
  });

  it('charges calls in flight at the price they were admitted under, though it is deleted meanwhile', async () => {
    const { externalId, budgetId } = await identityWithBudget(1);
    const model = `acme-${randomBytes(3).toString('hex')}`;
    const price = await api('POST', '/v2/prices', { provider: 'openai', model, input_per_million: 1, output_per_million: 2 });
    expect(price.status).toBe(201);
    const calls = Array.from({ length: 3 }, () => chat(externalId, { model: `openai/${model}`, content: 'slow-stream', stream: true }));
    await eventually(async () => upstreamCallsFor(externalId), (n) => n === 3);
    expect((await api('DELETE', `/v2/prices/${(price.body.price as { price_id: string }).price_id}`)).status).toBe(200);
    for (const reply of await Promise.all(calls)) expect(reply.status).toBe(200);
    // Each: 8 prompt tokens at $1/M + 1,000 completion tokens at $2/M, as admitted; the next call is refused as unpriced.
    expect((await settledUsage(budgetId, 3)).amount).toBeCloseTo(3 * 0.002008, 6);
    expect((await chat(externalId, { model: `openai/${model}` })).status).toBe(422);
  });

  it('charges the prompt of a client that leaves before the provider answers (the provider has it), counted and marked estimated', async () => {
    const { externalId, budgetId } = await identityWithBudget(1);
    fake.setLatency(1_500);
    try {
      const controller = new AbortController();
      const call = fetch(`${servers[0].baseUrl}/v2/router/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${servers[0].apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'hi' }], max_tokens: 1000, user: externalId, orq: { identity: { id: externalId } } }),
        signal: controller.signal,
      }).catch((err: unknown) => err);
      // Admitted and sent: the provider has it and the budget holds its estimate.
      await eventually(() => usageOf(budgetId), (u) => u.inFlight === 1 && u.reserved > 0 && upstreamCallsFor(externalId) === 1);
      controller.abort();
      await call;
      // Settled at once (long before the provider would have answered, and before any expiry): the prompt's 7 tokens.
      const usage = await eventually(() => usageOf(budgetId), (u) => u.inFlight === 0 && u.requests === 1, 1_000);
      expect(usage).toMatchObject({ reserved: 0, requests: 1, tokens: 7 });
      expect(usage.amount).toBeGreaterThan(0);
      expect(usage.amount).toBeLessThan(C / 100);
      const rows = await queryDb<{ status: string; errorCode: string | null; estimated: boolean | number }>(
        servers[0].databaseUrl,
        'SELECT e."status", e."errorCode", e."estimated" FROM "UsageEvent" e JOIN "Identity" i ON i."id" = e."identityId" WHERE i."externalId" = $1',
        [externalId],
      );
      expect(rows.map((r) => ({ ...r, estimated: Boolean(r.estimated) }))).toEqual([{ status: 'error', errorCode: 'client_disconnected', estimated: true }]);
    } finally {
      fake.setLatency(0);
    }
  });

  it('answers 504 when the provider does not answer in time, and records the call as an upstream timeout', async () => {
    const impatient = await startServer({ env: { ...env(), TOLLBOOTH_UPSTREAM_TIMEOUT_MS: '300' } });
    fake.setLatency(2_000);
    try {
      const externalId = uid('enf');
      const call = (body: Json) => fetch(`${impatient.baseUrl}${body.path as string}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${impatient.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(body.json),
      });
      expect((await call({ path: '/v2/identities', json: { external_id: externalId } })).status).toBe(201);
      const started = Date.now();
      const res = await call({ path: '/v2/router/chat/completions', json: { model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'hi' }], orq: { identity: { id: externalId } } } });
      expect(res.status).toBe(504);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('gateway_timeout');
      expect(Date.now() - started).toBeLessThan(1_500);
      // A stream that stalls after it began is cut at the same timeout.
      fake.setLatency(0);
      const stalled = await call({ path: '/v2/router/chat/completions', json: { model: 'openai/gpt-4o', stream: true, messages: [{ role: 'user', content: 'hang' }], orq: { identity: { id: externalId } } } });
      expect(stalled.status).toBe(200);
      await stalled.text().catch(() => '');
      const rows = await eventually(
        () =>
          queryDb<{ status: string; errorCode: string | null; inputTokens: number; estimated: boolean | number }>(
            impatient.databaseUrl,
            'SELECT e."status", e."errorCode", e."inputTokens", e."estimated" FROM "UsageEvent" e JOIN "Identity" i ON i."id" = e."identityId" WHERE i."externalId" = $1 ORDER BY e."inputTokens"',
            [externalId],
          ),
        (r) => r.length === 2,
      );
      // The provider had the prompt (7 tokens): charged as counted by Tollbooth, marked estimated.
      expect(rows.map((r) => ({ ...r, estimated: Boolean(r.estimated) }))).toEqual([
        { status: 'error', errorCode: 'upstream_timeout', inputTokens: 7, estimated: true },
        { status: 'error', errorCode: 'upstream_timeout', inputTokens: 7, estimated: true },
      ]);
    } finally {
      fake.setLatency(0);
      await impatient.stop();
    }
  });

  it('counts a reply without usage with the tokenizer and marks it estimated', async () => {
    const { externalId, budgetId } = await identityWithBudget(1);
    expect((await chat(externalId, { content: 'no-usage' })).status).toBe(200);
    const usage = await settledUsage(budgetId, 1);
    expect(usage.amount).toBeGreaterThan(0);
    const rows = await queryDb<{ estimated: number | boolean; costMicros: number | string }>(
      servers[0].databaseUrl,
      'SELECT e."estimated", e."costMicros" FROM "UsageEvent" e JOIN "Identity" i ON i."id" = e."identityId" WHERE i."externalId" = $1',
      [externalId],
    );
    expect(rows).toHaveLength(1);
    expect(Boolean(rows[0].estimated)).toBe(true);
    expect(Number(rows[0].costMicros)).toBeGreaterThan(0);
  });

  it('counts the prompt of a reply without usage under no budget too, as under one (streamed or not)', async () => {
    // Under a budget the prompt is counted for the call's estimate; under none it is counted only when the reply
    // reported no usage, when the call's usage is recorded. Either way the event has the same input tokens.
    const budgeted = (await identityWithBudget(1)).externalId;
    const free = uid('enf');
    expect((await api('POST', '/v2/identities', { external_id: free })).status).toBe(201);
    for (const externalId of [budgeted, free]) {
      expect((await chat(externalId, { content: 'no-usage' })).status).toBe(200);
      expect((await chat(externalId, { content: 'no-usage', stream: true })).status).toBe(200);
    }
    type Row = { externalId: string; inputTokens: number | string; outputTokens: number | string; estimated: number | boolean };
    const rows = await eventually(
      () =>
        queryDb<Row>(
          servers[0].databaseUrl,
          'SELECT i."externalId", e."inputTokens", e."outputTokens", e."estimated" FROM "UsageEvent" e JOIN "Identity" i ON i."id" = e."identityId" WHERE i."externalId" IN ($1, $2)',
          [budgeted, free],
        ),
      (r) => r.length === 4,
    );
    expect(rows).toHaveLength(4);
    const prompt = Number(rows[0].inputTokens);
    expect(prompt).toBeGreaterThan(3);
    for (const row of rows) {
      expect(Boolean(row.estimated)).toBe(true);
      expect(Number(row.inputTokens)).toBe(prompt);
      expect(Number(row.outputTokens)).toBeGreaterThan(0);
    }
  });

  it('records an upstream error and releases its hold', async () => {
    const { externalId, budgetId } = await identityWithBudget(1);
    expect((await chat(externalId, { content: 'fail' })).status).toBe(500);
    const usage = await settledUsage(budgetId, 1);
    expect(usage).toMatchObject({ amount: 0, reserved: 0, inFlight: 0 });
    const metrics = ((await api('GET', `/v2/identities/${externalId}?include_metrics=true`)).body.identity as { metrics: { error_rate: number } }).metrics;
    expect(metrics.error_rate).toBe(1);
  });

  it('answers 502 for a provider answer cut off halfway, streamed or not, and records it as such, releasing the hold', async () => {
    const { externalId, budgetId } = await identityWithBudget(1);
    for (const stream of [false, true]) {
      const reply = await chat(externalId, { content: 'cut-off', stream });
      expect(reply.status).toBe(502);
      expect((reply.body.error as { message: string }).message).toMatch(/was cut off/);
    }
    expect(await settledUsage(budgetId, 2)).toMatchObject({ reserved: 0, inFlight: 0 });
    const rows = await queryDb<{ status: string; errorCode: string | null }>(
      servers[0].databaseUrl,
      'SELECT e."status", e."errorCode" FROM "UsageEvent" e JOIN "Identity" i ON i."id" = e."identityId" WHERE i."externalId" = $1',
      [externalId],
    );
    expect(rows).toEqual([
      { status: 'error', errorCode: 'upstream_read_failed' },
      { status: 'error', errorCode: 'upstream_read_failed' },
    ]);
    // The whole answer's prompt is Tollbooth's own count.
    const json = await queryDb<{ estimated: boolean | number }>(
      servers[0].databaseUrl,
      'SELECT e."estimated" FROM "UsageEvent" e JOIN "Identity" i ON i."id" = e."identityId" WHERE i."externalId" = $1',
      [externalId],
    );
    expect(json.map((r) => Boolean(r.estimated))).toEqual([true, true]);
  });

  it("passes a provider's own 429 on with its Retry-After, streamed or not", async () => {
    const { externalId, budgetId } = await identityWithBudget(1);
    for (const stream of [false, true]) {
      const reply = await chat(externalId, { content: 'rate-limited', stream });
      expect(reply.status).toBe(429);
      expect(reply.headers.get('retry-after')).toBe('7');
      expect(reply.body).toMatchObject({ error: { type: 'rate_limit_exceeded' } });
    }
    expect(await settledUsage(budgetId, 2)).toMatchObject({ reserved: 0, inFlight: 0 });
  });

  it('passes a provider error through when a stream was asked for, and records it', async () => {
    const { externalId, budgetId } = await identityWithBudget(1);
    const reply = await chat(externalId, { content: 'fail', stream: true });
    expect(reply.status).toBe(500);
    expect(reply.body).toEqual({ error: { message: 'upstream exploded', type: 'server_error' } });
    expect(await settledUsage(budgetId, 1)).toMatchObject({ amount: 0, reserved: 0, inFlight: 0 });
  });

  it('releases the holds of a killed server after they expire, keeping settled spend', async () => {
    const killed = await startServer({ env: env() });
    try {
      const call = (content = 'hi', stream = false) =>
        fetch(`${killed.baseUrl}/v2/router/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${killed.apiKey}`, 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'openai/gpt-4o', messages: [{ role: 'user', content }], max_tokens: 1000, stream, orq: { identity: { id: 'crash' } } }),
        });
      const budget = await fetch(`${killed.baseUrl}/v2/budgets`, {
        method: 'POST',
        headers: { authorization: `Bearer ${killed.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ scope: { workspace: {} }, limits: { period: 'BUDGET_PERIOD_YEARLY', amount: round6(3.5 * C) } }),
      }).then((r) => r.json() as Promise<{ budget: { budgetId: string } }>);
      expect((await call()).status).toBe(200);
      expect((await call()).status).toBe(200);
      const before = fake.requests().length;
      const hanging = await call('hang', true);
      expect(hanging.status).toBe(200);
      await eventually(async () => fake.requests().length, (n) => n > before);
      // The two finished calls are settled (written just after their answers); only the hanging call holds budget.
      const held = await eventually(() => queryDb<{ n: number | string }>(killed.databaseUrl, 'SELECT COUNT(*) AS n FROM "Reservation"'), (rows) => Number(rows[0].n) === 1);
      expect(Number(held[0].n)).toBe(1);
      await killed.kill();
      hanging.body?.cancel().catch(() => undefined);

      const restarted = await startServer({ env: env(), databaseUrl: killed.databaseUrl, apiKey: killed.apiKey });
      try {
        const read = async () =>
          ((await (await fetch(`${restarted.baseUrl}/v2/budgets/${budget.budget.budgetId}`, { headers: { authorization: `Bearer ${restarted.apiKey}` } })).json()) as { budget: { usage: Usage } }).budget.usage;
        const usage = await eventually(read, (u) => u.reserved === 0, 30_000);
        expect(usage).toMatchObject({ reserved: 0, inFlight: 0, requests: 2 });
        expect(usage.amount).toBeCloseTo(2 * C, 6);
      } finally {
        await restarted.stop();
      }
    } finally {
      await killed.stop();
    }
  }, 90_000);
});

describe('budget windows follow the changes made to a budget', () => {
  const at = (iso: string) => ({ now: iso });
  const spend = (externalId: string, usd: number, timestamp: string, sentAt = timestamp) =>
    api('POST', '/v2/usage', { events: [{ event_id: uid('ev'), external_id: externalId, provider: 'openai', model: 'gpt-4o', input_tokens: 1, output_tokens: 1, cost: usd, timestamp }] }, at(sentAt));
  const usageAt = async (budgetId: string, iso: string) => ((await api('GET', `/v2/budgets/${budgetId}`, undefined, at(iso))).body.budget as { usage: Usage }).usage;

  it('a period changed and changed back counts what was spent meanwhile', async () => {
    const day = '2033-05-10T12:00:00.000Z';
    const externalId = uid('period');
    expect((await api('POST', '/v2/identities', { external_id: externalId })).status).toBe(201);
    const budget = await api('POST', '/v2/budgets', { scope: { identity: { identity_external_id: externalId } }, limits: { period: 'BUDGET_PERIOD_MONTHLY', amount: 1 } }, at(day));
    const budgetId = (budget.body.budget as { budgetId: string }).budgetId;
    expect((await spend(externalId, 0.3, day)).status).toBe(200);
    expect((await api('PATCH', `/v2/budgets/${budgetId}`, { limits: { period: 'BUDGET_PERIOD_DAILY' } }, at(day))).status).toBe(200);
    expect((await spend(externalId, 1, '2033-05-10T13:00:00.000Z')).status).toBe(200);
    expect((await api('PATCH', `/v2/budgets/${budgetId}`, { limits: { period: 'BUDGET_PERIOD_MONTHLY' } }, at('2033-05-10T14:00:00.000Z'))).status).toBe(200);
    expect((await usageAt(budgetId, '2033-05-10T14:00:00.000Z')).amount).toBeCloseTo(1.3, 6);
    expect((await api('POST', '/v2/usage/check', { external_id: externalId }, at('2033-05-10T14:00:00.000Z'))).status).toBe(429);
  });

  it('a call in flight when the period changes is charged to the window its event falls in now', async () => {
    const day = '2033-07-10T12:00:00.000Z';
    const externalId = uid('inflight');
    expect((await api('POST', '/v2/identities', { external_id: externalId })).status).toBe(201);
    const budget = await api('POST', '/v2/budgets', { scope: { identity: { identity_external_id: externalId } }, limits: { period: 'BUDGET_PERIOD_DAILY', amount: 1 } }, at(day));
    const budgetId = (budget.body.budget as { budgetId: string }).budgetId;
    const check = await api('POST', '/v2/usage/check', { external_id: externalId, reserve: { cost: 0.1 } }, at(day));
    expect(check.status).toBe(200);
    expect((await api('PATCH', `/v2/budgets/${budgetId}`, { limits: { period: 'BUDGET_PERIOD_MONTHLY' } }, at(day))).status).toBe(200);
    const event = { event_id: uid('ev'), external_id: externalId, provider: 'openai', model: 'gpt-4o', input_tokens: 1, output_tokens: 1, cost: 0.2, timestamp: day, reservation_id: check.body.reservation_id };
    expect((await api('POST', '/v2/usage', { events: [event] }, at(day))).status).toBe(200);
    // The month counts it, as its history does; nothing is left held.
    expect(await usageAt(budgetId, day)).toMatchObject({ amount: 0.2, requests: 1, reserved: 0, inFlight: 0 });
    expect((await api('PATCH', `/v2/budgets/${budgetId}`, { limits: { period: 'BUDGET_PERIOD_WEEKLY' } }, at(day))).status).toBe(200);
    expect((await api('PATCH', `/v2/budgets/${budgetId}`, { limits: { period: 'BUDGET_PERIOD_MONTHLY' } }, at(day))).status).toBe(200);
    expect(await usageAt(budgetId, day)).toMatchObject({ amount: 0.2, requests: 1 });
  });

  it('a budget made after an event stamped in a later window does not count it in the current one', async () => {
    const externalId = uid('later');
    expect((await spend(externalId, 1, '2033-06-11T09:00:00.000Z')).status).toBe(200);
    const today = '2033-06-10T12:00:00.000Z';
    const budget = await api('POST', '/v2/budgets', { scope: { identity: { identity_external_id: externalId } }, limits: { period: 'BUDGET_PERIOD_DAILY', amount: 0.5 } }, at(today));
    const budgetId = (budget.body.budget as { budgetId: string }).budgetId;
    expect((await usageAt(budgetId, today)).amount).toBe(0);
    expect((await api('POST', '/v2/usage/check', { external_id: externalId }, at(today))).status).toBe(200);
  });
});

describe('every budget scope is a hard gate', () => {
  const scopes: { kind: string; scope: () => Promise<Json> }[] = [
    { kind: 'workspace', scope: async () => ({ workspace: {} }) },
    {
      kind: 'api_key',
      scope: async () => {
        const keys = await queryDb<{ id: string }>(servers[0].databaseUrl, 'SELECT "id" FROM "ApiKey" WHERE "revokedAt" IS NULL');
        return { api_key: { api_key_id: keys[0].id } };
      },
    },
    { kind: 'provider', scope: async () => ({ provider: { provider: 'openai' } }) },
    { kind: 'model', scope: async () => ({ model: { model_id: 'openai/gpt-4o' } }) },
  ];
  // Each test works on a day of its own (pinned clock), so the calls of other tests are not in its window.
  let day = 10;
  const freshDay = () => `2032-01-${String(day++).padStart(2, '0')}T12:00:00.000Z`;

  for (const { kind, scope } of scopes) {
    it(`a ${kind} budget blocks on its own`, async () => {
      const externalId = uid(kind);
      const now = freshDay();
      const budgetId = await createBudget({ scope: await scope(), limits: { period: 'BUDGET_PERIOD_DAILY', amount: round6(0.5 * C) } });
      try {
        expect((await chat(externalId, { now })).status).toBe(200);
        const refused = await chat(externalId, { now });
        expect(refused.status).toBe(429);
        expect(refused.body.error).toMatchObject({ code: 'budget_exceeded', budget: { budget_id: budgetId, scope: { kind } } });
        if (kind === 'model') expect((await chat(externalId, { model: 'openai/gpt-4o-mini', now })).status).toBe(200);
      } finally {
        expect((await api('DELETE', `/v2/budgets/${budgetId}`)).status).toBe(200);
      }
      // Deleting the budget opens the gate on the very next call.
      expect((await chat(externalId, { now })).status).toBe(200);
    });
  }

  it('refuses a provider scope no call can match (a router model id), naming the field', async () => {
    const res = await api('POST', '/v2/budgets', { scope: { provider: { provider: 'openai/gpt-4o' } }, limits: { period: 'BUDGET_PERIOD_DAILY', amount: 1 } });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ details: [{ field: 'scope.provider.provider' }] });
    expect((res.body.error as { message: string }).message).toContain('provider/model');
  });

  it('the most restrictive of several budgets wins', async () => {
    const { externalId } = await identityWithBudget(1);
    const modelBudget = await createBudget({ scope: { model: { model_id: 'openai/gpt-4o' } }, limits: { period: 'BUDGET_PERIOD_DAILY', amount: round6(1.5 * C) } });
    const now = freshDay();
    try {
      expect((await chat(externalId, { now })).status).toBe(200);
      expect((await chat(externalId, { now })).status).toBe(200);
      const refused = await chat(externalId, { now });
      expect(refused.status).toBe(429);
      expect(refused.body.error).toMatchObject({ budget: { budget_id: modelBudget, scope: { kind: 'model', target_id: 'openai/gpt-4o' } } });
    } finally {
      await api('DELETE', `/v2/budgets/${modelBudget}`);
    }
  });

  it('a reset and a raised limit re-open the budget at once, on every instance', async () => {
    const { externalId, budgetId } = await identityWithBudget(round6(0.5 * C));
    expect((await chat(externalId)).status).toBe(200);
    expect((await chat(externalId, { server: servers.at(-1) })).status).toBe(429);
    expect((await api('POST', `/v2/budgets/${budgetId}/reset-consumption`, {})).status).toBe(200);
    expect((await chat(externalId, { server: servers.at(-1) })).status).toBe(200);
    expect((await chat(externalId)).status).toBe(429);
    expect((await api('PATCH', `/v2/budgets/${budgetId}`, { limits: { amount: 1 } })).status).toBe(200);
    expect((await chat(externalId, { server: servers.at(-1) })).status).toBe(200);
  });

  it('a limit changed in the database by another process takes effect on the next call, lowered or raised', async () => {
    // As another process would change it (an instance of an older release, a script): nothing in this server hears of
    // it but the workspace's config version, which every admission checks.
    const { externalId, budgetId } = await identityWithBudget(1);
    const setLimit = async (usd: number) => {
      const database = servers[0].databaseUrl;
      await queryDb(database, 'UPDATE "Budget" SET "amountMicros" = $1 WHERE "id" = $2', [Math.round(usd * 1e6), budgetId], { write: true });
      await queryDb(database, 'UPDATE "Workspace" SET "configVersion" = "configVersion" + 1 WHERE "id" = (SELECT "workspaceId" FROM "Budget" WHERE "id" = $1)', [budgetId], { write: true });
    };
    expect((await chat(externalId)).status).toBe(200);
    await settledUsage(budgetId, 1);
    await setLimit(round6(0.5 * C));
    const refused = await chat(externalId);
    expect(refused.status).toBe(429);
    expect(refused.body.error).toMatchObject({ budget: { budget_id: budgetId, amount: round6(0.5 * C) } });
    await setLimit(1);
    expect((await chat(externalId)).status).toBe(200);
  });
});

// On PostgreSQL the change is made on the first server and the call on the second, whose cached configuration is then
// stale: what the call was resolved with before its admission (its identity, its price) must be looked at again.
describe('what was resolved before admission follows a change made on another instance', () => {
  const other = () => servers.at(-1) as TestServer;

  it('an identity deleted and made anew with a small budget: its calls are admitted under the new one', async () => {
    const { externalId } = await identityWithBudget(1);
    expect((await chat(externalId, { server: other() })).status).toBe(200);
    expect((await api('DELETE', `/v2/identities/${externalId}`)).status).toBe(200);
    expect((await api('POST', '/v2/identities', { external_id: externalId })).status).toBe(201);
    const budgetId = await createBudget({ scope: { identity: { identity_external_id: externalId } }, limits: { period: 'BUDGET_PERIOD_YEARLY', amount: round6(0.5 * C) } });
    const before = upstreamCallsFor(externalId);
    const replies = await Promise.all(Array.from({ length: 20 }, () => chat(externalId, { server: other() })));
    expect(served(replies)).toBe(1);
    expect(upstreamCallsFor(externalId) - before).toBe(1);
    expect((await settledUsage(budgetId, 1)).amount).toBeCloseTo(C, 6);
  });

  it('an identity deleted meanwhile is made again by its next call, which is recorded', async () => {
    const externalId = uid('gone');
    expect((await chat(externalId, { server: other() })).status).toBe(200);
    expect((await api('DELETE', `/v2/identities/${externalId}`)).status).toBe(200);
    expect((await chat(externalId, { server: other() })).status).toBe(200);
    const metrics = await eventually(
      async () => (await api('GET', `/v2/identities/${externalId}?include_metrics=true`)).body.identity as { metrics: { total_requests: number } } | undefined,
      (identity) => identity?.metrics.total_requests === 1,
    );
    expect(metrics?.metrics.total_requests).toBe(1);
  });

  it('a price deleted: the model is refused as unpriced under a USD budget; a price added: it is served', async () => {
    const { externalId } = await identityWithBudget(1);
    const model = `acme-${randomBytes(3).toString('hex')}`;
    const price = await api('POST', '/v2/prices', { provider: 'openai', model, input_per_million: 1, output_per_million: 2 });
    expect(price.status).toBe(201);
    expect((await chat(externalId, { model: `openai/${model}`, server: other() })).status).toBe(200);
    expect((await api('DELETE', `/v2/prices/${(price.body.price as { price_id: string }).price_id}`)).status).toBe(200);
    const before = upstreamCallsFor(externalId);
    const refused = await chat(externalId, { model: `openai/${model}`, server: other() });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ details: [{ field: 'model' }] });
    expect(upstreamCallsFor(externalId)).toBe(before);
    const reserve = { provider: 'openai', model, input_tokens: 7, max_output_tokens: 1000 };
    expect((await api('POST', '/v2/usage/check', { external_id: externalId, reserve }, { server: other() })).status).toBe(422);

    expect((await api('POST', '/v2/prices', { provider: 'openai', model, input_per_million: 1, output_per_million: 2 })).status).toBe(201);
    expect((await chat(externalId, { model: `openai/${model}`, server: other() })).status).toBe(200);
    const check = await api('POST', '/v2/usage/check', { external_id: externalId, reserve }, { server: other() });
    expect(check.status).toBe(200);
    // 7 input tokens at $1/M + 1,000 output tokens at $2/M
    expect(check.body).toMatchObject({ reservation: { amount: 0.002007 } });
  });

  it('a token limit added: a reservation by cost alone, which holds no tokens, is refused at once', async () => {
    const { externalId, budgetId } = await identityWithBudget(1);
    const byCost = () => api('POST', '/v2/usage/check', { external_id: externalId, reserve: { cost: 0.001 } }, { server: other() });
    const first = await byCost();
    expect(first.status).toBe(200);
    expect((await api('PATCH', `/v2/budgets/${budgetId}`, { limits: { token_limit: 1000 } })).status).toBe(200);
    const refused = await byCost();
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'unprocessable', details: [{ field: 'reserve.cost' }] });
    expect((refused.body.error as { message: string }).message).toContain(budgetId);
    // Only the first reservation is held.
    expect((await usageOf(budgetId)).reserved).toBeCloseTo(0.001, 6);
  });
});

describe('no call escapes a USD budget because it has no price', () => {
  it('refuses an unpriced model under a USD budget, serves it once priced, and charges the custom price', async () => {
    const { externalId, budgetId } = await identityWithBudget(1);
    const model = `acme-${randomBytes(3).toString('hex')}`;
    const refused = await chat(externalId, { model: `openai/${model}` });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'unprocessable', details: [{ field: 'model' }] });
    expect((refused.body.error as { message: string }).message).toContain('POST /v2/prices');
    expect(upstreamCallsFor(externalId)).toBe(0);

    const price = await api('POST', '/v2/prices', { provider: 'openai', model, input_per_million: 1, output_per_million: 2 });
    expect(price.status).toBe(201);
    expect((await chat(externalId, { model: `openai/${model}` })).status).toBe(200);
    // 7 input tokens at $1/M + 1,000 output tokens at $2/M = $0.002007
    expect((await settledUsage(budgetId, 1)).amount).toBeCloseTo(0.002007, 6);
  });

  it('re-prices unpriced events once a price exists, cache tokens at their own rate, and counts them toward the budget', async () => {
    const { externalId, budgetId } = await identityWithBudget(1);
    const model = `acme-${randomBytes(3).toString('hex')}`;
    const event = () => ({ event_id: uid('ev'), external_id: externalId, provider: 'openai', model, input_tokens: 1000, output_tokens: 100, cache_read_tokens: 400 });
    expect((await api('POST', '/v2/usage', { events: [event(), event()] })).body).toMatchObject({ accepted: 2 });
    expect((await settledUsage(budgetId, 2)).amount).toBe(0);
    const price = { provider: 'openai', model, input_per_million: 1, output_per_million: 2, cache_read_per_million: 0.5 };
    expect((await api('POST', '/v2/prices', price)).status).toBe(201);
    expect((await api('POST', '/v2/prices/reprice', { provider: 'openai', model })).body).toMatchObject({ repriced: 2, still_unpriced: 0 });
    // Each: of 1,000 input tokens, 600 at $1/M and 400 cache reads at $0.50/M, + 100 output at $2/M = $0.001.
    expect((await usageOf(budgetId)).amount).toBeCloseTo(2 * 0.001, 6);
    expect((await api('POST', '/v2/prices/reprice', { provider: 'openai', model })).body).toMatchObject({ repriced: 0 });
  });

  it('refuses cache token counts above the input tokens they are part of, naming the field', async () => {
    const externalId = uid('cache');
    const event = { event_id: uid('ev'), external_id: externalId, provider: 'openai', model: 'gpt-4o', input_tokens: 100, output_tokens: 10 };
    const res = await api('POST', '/v2/usage', { events: [{ ...event, cache_read_tokens: 80, cache_write_tokens: 40 }] });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ details: [{ field: 'events.0.cache_read_tokens' }] });
    expect((res.body.error as { message: string }).message).toContain('with cache_write_tokens (80 + 40 = 120) cannot exceed input_tokens (100)');
    // Reads alone name only the reads.
    const reads = await api('POST', '/v2/usage', { events: [{ ...event, cache_read_tokens: 120 }] });
    expect(reads.status).toBe(400);
    expect(reads.body.error).toMatchObject({ details: [{ field: 'events.0.cache_read_tokens' }] });
    expect((reads.body.error as { message: string }).message).not.toContain('cache_write_tokens');
    expect((await api('POST', '/v2/usage', { events: [{ ...event, cache_read_tokens: 80, cache_write_tokens: 20 }] })).body).toMatchObject({ accepted: 1 });
  });

  it("charges the prompt tokens a provider read from its cache at the cache rate", async () => {
    const { externalId, budgetId } = await identityWithBudget(1);
    expect((await chat(externalId, { content: 'cached' })).status).toBe(200);
    await settledUsage(budgetId, 1);
    const [row] = await queryDb<{ inputTokens: number; cacheReadTokens: number; costMicros: number | string }>(
      servers[0].databaseUrl,
      'SELECT e."inputTokens", e."cacheReadTokens", e."costMicros" FROM "UsageEvent" e JOIN "Identity" i ON i."id" = e."identityId" WHERE i."externalId" = $1',
      [externalId],
    );
    expect(row.cacheReadTokens).toBe(row.inputTokens - 1);
    // gpt-4o: one uncached input token at $2.50/M, the cached ones at $1.25/M, 1,000 output tokens at $10/M.
    expect(Number(row.costMicros)).toBe(Math.round(2.5 + 1.25 * row.cacheReadTokens + 10_000));
  });

  it('serves unpriced models when the workspace allows it', async () => {
    const { externalId } = await identityWithBudget(1);
    const model = `openai/unpriced-${randomBytes(3).toString('hex')}`;
    expect((await chat(externalId, { model })).status).toBe(422);
    expect((await api('PATCH', '/v2/settings', { allow_unpriced_calls: true })).status).toBe(200);
    try {
      expect((await chat(externalId, { model })).status).toBe(200);
    } finally {
      await api('PATCH', '/v2/settings', { allow_unpriced_calls: false });
    }
  });
});

/** The usage event of a call made directly to the provider (7 + 400 gpt-4o tokens), settling `reservationId`. */
const settlingEvent = (externalId: string, reservationId: unknown) => ({
  event_id: uid('ev'),
  external_id: externalId,
  provider: 'openai',
  model: 'gpt-4o',
  input_tokens: 7,
  output_tokens: 400,
  reservation_id: reservationId,
});

describe('apps that call providers directly: POST /v2/usage/check reserves', () => {
  const reserve = { provider: 'openai', model: 'gpt-4o', input_tokens: 7, max_output_tokens: 1000 };

  it('admits exactly the room of the budget under 50 concurrent checks, and usage events settle them', async () => {
    const { externalId, budgetId } = await identityWithBudget(round6(4 * C));
    const checks = await concurrently(50, (server) => api('POST', '/v2/usage/check', { external_id: externalId, reserve }, { server }));
    const allowed = checks.filter((c) => c.status === 200);
    expect(allowed).toHaveLength(4);
    expect(checks.filter((c) => c.status === 429)).toHaveLength(46);
    expect((await usageOf(budgetId)).reserved).toBeCloseTo(4 * C, 6);
    const events = allowed.map((c) => settlingEvent(externalId, c.body.reservation_id));
    expect((await api('POST', '/v2/usage', { events })).status).toBe(200);
    const usage = await usageOf(budgetId);
    expect(usage).toMatchObject({ reserved: 0, inFlight: 0, requests: 4 });
    // Each event: 7 × $2.50/M + 400 × $10/M = $0.0040175, charged as 4,018 micro-USD.
    expect(usage.amount).toBeCloseTo(4 * 0.004018, 6);
    // What the reservations no longer hold is room again.
    expect((await api('POST', '/v2/usage/check', { external_id: externalId, reserve })).status).toBe(200);
  });

  it('a settling event counts toward every budget that applies to it, not only those its reservation held', async () => {
    const { externalId, budgetId } = await identityWithBudget(1);
    const model = `acme-${randomBytes(3).toString('hex')}`;
    expect((await api('POST', '/v2/prices', { provider: 'openai', model, input_per_million: 1, output_per_million: 2 })).status).toBe(201);
    const modelBudget = await createBudget({ scope: { model: { model_id: `openai/${model}` } }, limits: { period: 'BUDGET_PERIOD_YEARLY', amount: 1 } });
    // Reserved by cost alone: no model, so only the identity's budget holds it.
    const check = await api('POST', '/v2/usage/check', { external_id: externalId, reserve: { cost: 0.5 } });
    expect(check.status).toBe(200);
    const event = { event_id: uid('ev'), external_id: externalId, provider: 'openai', model, input_tokens: 7, output_tokens: 400, reservation_id: check.body.reservation_id };
    expect((await api('POST', '/v2/usage', { events: [event] })).status).toBe(200);
    // 7 input tokens at $1/M + 400 output at $2/M = $0.000807, on both budgets; the identity's hold given back.
    expect(await usageOf(budgetId)).toMatchObject({ amount: 0.000807, reserved: 0, requests: 1 });
    expect(await usageOf(modelBudget)).toMatchObject({ amount: 0.000807, reserved: 0, requests: 1 });
    expect((await api('DELETE', `/v2/budgets/${modelBudget}`)).status).toBe(200);
  });

  it('refuses a reservation by cost alone where a token limit applies, naming the field', async () => {
    const { externalId } = await identityWithBudget(1, { limits: { period: 'BUDGET_PERIOD_YEARLY', amount: 1, token_limit: 1000 } });
    const byCost = await api('POST', '/v2/usage/check', { external_id: externalId, reserve: { cost: 0.001 } });
    expect(byCost.status).toBe(422);
    expect(byCost.body.error).toMatchObject({ details: [{ field: 'reserve.cost' }] });
    expect((await api('POST', '/v2/usage/check', { external_id: externalId, reserve })).status).toBe(200);
  });

  it('settles a reservation once when two events of one batch name it: the other is charged in full, other holds stay', async () => {
    const { externalId, budgetId } = await identityWithBudget(1);
    const first = await api('POST', '/v2/usage/check', { external_id: externalId, reserve: { cost: 0.1 } });
    const second = await api('POST', '/v2/usage/check', { external_id: externalId, reserve: { cost: 0.1 } });
    expect([first.status, second.status]).toEqual([200, 200]);
    const events = [settlingEvent(externalId, first.body.reservation_id), settlingEvent(externalId, first.body.reservation_id)];
    expect((await api('POST', '/v2/usage', { events })).body).toMatchObject({ accepted: 2 });
    // Both calls charged ($0.004018 each); the second reservation still held.
    expect(await usageOf(budgetId)).toMatchObject({ amount: 2 * 0.004018, requests: 2, reserved: 0.1, inFlight: 1 });
  });

  it('makes the identity a reservation names for the first time, so only its events settle it', async () => {
    const model = `acme-${randomBytes(3).toString('hex')}`;
    expect((await api('POST', '/v2/prices', { provider: 'openai', model, input_per_million: 1, output_per_million: 2 })).status).toBe(201);
    const budgetId = await createBudget({ scope: { model: { model_id: `openai/${model}` } }, limits: { period: 'BUDGET_PERIOD_YEARLY', amount: 1 } });
    const externalId = uid('first-use');
    const check = await api('POST', '/v2/usage/check', { external_id: externalId, reserve: { ...reserve, model } });
    expect(check.status).toBe(200);
    expect(check.body.reservation_id).toEqual(expect.any(String));
    expect((await api('GET', `/v2/identities/${externalId}`)).status).toBe(200);
    const event = (owner: string) => ({ ...settlingEvent(owner, check.body.reservation_id), model });
    const refused = await api('POST', '/v2/usage', { events: [event(uid('other'))] });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ details: [{ field: 'events.0.reservation_id' }] });
    expect((await usageOf(budgetId)).inFlight).toBe(1);
    expect((await api('POST', '/v2/usage', { events: [event(externalId)] })).status).toBe(200);
    expect(await usageOf(budgetId)).toMatchObject({ requests: 1, inFlight: 0, reserved: 0 });
    const unknownId = await api('POST', '/v2/usage/check', { identity_id: 'nope', reserve });
    expect(unknownId.status).toBe(404);
    expect(unknownId.body.error).toMatchObject({ details: [{ field: 'identity_id' }] });
    expect((await api('DELETE', `/v2/budgets/${budgetId}`)).status).toBe(200);
  });

  it("refuses an event that would settle another identity's reservation, which stays held", async () => {
    const owner = await identityWithBudget(1);
    const other = await identityWithBudget(1);
    const check = await api('POST', '/v2/usage/check', { external_id: owner.externalId, reserve: { cost: C } });
    expect(check.status).toBe(200);
    const event = (externalId: string) => settlingEvent(externalId, check.body.reservation_id);
    const refused = await api('POST', '/v2/usage', { events: [event(other.externalId)] });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'unprocessable', details: [{ field: 'events.0.reservation_id' }] });
    expect((refused.body.error as { message: string }).message).toContain(`"${owner.externalId}"`);
    expect((await usageOf(owner.budgetId)).reserved).toBeCloseTo(C, 6);
    expect(await usageOf(other.budgetId)).toMatchObject({ amount: 0, requests: 0 });
    // Its own identity's event settles it.
    expect((await api('POST', '/v2/usage', { events: [event(owner.externalId)] })).status).toBe(200);
    expect(await usageOf(owner.budgetId)).toMatchObject({ reserved: 0, inFlight: 0, requests: 1 });
  });

  it('releases an unsettled reservation when it expires', async () => {
    const { externalId, budgetId } = await identityWithBudget(round6(C));
    const check = await api('POST', '/v2/usage/check', { external_id: externalId, reserve: { cost: C }, ttl_seconds: 1 });
    expect(check.status).toBe(200);
    expect(check.body).toMatchObject({ allowed: true, reservation: { amount: C } });
    const held = await api('POST', '/v2/usage/check', { external_id: externalId, reserve: { cost: C } });
    expect(held.status).toBe(429);
    // Refused only for what is held: retry in a second, though the window resets much later.
    expect(held.headers.get('retry-after')).toBe('1');
    expect(Number(held.headers.get('x-ratelimit-reset'))).toBeGreaterThan(60);
    const usage = await eventually(() => usageOf(budgetId), (u) => u.reserved === 0);
    expect(usage).toMatchObject({ reserved: 0, amount: 0 });
    expect((await api('POST', '/v2/usage/check', { external_id: externalId, reserve: { cost: C } })).status).toBe(200);
  });

  it('stays a read-only answer without reserve', async () => {
    const { externalId, budgetId } = await identityWithBudget(1);
    const check = await api('POST', '/v2/usage/check', { external_id: externalId });
    expect(check.status).toBe(200);
    expect(check.body).not.toHaveProperty('reservation_id');
    expect(check.body.budget).toMatchObject({ budget_id: budgetId, amount: 1, remaining: 1, reserved: 0 });
  });
});

describe('idempotency never drops data', () => {
  it('answers 409 naming the event when an event id is replayed with other content', async () => {
    const externalId = uid('idem');
    const event = { event_id: uid('ev'), external_id: externalId, model: 'gpt-4o', input_tokens: 10, output_tokens: 10 };
    expect((await api('POST', '/v2/usage', { events: [event] })).status).toBe(200);
    expect((await api('POST', '/v2/usage', { events: [event] })).body).toMatchObject({ accepted: 0, duplicates: 1 });
    const changes = [{ output_tokens: 11 }, { external_id: uid('other') }, { cost: 5 }, { cache_read_tokens: 8 }, { cache_write_tokens: 8 }];
    for (const change of changes) {
      const res = await api('POST', '/v2/usage', { events: [{ ...event, ...change }] });
      expect(res.status).toBe(409);
      expect(res.body.error).toMatchObject({ code: 'conflict', details: [{ field: 'events.0.event_id' }] });
      expect((res.body.error as { message: string }).message).toContain(event.event_id);
      // The same within one batch.
      const inBatch = await api('POST', '/v2/usage', { events: [{ ...event, event_id: `${event.event_id}-b` }, { ...event, event_id: `${event.event_id}-b`, ...change }] });
      expect(inBatch.status).toBe(409);
      expect(inBatch.body.error).toMatchObject({ code: 'conflict', details: [{ field: 'events.1.event_id' }] });
    }
    // Cache token counts are kept with the event: a true retry of one that has them is a duplicate.
    const cached = { ...event, event_id: uid('ev'), cache_read_tokens: 4 };
    expect((await api('POST', '/v2/usage', { events: [cached] })).body).toMatchObject({ accepted: 1 });
    expect((await api('POST', '/v2/usage', { events: [cached] })).body).toMatchObject({ accepted: 0, duplicates: 1 });
    expect((await api('POST', '/v2/usage', { events: [{ ...cached, cache_read_tokens: 0 }] })).status).toBe(409);
  });
});

describe('amounts a budget can hold and sum', () => {
  it('refuses max_tokens and n beyond what a call can ask for, naming the field, and other calls keep their holds', async () => {
    const { externalId, budgetId } = await identityWithBudget(round6(4 * C));
    const before = upstreamCallsFor(externalId);
    for (const [field, value] of [['max_tokens', 1e21], ['max_completion_tokens', 1e19], ['n', 1000], ['max_tokens', 0]] as const) {
      const res = await fetch(`${servers[0].baseUrl}/v2/router/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${servers[0].apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'hi' }], [field]: value, orq: { identity: { id: externalId } } }),
      });
      expect(res.status, `${field} ${value}`).toBe(400);
      const { error } = (await res.json()) as { error: { details: { field: string }[] } };
      expect(error.details.map((d) => d.field)).toContain(field);
    }
    expect(upstreamCallsFor(externalId)).toBe(before);
    // Room for four calls, as before.
    expect(served(await concurrently(12, (server) => chat(externalId, { server })))).toBe(4);
    expect((await settledUsage(budgetId, 4)).amount).toBeCloseTo(4 * C, 6);
  });

  it('refuses token counts above a billion an event (any database stores them), naming the field', async () => {
    const event = { event_id: uid('ev'), external_id: uid('big'), provider: 'openai', model: 'gpt-4o', input_tokens: 2_147_483_648, output_tokens: 1 };
    const res = await api('POST', '/v2/usage', { events: [event] });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ details: [{ field: 'events.0.input_tokens' }] });
    const reserve = { provider: 'openai', model: 'gpt-4o', input_tokens: 1_500_000_000, max_output_tokens: 1 };
    const check = await api('POST', '/v2/usage/check', { external_id: uid('big'), reserve });
    expect(check.status).toBe(400);
    expect(check.body.error).toMatchObject({ details: [{ field: 'reserve.input_tokens' }] });
    // The most an event may have, on both databases.
    expect((await api('POST', '/v2/usage', { events: [{ ...event, input_tokens: 1e9, output_tokens: 1e9 }] })).status).toBe(200);
  });

  it('refuses an event its tokens price above $1,000,000, naming the field, and writes nothing of its batch', async () => {
    const model = `acme-${randomBytes(3).toString('hex')}`;
    expect((await api('POST', '/v2/prices', { provider: 'openai', model, input_per_million: 100_000, output_per_million: 100_000 })).status).toBe(201);
    const externalId = uid('dear');
    const event = (outputTokens: number) => ({ event_id: uid('ev'), external_id: externalId, provider: 'openai', model, input_tokens: 1, output_tokens: outputTokens });
    // 10 million output tokens at $100,000 a million: $1,000,000.
    const res = await api('POST', '/v2/usage', { events: [event(10), event(10_000_001)] });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'unprocessable', details: [{ field: 'events.1.output_tokens' }] });
    expect((await api('GET', `/v2/identities/${externalId}`)).status).toBe(404);
    expect((await api('POST', '/v2/usage', { events: [event(9_000_000)] })).status).toBe(200);
  });
});

describe('writers at the same moment (two instances on PostgreSQL)', () => {
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  /** Posts batches of 20 events ($0.001 each) for `externalId` from every server until stopped; every one must land. */
  function writeUsage(externalId: string) {
    let running = true;
    const failures: string[] = [];
    const writer = async (server: TestServer) => {
      while (running) {
        const events = Array.from({ length: 20 }, () => ({ event_id: uid('ev'), external_id: externalId, provider: 'openai', model: 'gpt-4o', input_tokens: 1, output_tokens: 1, cost: 0.001 }));
        const res = await api('POST', '/v2/usage', { events }, { server });
        if (res.status !== 200) failures.push(`${res.status} ${JSON.stringify(res.body)}`);
      }
    };
    const writers = [0, 1, 2].map((i) => writer(servers[i % servers.length]));
    return {
      stop: async () => {
        running = false;
        await Promise.all(writers);
        return failures;
      },
    };
  }

  /** What the identity's events since `since` add up to, from the database. */
  async function eventsSince(externalId: string, since: Date | null): Promise<{ requests: number; micros: number }> {
    const rows = await queryDb<{ at: string | number | Date; micros: number | string | null }>(
      servers[0].databaseUrl,
      'SELECT e."occurredAt" AS at, e."costMicros" AS micros FROM "UsageEvent" e JOIN "Identity" i ON i."id" = e."identityId" WHERE i."externalId" = $1',
      [externalId],
    );
    const counted = rows.filter((r) => !since || new Date(r.at).getTime() >= since.getTime());
    return { requests: counted.length, micros: counted.reduce((sum, r) => sum + Number(r.micros ?? 0), 0) };
  }

  it('a budget made, then reset, while usage is being written counts every event of its window', async () => {
    for (let round = 0; round < 3; round++) {
      const externalId = uid('race');
      expect((await api('POST', '/v2/identities', { external_id: externalId })).status).toBe(201);
      let usage = writeUsage(externalId);
      await pause(150);
      const budgetId = await createBudget({ scope: { identity: { identity_external_id: externalId } }, limits: { period: 'BUDGET_PERIOD_YEARLY', amount: 100_000 } });
      await pause(150);
      expect(await usage.stop()).toEqual([]);
      const made = await usageOf(budgetId);
      const all = await eventsSince(externalId, null);
      expect({ requests: made.requests, micros: Math.round(made.amount * 1e6) }).toEqual(all);

      usage = writeUsage(externalId);
      await pause(150);
      const reset = await api('POST', `/v2/budgets/${budgetId}/reset-consumption`, {});
      expect(reset.status).toBe(200);
      await pause(150);
      expect(await usage.stop()).toEqual([]);
      const since = new Date((reset.body.budget as { lastResetAt?: string; last_reset_at?: string }).lastResetAt ?? '');
      const after = await usageOf(budgetId);
      expect({ requests: after.requests, micros: Math.round(after.amount * 1e6) }).toEqual(await eventsSince(externalId, since));
    }
  }, 60_000);

  it('gateway calls are answered while their budget is deleted and made again, and while other budgets change', async () => {
    const externalId = uid('churn');
    expect((await api('POST', '/v2/identities', { external_id: externalId })).status).toBe(201);
    const other = await identityWithBudget(1000);
    const scope = { identity: { identity_external_id: externalId } };
    let budgetId = await createBudget({ scope, limits: { period: 'BUDGET_PERIOD_YEARLY', amount: 1000 } });
    let running = true;
    const churn = (async () => {
      for (let i = 0; running; i++) {
        expect((await api('DELETE', `/v2/budgets/${budgetId}`)).status).toBe(200);
        budgetId = await createBudget({ scope, limits: { period: 'BUDGET_PERIOD_YEARLY', amount: 1000 } });
        expect((await api('PATCH', `/v2/budgets/${other.budgetId}`, { limits: { amount: 1000 + i } })).status).toBe(200);
      }
    })();
    const replies = await concurrently(60, (server) => chat(externalId, { server }));
    running = false;
    await churn;
    const failed = replies.filter((r) => r.status !== 200).map((r) => `${r.status} ${JSON.stringify(r.body)}`);
    if (failed.length > 0) console.log(servers.map((s) => s.log().split('\n').filter((l) => l.includes('"level":"error"')).slice(0, 3).join('\n')).join('\n'));
    expect(failed).toEqual([]);
  }, 60_000);

  it('reservations settled on several budgets at once by both instances never deadlock into an error', async () => {
    const model = `acme-${randomBytes(3).toString('hex')}`;
    expect((await api('POST', '/v2/prices', { provider: 'openai', model, input_per_million: 1, output_per_million: 2 })).status).toBe(201);
    const shared = [
      await createBudget({ scope: { model: { model_id: `openai/${model}` } }, limits: { period: 'BUDGET_PERIOD_YEARLY', amount: 1000 } }),
    ];
    const people = await Promise.all([0, 1, 2, 3].map(() => identityWithBudget(1000)));
    const reserve = { provider: 'openai', model, input_tokens: 7, max_output_tokens: 400 };
    const replies = await concurrently(120, async (server) => {
      const { externalId } = people[Math.floor(Math.random() * people.length)];
      const check = await api('POST', '/v2/usage/check', { external_id: externalId, reserve }, { server });
      if (check.status !== 200) return check;
      return api('POST', '/v2/usage', { events: [{ ...settlingEvent(externalId, check.body.reservation_id), model }] }, { server });
    });
    const failed = replies.filter((r) => r.status !== 200).map((r) => `${r.status} ${JSON.stringify(r.body)}`);
    if (failed.length > 0) console.log(failed.slice(0, 2).join('\n'), servers.map((s) => s.log().split('\n').filter((l) => l.includes('unhandled error')).slice(0, 2).join('\n')).join('\n'));
    expect(failed).toEqual([]);
    // 7 input tokens at $1/M + 400 output tokens at $2/M, 120 times, on the model's budget; nothing left held.
    expect(await settledUsage(shared[0], 120)).toMatchObject({ amount: 120 * 0.000807 });
    for (const id of shared) expect((await api('DELETE', `/v2/budgets/${id}`)).status).toBe(200);
  }, 60_000);
});
