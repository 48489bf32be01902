// SIGTERM stops a server gracefully: usage still queued is written, and a stream still open when the
// grace period ends is closed and settled like a client that went away (its streamed text counted),
// so nothing is lost and no budget stays held until reservations expire.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './support/server';
import { FAKE_OPENAI_KEY, startFakeOpenAi, type FakeOpenAi } from './support/fake-openai';
import { eventually, queryDb } from './support/db';

let fake: FakeOpenAi;
const servers: TestServer[] = [];
const env = () => ({ TOLLBOOTH_PROVIDER_OPENAI_BASE_URL: fake.url, TOLLBOOTH_PROVIDER_OPENAI_API_KEY: FAKE_OPENAI_KEY, TOLLBOOTH_SHUTDOWN_GRACE_MS: '1000' });

const chat = (server: TestServer, content: string, stream = false) =>
  fetch(`${server.baseUrl}/v2/router/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'openai/gpt-4o', messages: [{ role: 'user', content }], max_tokens: 100, stream, orq: { identity: { id: 'shutdown' } } }),
  });

beforeAll(async () => {
  fake = await startFakeOpenAi();
});

afterAll(async () => {
  for (const server of servers.reverse()) await server.stop();
  await fake?.close();
});

describe('SIGTERM', () => {
  it('writes queued usage and settles the streams still open before exiting', async () => {
    const first = await startServer({ env: env() });
    servers.push(first);
    // A budget makes every call hold a reservation until it is settled.
    const budget = await fetch(`${first.baseUrl}/v2/budgets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${first.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ scope: { workspace: {} }, limits: { period: 'BUDGET_PERIOD_YEARLY', amount: 100 } }),
    });
    expect(budget.status).toBe(200);
    expect((await chat(first, 'hi')).status).toBe(200);
    const before = fake.requests().length;
    const hanging = await chat(first, 'hang', true);
    expect(hanging.status).toBe(200);
    await eventually(async () => fake.requests().length, (n) => n > before);
    // Stop while the JSON call's usage may still be queued and the stream is open.
    await first.terminate();
    await hanging.body?.cancel().catch(() => undefined);
    expect(first.log()).not.toContain('could not write usage');

    const rows = await queryDb<{ status: string; outputTokens: number | string; metadata: unknown }>(
      first.databaseUrl,
      'SELECT e."status", e."outputTokens", e."metadata" FROM "UsageEvent" e JOIN "Identity" i ON i."id" = e."identityId" WHERE i."externalId" = $1 ORDER BY e."createdAt"',
      ['shutdown'],
    );
    expect(rows).toHaveLength(2);
    // The stream was cut by the shutdown: what it had produced (ten words) is counted.
    expect(Number(rows[1].outputTokens)).toBeGreaterThan(0);
    const held = await queryDb<{ n: number | string }>(first.databaseUrl, 'SELECT COUNT(*) AS n FROM "Reservation"');
    expect(Number(held[0].n)).toBe(0);
  }, 60_000);
});
