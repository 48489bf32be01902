// Without TOLLBOOTH_TEST_CLOCK=1 the x-tollbooth-now header must be ignored (otherwise callers could dodge budgets).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Orq } from '@orq-ai/node';
import { startServer, type TestServer } from './support/server';
import { uid } from './support/api';

let server: TestServer;

beforeAll(async () => {
  server = await startServer({ testClock: false });
});

afterAll(async () => {
  await server?.stop();
});

describe('a server started without TOLLBOOTH_TEST_CLOCK', () => {
  it('ignores x-tollbooth-now for event timestamps, metrics and budget windows', async () => {
    const headers = { authorization: `Bearer ${server.apiKey}`, 'content-type': 'application/json', 'x-tollbooth-now': '2040-01-01T12:00:00Z' };
    const orq = new Orq({ apiKey: server.apiKey, serverURL: server.baseUrl });
    const externalId = uid('clockoff');
    await orq.identities.create({ externalId });
    const { budget } = await orq.budgets.create(
      { scope: { identity: { identityExternalId: externalId } }, limits: { period: 'BUDGET_PERIOD_DAILY', amount: 1 } },
      { headers: { 'x-tollbooth-now': '2040-01-01T12:00:00Z' } },
    );

    const res = await fetch(`${server.baseUrl}/v2/usage`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ events: [{ event_id: uid('ev'), external_id: externalId, model: 'm', cost: 0.25, input_tokens: 1, output_tokens: 1 }] }),
    });
    expect(res.status).toBe(200);

    // The event was stamped with the real time, so today's window (real clock) sees it, even when a pinned header is sent.
    const pinned = { headers: { 'x-tollbooth-now': '2040-01-01T12:00:00Z' } };
    expect((await orq.budgets.get({ budgetId: budget.budgetId }, pinned)).budget.usage).toEqual({ amount: 0.25, tokens: 2, requests: 1 });
    const metrics = (await orq.identities.retrieve({ id: externalId, includeMetrics: true }, pinned)).identity.metrics;
    expect(metrics?.totalRequests).toBe(1);

    // A past expiry is judged against the real clock as well.
    const other = uid('clockoff2');
    await orq.identities.create({ externalId: other });
    const expired = await fetch(`${server.baseUrl}/v2/budgets`, {
      method: 'POST',
      headers: { ...headers, 'x-tollbooth-now': '2000-01-01T00:00:00Z' },
      body: JSON.stringify({ scope: { identity: { identity_external_id: other } }, limits: { amount: 1 }, expires_at: '2001-01-01T00:00:00Z' }),
    });
    expect(expired.status).toBe(422);
  });
});
