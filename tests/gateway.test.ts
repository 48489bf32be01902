// The gateway: POST /v2/router/chat/completions through the official SDK, forwarded to a local fake
// OpenAI-compatible provider, with budgets enforced (429) and every call recorded as usage.
import { describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { APIError } from '@orq-ai/node/models/errors/apierror.js';
import { raw, sdk, uid, type ErrorBody } from './support/api';
import { FAKE_OPENAI_KEY } from './support/fake-openai';
import { eventually } from './support/db';

type Forwarded = { headers: Record<string, string>; body: Record<string, unknown> };
const upstreamRequests = async (): Promise<Forwarded[]> => (await fetch(`${inject('fakeOpenAiUrl').replace(/\/v1$/, '')}/__requests`)).json();

// gpt-4o: $2.50 / M input + $10 / M output; the fake provider reports 1,000 + 500 tokens per call.
const COST_PER_CALL = 0.0075;

/** The identity with its metrics once `requests` calls are recorded (usage is written just after each answer). */
async function metricsOf(externalId: string, requests = 1) {
  const read = async () => (await sdk().identities.retrieve({ id: externalId, includeMetrics: true })).identity;
  return eventually(read, (identity) => (identity.metrics?.totalRequests ?? 0) >= requests);
}

describe('POST /v2/router/chat/completions', () => {
  it('forwards a call for an identity, creates the identity on first use and records priced usage', async () => {
    const externalId = uid('gw');
    const completion = await sdk().router.chat.completions.create({
      model: 'openai/gpt-4o',
      messages: [{ role: 'user', content: 'hi' }],
      orq: { identity: { id: externalId, displayName: 'Gateway User', email: 'gw@example.com', tags: ['gateway'] } },
    });
    expect(completion).toMatchObject({ object: 'chat.completion', choices: [{ message: { role: 'assistant', content: 'Hello there' } }] });

    const forwarded = (await upstreamRequests()).at(-1) as Forwarded;
    expect(forwarded.headers.authorization).toBe(`Bearer ${FAKE_OPENAI_KEY}`);
    expect(forwarded.body.model).toBe('gpt-4o');
    expect(forwarded.body).not.toHaveProperty('orq');
    expect(forwarded.body.messages).toEqual([{ role: 'user', content: 'hi' }]);

    const identity = await metricsOf(externalId);
    expect(identity).toMatchObject({ externalId, displayName: 'Gateway User', email: 'gw@example.com', tags: ['gateway'] });
    expect(identity.metrics).toEqual({ totalRequests: 1, totalTokens: 1500, totalCost: COST_PER_CALL, errorRate: 0 });
    const wire = await raw<{ identity: { source: string } }>('GET', `/v2/identities/${externalId}`);
    expect(wire.body.identity.source).toBe('gateway');
  });

  it('streams the provider\'s events through and counts the streamed call', async () => {
    const externalId = uid('gws');
    const stream = await sdk().router.chat.completions.create({
      model: 'openai/gpt-4o',
      messages: [{ role: 'user', content: 'stream please' }],
      stream: true,
      orq: { identity: { id: externalId } },
    });
    let text = '';
    for await (const event of stream as AsyncIterable<{ data?: { choices?: { delta?: { content?: string } }[] } }>) {
      text += event.data?.choices?.[0]?.delta?.content ?? '';
    }
    expect(text).toBe('Hello there');
    const forwarded = (await upstreamRequests()).at(-1) as Forwarded;
    expect(forwarded.body.stream).toBe(true);
    expect(forwarded.body.stream_options).toEqual({ include_usage: true });
    expect((await metricsOf(externalId)).metrics).toEqual({ totalRequests: 1, totalTokens: 1500, totalCost: COST_PER_CALL, errorRate: 0 });
  });

  it('answers 429 once the identity\'s budget is spent, without calling the provider, until reset', async () => {
    const externalId = uid('gwb');
    await sdk().identities.create({ externalId });
    const { budget } = await sdk().budgets.create({
      scope: { identity: { identityExternalId: externalId } },
      limits: { period: 'BUDGET_PERIOD_DAILY', amount: 0.01 },
    });
    const call = () =>
      sdk().router.chat.completions.create({ model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'hi' }], orq: { identity: { id: externalId } } });
    await call(); // $0.0075 of $0.01
    await call(); // $0.015: over the limit now
    const before = (await upstreamRequests()).length;
    const err = await call().then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(APIError);
    expect((err as APIError).statusCode).toBe(429);
    expect(JSON.parse((err as APIError).body).error.code).toBe('budget_exceeded');
    expect(Number((err as APIError).headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await upstreamRequests()).length).toBe(before);
    expect((await metricsOf(externalId, 2)).metrics?.totalRequests).toBe(2);

    await sdk().budgets.resetConsumption({ budgetId: budget.budgetId, resetBudgetConsumptionRequest: {} });
    await expect(call()).resolves.toMatchObject({ object: 'chat.completion' });
  });

  it('enforces the budget\'s requests-per-minute limit', async () => {
    const externalId = uid('gwr');
    await sdk().identities.create({ externalId });
    await sdk().budgets.create({ scope: { identity: { identityExternalId: externalId } }, rateLimit: { requestsPerMinute: 2 } });
    const body = { model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'hi' }], orq: { identity: { id: externalId } } };
    expect((await raw('POST', '/v2/router/chat/completions', { body })).status).toBe(200);
    expect((await raw('POST', '/v2/router/chat/completions', { body })).status).toBe(200);
    const limited = await raw<ErrorBody>('POST', '/v2/router/chat/completions', { body });
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('rate_limited');
  });

  it('passes a provider error through and counts it towards the error rate', async () => {
    const externalId = uid('gwe');
    const failed = await raw<{ error: { message: string } }>('POST', '/v2/router/chat/completions', {
      body: { model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'fail' }], orq: { identity: { id: externalId } } },
    });
    expect(failed.status).toBe(500);
    expect(failed.body.error.message).toBe('upstream exploded');
    const ok = await raw('POST', '/v2/router/chat/completions', {
      body: { model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'hi' }], orq: { identity: { id: externalId } } },
    });
    expect(ok.status).toBe(200);
    expect((await metricsOf(externalId, 2)).metrics).toMatchObject({ totalRequests: 2, errorRate: 0.5 });
  });

  it('takes the identity from the X-ORQ-IDENTITY-ID header too', async () => {
    const externalId = uid('gwh');
    const res = await raw('POST', '/v2/router/chat/completions', {
      body: { model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'hi' }] },
      headers: { 'x-orq-identity-id': externalId },
    });
    expect(res.status).toBe(200);
    expect((await metricsOf(externalId)).metrics?.totalRequests).toBe(1);
  });

  it.each([
    ['too long', 'x'.repeat(10_000)],
    ['blank', '   '],
  ])('validates the X-ORQ-IDENTITY-ID header like any external id (%s)', async (_case, value) => {
    const res = await raw<ErrorBody>('POST', '/v2/router/chat/completions', {
      body: { model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'hi' }] },
      headers: { 'x-orq-identity-id': value },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d) => d.field)).toEqual(['X-ORQ-IDENTITY-ID']);
  });

  it.each([
    ['no identity', { model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'hi' }] }, 'orq.identity.id'],
    ['a model without provider', { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], orq: { identity: { id: 'x' } } }, 'model'],
    ['an unconfigured provider', { model: 'acme/llm-1', messages: [{ role: 'user', content: 'hi' }], orq: { identity: { id: 'x' } } }, 'model'],
    ['no messages', { model: 'openai/gpt-4o', messages: [], orq: { identity: { id: 'x' } } }, 'messages'],
  ])('rejects %s with 400 naming the field', async (_case, body, field) => {
    const res = await raw<ErrorBody>('POST', '/v2/router/chat/completions', { body });
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d) => d.field)).toContain(field);
  });

  it('needs an API key', async () => {
    const res = await raw('POST', '/v2/router/chat/completions', { body: { model: 'openai/gpt-4o', messages: [] }, key: null });
    expect(res.status).toBe(401);
  });
});
