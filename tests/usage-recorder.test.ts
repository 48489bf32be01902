// The gateway writes its calls' usage after the answers, gathering the calls that end within TOLLBOOTH_USAGE_BATCH_MS
// into one transaction. Nothing that needs the usage waits for the gathering: here the window is a minute (longer than
// a test may take), so a call that needed it would time the test out.
// - A call refused while the calls that ended before it are still queued has them written at once and is decided
//   again on their real cost (each call holds more than it costs: max_tokens 1,000, the provider produces 500).
// - A server stopped with SIGTERM writes what is queued and exits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './support/server';
import { FAKE_OPENAI_KEY, startFakeOpenAi, type FakeOpenAi } from './support/fake-openai';
import { queryDb } from './support/db';
import { uid } from './support/api';

let fake: FakeOpenAi;
let server: TestServer;
let stopped = false;

async function api(method: string, path: string, body?: unknown) {
  const res = await fetch(`${server.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${server.apiKey}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const chat = async (externalId: string) => {
  const res = await fetch(`${server.baseUrl}/v2/router/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'hi' }], max_tokens: 1000, orq: { identity: { id: externalId } } }),
  });
  await res.arrayBuffer();
  return res.status;
};

const eventsOf = (externalId: string) =>
  queryDb<{ outputTokens: number | string; createdAt: unknown }>(
    server.databaseUrl,
    'SELECT e."outputTokens", e."createdAt" FROM "UsageEvent" e JOIN "Identity" i ON i."id" = e."identityId" WHERE i."externalId" = $1',
    [externalId],
  );

beforeAll(async () => {
  // Fixed usage: 1,000 prompt and 500 completion tokens a call, $0.0075 with gpt-4o.
  fake = await startFakeOpenAi();
  server = await startServer({
    env: { TOLLBOOTH_PROVIDER_OPENAI_BASE_URL: fake.url, TOLLBOOTH_PROVIDER_OPENAI_API_KEY: FAKE_OPENAI_KEY, TOLLBOOTH_USAGE_BATCH_MS: '60000' },
  });
}, 120_000);

afterAll(async () => {
  if (!stopped) await server?.stop();
  await fake?.close();
});

describe('usage written after the answer, gathered', () => {
  it('a refused call has the queued usage of its budget written at once, and is decided on the real spend', async () => {
    const externalId = uid('gather');
    expect((await api('POST', '/v2/identities', { external_id: externalId })).status).toBe(201);
    // $0.009: the first call holds ~$0.010 (1,000 output tokens), costs $0.0075 — room for a second one once settled.
    const budget = await api('POST', '/v2/budgets', { scope: { identity: { identity_external_id: externalId } }, limits: { period: 'BUDGET_PERIOD_YEARLY', amount: 0.009 } });
    expect(budget.status).toBe(200);
    expect(await chat(externalId)).toBe(200);
    // Queued, not written: the window is a minute.
    expect(await eventsOf(externalId)).toHaveLength(0);
    expect(await chat(externalId)).toBe(200);
    expect(await chat(externalId)).toBe(429);
    const events = await eventsOf(externalId);
    expect(events).toHaveLength(2);
    for (const e of events) expect(Number(e.outputTokens)).toBe(500);
    expect(fake.requests().length).toBe(2);
  });

  it('calls that end within the window are written together, and SIGTERM writes them without waiting it out', async () => {
    const externalId = uid('flush');
    expect(await chat(externalId)).toBe(200);
    expect(await chat(externalId)).toBe(200);
    expect(await eventsOf(externalId)).toHaveLength(0);
    stopped = true;
    await server.terminate();
    expect(server.log()).not.toContain('could not record');
    const events = await eventsOf(externalId);
    expect(events).toHaveLength(2);
    // One transaction: both rows carry its time.
    expect(String(events[0].createdAt)).toBe(String(events[1].createdAt));
  });
});
