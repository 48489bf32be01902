// API key scope over real HTTP: a read-only key reads and checks budgets; every change and every call that spends is
// refused with 403 naming the reason, on each path that authenticates keys (v2 and v3 router, deployments, ingest).
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { hashApiKey } from '../lib/api-keys/crypto';
import { queryDb } from './support/db';
import { FAKE_OPENAI_KEY, startFakeOpenAi, type FakeOpenAi } from './support/fake-openai';
import { startServer, type TestServer } from './support/server';

let fake: FakeOpenAi;
let server: TestServer;
const readOnlyKey = `tb_${randomBytes(32).toString('base64url')}`;
const externalId = `ro-${randomBytes(4).toString('hex')}`;
let identityId = '';
let budgetId = '';

type Answer = { status: number; body: { error?: { code: string; message: string } } & Record<string, unknown> };

async function call(method: string, path: string, key: string, body?: unknown): Promise<Answer> {
  const res = await fetch(`${server.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : {} };
}

beforeAll(async () => {
  fake = await startFakeOpenAi();
  server = await startServer({ env: { TOLLBOOTH_PROVIDER_OPENAI_BASE_URL: fake.url, TOLLBOOTH_PROVIDER_OPENAI_API_KEY: FAKE_OPENAI_KEY } });
  // Set up with the root key (read & write): an identity with a budget, and a deployment.
  const created = await call('POST', '/v2/identities', server.apiKey, { external_id: externalId, display_name: 'Read-only target' });
  expect(created.status).toBe(201);
  identityId = (created.body.identity as { _id: string })._id;
  const budget = await call('POST', '/v2/budgets', server.apiKey, { scope: { identity: { identity_external_id: externalId } }, limits: { period: 'BUDGET_PERIOD_MONTHLY', amount: 50 } });
  expect(budget.status, JSON.stringify(budget.body)).toBe(200);
  budgetId = (budget.body.budget as { budgetId: string }).budgetId;
  const deployment = await call('POST', '/v2/deployments', server.apiKey, { key: 'ro-deploy', model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] });
  expect(deployment.status, JSON.stringify(deployment.body)).toBe(201);
  // A read-only key, as the Studio's create form stores it (the API has no key endpoints).
  const [{ id: workspaceId }] = await queryDb<{ id: string }>(server.databaseUrl, 'SELECT "id" FROM "Workspace" LIMIT 1');
  await queryDb(
    server.databaseUrl,
    'INSERT INTO "ApiKey" ("id", "workspaceId", "name", "prefix", "hash", "createdBy", "createdAt", "scope") VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
    [`key_ro_${randomBytes(4).toString('hex')}`, workspaceId, 'Dashboard (read-only)', readOnlyKey.slice(0, 7), hashApiKey(readOnlyKey), 'user:admin@example.test', new Date().toISOString(), 'read_only'],
    { write: true },
  );
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await fake?.close();
});

describe('a read-only API key', () => {
  test('reads identities, budgets and deployments, and checks usage without reserving', async () => {
    const list = await call('GET', '/v2/identities', readOnlyKey);
    expect(list.status).toBe(200);
    expect(JSON.stringify(list.body)).toContain(externalId);
    expect((await call('GET', `/v2/identities/${identityId}`, readOnlyKey)).status).toBe(200);
    const budgets = await call('GET', '/v2/budgets', readOnlyKey);
    expect(budgets.status).toBe(200);
    expect(JSON.stringify(budgets.body)).toContain(budgetId);
    expect((await call('GET', `/v2/budgets/${budgetId}`, readOnlyKey)).status).toBe(200);
    expect((await call('GET', '/v2/deployments', readOnlyKey)).status).toBe(200);
    const check = await call('POST', '/v2/usage/check', readOnlyKey, { external_id: externalId });
    expect(check.status, JSON.stringify(check.body)).toBe(200);
    expect(check.body).toMatchObject({ allowed: true, external_id: externalId });
    expect((await call('POST', '/v2/deployments/get_config', readOnlyKey, { key: 'ro-deploy' })).status).toBe(200);
  });

  const refused: [string, string, () => unknown][] = [
    ['POST', '/v2/identities', () => ({ external_id: `${externalId}-new` })],
    ['PATCH', '/v2/identities/{identity}', () => ({ display_name: 'Renamed' })],
    ['DELETE', '/v2/identities/{identity}', () => undefined],
    ['POST', '/v2/budgets', () => ({ scope: { workspace: {} }, limits: { period: 'BUDGET_PERIOD_DAILY', amount: 1 } })],
    ['PATCH', '/v2/budgets/{budget}', () => ({ limits: { amount: 1 } })],
    ['DELETE', '/v2/budgets/{budget}', () => undefined],
    ['POST', '/v2/budgets/{budget}/reset-consumption', () => undefined],
    ['POST', '/v2/usage', () => ({ external_id: externalId, model: 'gpt-4o', provider: 'openai', input_tokens: 10, output_tokens: 5 })],
    ['POST', '/v2/usage/check', () => ({ external_id: externalId, reserve: { model: 'gpt-4o', provider: 'openai', input_tokens: 10, max_output_tokens: 10 } })],
    ['POST', '/v2/router/chat/completions', () => ({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], orq: { identity: { id: externalId } } })],
    ['POST', '/v3/router/chat/completions', () => ({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] })],
    ['POST', '/v2/router/embeddings', () => ({ model: 'openai/text-embedding-3-small', input: 'hi' })],
    ['POST', '/v2/deployments/invoke', () => ({ key: 'ro-deploy' })],
    ['POST', '/v2/deployments/stream', () => ({ key: 'ro-deploy' })],
    ['POST', '/v2/prices', () => ({ provider: 'openai', model: 'ro-model', input_per_million: 1, output_per_million: 2 })],
    ['PATCH', '/v2/settings', () => ({ allow_unpriced_calls: true })],
    ['POST', '/v2/providers', () => ({ name: 'ro-provider', kind: 'openai', base_url: 'http://127.0.0.1:9/v1' })],
  ];

  test.each(refused)('%s %s → 403 forbidden "read-only"', async (method, template, body) => {
    const before = fake.requests().length;
    const path = template.replace('{identity}', identityId).replace('{budget}', budgetId);
    const answer = await call(method, path, readOnlyKey, body());
    expect(answer.status, JSON.stringify(answer.body)).toBe(403);
    expect(answer.body.error).toMatchObject({ code: 'forbidden', message: expect.stringContaining('This API key is read-only') });
    // Refused before anything reached the provider.
    expect(fake.requests().length).toBe(before);
  });

  test('nothing changed, and the same writes work with a read & write key', async () => {
    const identity = await call('GET', `/v2/identities/${identityId}`, readOnlyKey);
    expect(identity.body.identity ?? identity.body).toMatchObject({ external_id: externalId, display_name: 'Read-only target' });
    expect((await call('GET', `/v2/identities/${externalId}-new`, server.apiKey)).status).toBe(404);
    const usage = await queryDb<{ n: number | string }>(server.databaseUrl, 'SELECT COUNT(*) AS n FROM "UsageEvent"');
    expect(Number(usage[0].n)).toBe(0);

    expect((await call('PATCH', `/v2/identities/${identityId}`, server.apiKey, { display_name: 'Renamed' })).status).toBe(200);
    const chat = await call('POST', '/v2/router/chat/completions', server.apiKey, { model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], orq: { identity: { id: externalId } } });
    expect(chat.status, JSON.stringify(chat.body)).toBe(200);
  });
});
