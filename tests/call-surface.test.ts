// The whole orq call surface over real HTTP, with the clients people use: deployments through the
// official `@orq-ai/node` SDK (invoke, stream, prompt variables, fallbacks, 429), the `openai` client on
// /v3/router and /v2/router/embeddings, identity upsert, the X-ORQ-IDENTITY-ID header and API-key
// owner identities — all against a fake provider started here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import OpenAI from 'openai';
import { Orq } from '@orq-ai/node';
import { APIError } from '@orq-ai/node/models/errors/apierror.js';
import { hashApiKey } from '@/lib/api-keys/crypto';
import { startServer, type TestServer } from './support/server';
import { FAKE_OPENAI_KEY, startFakeOpenAi, type FakeOpenAi } from './support/fake-openai';
import { eventually, queryDb } from './support/db';

let fake: FakeOpenAi;
let server: TestServer;

type Json = Record<string, unknown>;
const uid = (prefix: string) => `${prefix}-${randomBytes(5).toString('hex')}`;

async function api(method: string, path: string, body?: unknown, opts: { key?: string; headers?: Record<string, string> } = {}): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${server.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${opts.key ?? server.apiKey}`, 'content-type': 'application/json', ...opts.headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Json) : {} };
}

const orq = (key = server.apiKey) => new Orq({ apiKey: key, serverURL: server.baseUrl });
const openai = (path: '/v2/router' | '/v3/router', key = server.apiKey) => new OpenAI({ apiKey: key, baseURL: `${server.baseUrl}${path}` });
const lastUpstream = () => fake.requests().at(-1)?.body as Json;

type EventRow = { identityId: string; deploymentId: string | null; model: string; status: string; inputTokens: number | string; costMicros: number | string | null; metadata: unknown };
/** The usage events of an identity (written just after each answer), oldest first. */
async function eventsOf(externalId: string, count: number): Promise<EventRow[]> {
  const read = () =>
    queryDb<EventRow>(
      server.databaseUrl,
      'SELECT e."identityId", e."deploymentId", e."model", e."status", e."inputTokens", e."costMicros", e."metadata" FROM "UsageEvent" e JOIN "Identity" i ON i."id" = e."identityId" WHERE i."externalId" = $1 ORDER BY e."occurredAt", e."createdAt"',
      [externalId],
    );
  return eventually(read, (rows) => rows.length >= count);
}
const metadataOf = (row: EventRow) => (typeof row.metadata === 'string' ? JSON.parse(row.metadata) : row.metadata) as Json;

async function identity(externalId: string): Promise<Json> {
  const res = await api('GET', `/v2/identities/${externalId}`);
  expect(res.status).toBe(200);
  return res.body.identity as Json;
}

async function createDeployment(body: Json): Promise<Json> {
  const res = await api('POST', '/v2/deployments', body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return (res.body.deployment ?? res.body) as Json;
}

beforeAll(async () => {
  fake = await startFakeOpenAi();
  server = await startServer({ env: { TOLLBOOTH_PROVIDER_OPENAI_BASE_URL: fake.url, TOLLBOOTH_PROVIDER_OPENAI_API_KEY: FAKE_OPENAI_KEY } });
}, 180_000);

afterAll(async () => {
  await server?.stop();
  await fake?.close();
});

describe('POST /v2/deployments/invoke and /stream with the official SDK', () => {
  it('fills the prompt from inputs, sends the deployment parameters and links usage to identity and deployment', async () => {
    const key = uid('support');
    const deployment = await createDeployment({
      key,
      model: 'openai/gpt-4o',
      messages: [{ role: 'system', content: 'You help {{customer}} with {{product}}.' }],
      parameters: { temperature: 0.2, max_tokens: 300 },
    });
    const externalId = uid('dep');
    const reply = await orq().deployments.invoke({
      key,
      inputs: { customer: 'Ada', product: 'Tollbooth' },
      messages: [{ role: 'user', content: 'Where is my invoice?' }],
      identity: { id: externalId, displayName: 'Ada Lovelace', email: 'ada@example.com' },
    });
    expect(reply).toMatchObject({ object: 'chat', model: 'gpt-4o', provider: 'openai', isFinal: true });
    expect(reply?.choices[0]?.message).toMatchObject({ type: 'content', role: 'assistant', content: 'Hello there' });
    expect(reply?.usage).toMatchObject({ promptTokens: 1000, completionTokens: 500, totalTokens: 1500 });

    const sent = lastUpstream();
    expect(sent).toMatchObject({ model: 'gpt-4o', temperature: 0.2, max_tokens: 300, stream: false });
    expect(sent.messages).toEqual([
      { role: 'system', content: 'You help Ada with Tollbooth.' },
      { role: 'user', content: 'Where is my invoice?' },
    ]);
    expect(sent).not.toHaveProperty('identity');
    expect(sent).not.toHaveProperty('key');
    expect(sent).not.toHaveProperty('inputs');

    const [event] = await eventsOf(externalId, 1);
    expect(event.deploymentId).toBe(deployment.id);
    expect(Number(event.costMicros)).toBe(7500); // 1,000 + 500 gpt-4o tokens
    expect(await identity(externalId)).toMatchObject({ display_name: 'Ada Lovelace', email: 'ada@example.com', source: 'gateway' });
  });

  it('streams with the identity in the X-ORQ-IDENTITY-ID header and counts the streamed call', async () => {
    const key = uid('stream');
    const deployment = await createDeployment({ key, model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'Say hi to {{name}}' }] });
    const externalId = uid('hdr');
    const events = await orq().deployments.stream({ key, inputs: { name: 'Grace' } }, { headers: { 'X-ORQ-IDENTITY-ID': externalId } });
    let text = '';
    let final: { isFinal: boolean; usage?: unknown } | undefined;
    for await (const event of events) {
      for (const choice of event.data?.choices ?? []) if (choice.message.type === 'content') text += choice.message.content ?? '';
      if (event.data?.isFinal) final = event.data;
    }
    expect(text).toBe('Hello there');
    expect(final).toMatchObject({ isFinal: true, usage: { promptTokens: 1000, completionTokens: 500, totalTokens: 1500 } });
    expect(lastUpstream()).toMatchObject({ stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'Say hi to Grace' }] });
    const [event] = await eventsOf(externalId, 1);
    expect(event).toMatchObject({ deploymentId: deployment.id, status: 'success' });
    expect(Number(event.costMicros)).toBe(7500);
  });

  it('tries the fallback models in order when the provider fails, and records every attempt', async () => {
    const key = uid('fallback');
    await createDeployment({ key, model: 'openai/broken-primary', fallbacks: ['openai/broken-second', 'openai/gpt-4o-mini'], messages: [{ role: 'user', content: 'hi' }] });
    const externalId = uid('fb');
    const reply = await orq().deployments.invoke({ key, identity: { id: externalId } });
    expect(reply).toMatchObject({ model: 'gpt-4o-mini', provider: 'openai' });
    const events = await eventsOf(externalId, 3);
    expect(events.map((e) => [e.model, e.status])).toEqual([
      ['broken-primary', 'error'],
      ['broken-second', 'error'],
      ['gpt-4o-mini', 'success'],
    ]);
  });

  it('answers 429 once the identity\'s budget is spent, without calling the provider', async () => {
    const key = uid('budget');
    await createDeployment({ key, model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'hi' }], parameters: { max_tokens: 500 } });
    const externalId = uid('spent');
    expect((await api('POST', '/v2/identities', { external_id: externalId })).status).toBe(201);
    const budget = await api('POST', '/v2/budgets', { scope: { identity: { identity_external_id: externalId } }, limits: { period: 'BUDGET_PERIOD_YEARLY', amount: 0.01 } });
    expect(budget.status).toBe(200);
    // A call is admitted while spend is below the limit: $0.0075, then $0.015 of $0.01.
    await orq().deployments.invoke({ key, identity: { id: externalId } });
    await eventsOf(externalId, 1);
    await orq().deployments.invoke({ key, identity: { id: externalId } });
    await eventsOf(externalId, 2);
    const before = fake.requests().length;
    const err = await orq()
      .deployments.invoke({ key, identity: { id: externalId } })
      .then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(APIError);
    expect((err as APIError).statusCode).toBe(429);
    expect(JSON.parse((err as APIError).body).error).toMatchObject({ code: 'budget_exceeded' });
    expect(fake.requests().length).toBe(before);
  });

  it("passes a provider's own 429 on as a 429 with its Retry-After, invoked or streamed", async () => {
    const key = uid('limited');
    await createDeployment({ key, model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'rate-limited' }] });
    for (const path of ['/v2/deployments/invoke', '/v2/deployments/stream']) {
      const res = await fetch(`${server.baseUrl}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${server.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ key, identity: { id: uid('lim') } }),
      });
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('7');
      expect(((await res.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'rate_limited', message: expect.stringContaining('slow down') });
    }
  });

  it('records a deployment stream its client leaves as ended by the client, not as a provider failure', async () => {
    const key = uid('leave');
    await createDeployment({ key, model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'slow-stream' }] });
    const externalId = uid('leaver');
    const abort = new AbortController();
    const res = await fetch(`${server.baseUrl}/v2/deployments/stream`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ key, identity: { id: externalId } }),
      signal: abort.signal,
    });
    expect(res.status).toBe(200);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    abort.abort();
    await reader.read().catch(() => undefined);
    const [event] = await eventsOf(externalId, 1);
    expect(event.status).toBe('success');
    expect(metadataOf(event)).toMatchObject({ ended: 'client_disconnected' });
  });

  it('answers 404 in the documented error shape for an unknown deployment key', async () => {
    const res = await api('POST', '/v2/deployments/invoke', { key: 'no-such-deployment', stream: false, identity: { id: uid('x') } });
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 'not_found', message: 'Deployment "no-such-deployment" not found' });
    const err = await orq()
      .deployments.stream({ key: 'no-such-deployment', identity: { id: uid('x') } })
      .then(() => null, (e: unknown) => e);
    expect((err as APIError).statusCode).toBe(404);
  });
});

describe('the router beyond /v2 chat', () => {
  it('serves /v3/router/chat/completions to the openai client with a top-level identity and thread', async () => {
    const externalId = uid('v3');
    const params = {
      model: 'openai/gpt-4o',
      messages: [{ role: 'user' as const, content: 'hi from v3' }],
      identity: { id: externalId, display_name: 'Version Three' },
      thread: { id: 'thread-42' },
    };
    const completion = await openai('/v3/router').chat.completions.create(params);
    expect(completion.choices[0].message.content).toBe('Hello there');
    const sent = lastUpstream();
    expect(sent).not.toHaveProperty('identity');
    expect(sent).not.toHaveProperty('thread');
    const [event] = await eventsOf(externalId, 1);
    expect(metadataOf(event)).toMatchObject({ thread_id: 'thread-42' });
    expect(await identity(externalId)).toMatchObject({ display_name: 'Version Three' });
  });

  it('answers an unknown /v3 path with a JSON 404, not an HTML page', async () => {
    const res = await fetch(`${server.baseUrl}/v3/router/nothing-here`, { method: 'POST', headers: { authorization: `Bearer ${server.apiKey}` } });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/json');
  });

  it('prices and records /v2/router/embeddings for the identity in orq.identity', async () => {
    const externalId = uid('emb');
    const params = { model: 'openai/text-embedding-3-small', input: ['The quick brown fox', 'jumps over the lazy dog'], orq: { identity: { id: externalId } } };
    const result = await openai('/v2/router').embeddings.create(params);
    expect(result.data).toHaveLength(2);
    expect(lastUpstream()).toMatchObject({ model: 'text-embedding-3-small', input: params.input });
    expect(lastUpstream()).not.toHaveProperty('orq');
    const [event] = await eventsOf(externalId, 1);
    expect(Number(event.inputTokens)).toBe(result.usage.prompt_tokens);
    // text-embedding-3-small: $0.02 per million input tokens
    expect(Number(event.costMicros)).toBeCloseTo(result.usage.prompt_tokens * 0.02, 0);
  });

  it('tries router fallbacks when the provider fails', async () => {
    const externalId = uid('rfb');
    const res = await api('POST', '/v2/router/chat/completions', {
      model: 'openai/broken-model',
      messages: [{ role: 'user', content: 'hi' }],
      fallbacks: [{ model: 'openai/gpt-4o' }],
      orq: { identity: { id: externalId } },
    });
    expect(res.status).toBe(200);
    expect(lastUpstream()).toMatchObject({ model: 'gpt-4o' });
    expect(lastUpstream()).not.toHaveProperty('fallbacks');
    expect((await eventsOf(externalId, 2)).map((e) => e.status)).toEqual(['error', 'success']);
  });

  it("retries the same model under orq's retry while the provider answers one of its codes, then falls back", async () => {
    const call = (externalId: string, extra: Json) =>
      api('POST', '/v2/router/chat/completions', { model: 'openai/broken-model', messages: [{ role: 'user', content: 'hi' }], orq: { identity: { id: externalId } }, ...extra });
    const retried = uid('retry');
    const tried = await call(retried, { retry: { count: 2, on_codes: [500] } });
    expect(tried.status).toBe(500);
    expect((await eventsOf(retried, 3)).map((e) => [e.model, e.status])).toEqual(Array(3).fill(['broken-model', 'error']));
    // Codes it does not name are not retried; a fallback follows the retries.
    const other = uid('retry');
    expect((await call(other, { retry: { count: 2, on_codes: [503] } })).status).toBe(500);
    await eventsOf(other, 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await eventsOf(other, 1)).toHaveLength(1);
    const fellBack = uid('retry');
    const res = await call(fellBack, { orq: { identity: { id: fellBack }, retry: { count: 1 } }, fallbacks: [{ model: 'openai/gpt-4o' }] });
    expect(res.status).toBe(200);
    expect((await eventsOf(fellBack, 3)).map((e) => `${e.model} ${e.status}`).sort()).toEqual(['broken-model error', 'broken-model error', 'gpt-4o success']);
    const bad = await call(uid('retry'), { retry: { count: 9, on_codes: [200] } });
    expect(bad.status).toBe(400);
    expect((bad.body.error as { details: { field: string }[] }).details.map((d) => d.field)).toEqual(['retry.count', 'retry.on_codes.0']);
  });

  it("takes the SDK's deprecated orq.fallbacks and orq.thread on /v2 as their current places do", async () => {
    const externalId = uid('orqfb');
    const res = await api('POST', '/v2/router/chat/completions', {
      model: 'openai/broken-model',
      messages: [{ role: 'user', content: 'hi' }],
      orq: { identity: { id: externalId }, fallbacks: [{ model: 'openai/gpt-4o' }], thread: { id: 'thread-7', tags: ['support'] } },
    });
    expect(res.status).toBe(200);
    expect(lastUpstream()).toMatchObject({ model: 'gpt-4o' });
    expect(lastUpstream()).not.toHaveProperty('orq');
    const events = await eventsOf(externalId, 2);
    expect(events.map((e) => e.status)).toEqual(['error', 'success']);
    for (const event of events) expect(metadataOf(event)).toMatchObject({ thread_id: 'thread-7', thread_tags: ['support'] });
    const bad = await api('POST', '/v2/router/chat/completions', { model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'hi' }], orq: { fallbacks: [{}] } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ details: [{ field: 'orq.fallbacks.0.model' }] });
  });
});

describe('who a call is for', () => {
  it('upserts the identity from the request\'s profile, writing only when something changed', async () => {
    const externalId = uid('ups');
    const call = (who: Json) => api('POST', '/v2/router/chat/completions', { model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'hi' }], orq: { identity: { id: externalId, ...who } } });
    expect((await call({ display_name: 'First Name', tags: ['a'] })).status).toBe(200);
    expect(await identity(externalId)).toMatchObject({ display_name: 'First Name', tags: ['a'] });

    expect((await call({ display_name: 'Second Name', email: 'second@example.com', metadata: [{ plan: 'pro' }, { seats: 3 }] })).status).toBe(200);
    const changed = await identity(externalId);
    expect(changed).toMatchObject({ display_name: 'Second Name', email: 'second@example.com', tags: ['a'], metadata: { plan: 'pro', seats: 3 } });

    expect((await call({ display_name: 'Second Name', metadata: [{ seats: 3, plan: 'pro' }] })).status).toBe(200);
    expect((await call({})).status).toBe(200);
    expect((await identity(externalId)).updated).toBe(changed.updated);
  });

  it('validates the X-ORQ-IDENTITY-ID header like every external id', async () => {
    const res = await api('POST', '/v2/router/chat/completions', { model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'hi' }] }, { headers: { 'x-orq-identity-id': 'x'.repeat(10_000) } });
    expect(res.status).toBe(400);
    expect((res.body.error as { details: { field: string }[] }).details[0].field).toBe('X-ORQ-IDENTITY-ID');
  });

  it('attributes a call without an identity to the API key\'s owner, and refuses it (400) for a key without one', async () => {
    const owner = uid('owner');
    expect((await api('POST', '/v2/identities', { external_id: owner })).status).toBe(201);
    const [{ id: ownerId, workspaceId }] = await queryDb<{ id: string; workspaceId: string }>(server.databaseUrl, 'SELECT "id", "workspaceId" FROM "Identity" WHERE "externalId" = $1', [owner]);
    const secret = `tb_owned_${randomBytes(16).toString('hex')}`;
    await queryDb(
      server.databaseUrl,
      'INSERT INTO "ApiKey" ("id", "workspaceId", "name", "prefix", "hash", "ownerIdentityId", "createdAt") VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [uid('key'), workspaceId, 'Owned key', secret.slice(0, 10), hashApiKey(secret), ownerId, new Date().toISOString()],
      { write: true },
    );

    const completion = await openai('/v3/router', secret).chat.completions.create({ model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'no identity here' }] });
    expect(completion.choices[0].message.content).toBe('Hello there');
    const reply = await orq(secret).deployments.invoke({ key: (await createDeployment({ key: uid('owned'), model: 'openai/gpt-4o' })).key as string, messages: [{ role: 'user', content: 'hi' }] });
    expect(reply?.isFinal).toBe(true);
    expect(await eventsOf(owner, 2)).toHaveLength(2);

    const res = await api('POST', '/v2/router/chat/completions', { model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'hi' }] });
    expect(res.status).toBe(400);
    expect((res.body.error as { details: { field: string }[] }).details[0].field).toBe('orq.identity.id');
  });
});
