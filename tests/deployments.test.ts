// Deployments over real HTTP: CRUD, validation, conflicts, and the official SDK's deployments.list / getConfig;
// then the Studio's read model (30-day metrics, daily usage, callers) on this run's database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import pg from 'pg';
import { ISO_UTC, raw, sdk, uid, type ErrorBody, type Json } from './support/api';
import { startServer, type TestServer } from './support/server';

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

type WireDeployment = {
  id: string;
  key: string;
  description: string;
  model: string;
  parameters: Json;
  messages: { role: string; content: string }[];
  fallbacks: string[];
  version: string;
  prompt_config: Json;
  created: string;
  updated: string;
};
type Envelope = { deployment: WireDeployment };
type ListBody = { object: string; data: WireDeployment[]; has_more: boolean };

async function create(body: Json): Promise<WireDeployment> {
  const res = await raw<Envelope>('POST', '/v2/deployments', { body });
  if (res.status !== 201) throw new Error(`POST /v2/deployments answered ${res.status}: ${res.text}`);
  return res.body.deployment;
}

const supportBot = (key: string): Json => ({
  key,
  model: 'openai/gpt-4o',
  description: 'Answers support questions',
  messages: [
    { role: 'system', content: 'You help {{customer}} of {{ company }}. Tier: {{tier}}.' },
    { role: 'user', content: 'Order {{order_id}}: {{question}}' },
  ],
  parameters: { temperature: 0.2, max_tokens: 300, top_p: 0.9, seed: 7 },
  fallbacks: ['anthropic/claude-3-5-haiku-latest', 'groq/llama-3.1-8b-instant'],
});

describe('deployments over HTTP', () => {
  it('creates (201), reads by id and by key, updates (version up), deletes', async () => {
    const key = uid('support.bot');
    const created = await create(supportBot(key));
    expect(created).toEqual({
      id: expect.stringMatching(ULID),
      key,
      description: 'Answers support questions',
      model: 'openai/gpt-4o',
      parameters: { temperature: 0.2, max_tokens: 300, top_p: 0.9, seed: 7 },
      messages: supportBot(key).messages,
      fallbacks: ['anthropic/claude-3-5-haiku-latest', 'groq/llama-3.1-8b-instant'],
      version: '1',
      prompt_config: {
        tools: [],
        model: 'gpt-4o',
        model_type: 'chat',
        model_parameters: { temperature: 0.2, maxTokens: 300, topP: 0.9, seed: 7 },
        provider: 'openai',
        messages: supportBot(key).messages,
      },
      created: expect.stringMatching(ISO_UTC),
      updated: expect.stringMatching(ISO_UTC),
    });

    const byId = await raw<Envelope>('GET', `/v2/deployments/${created.id}`);
    expect(byId.status).toBe(200);
    expect(byId.contentType).toMatch(/^application\/json/);
    expect(byId.body.deployment).toEqual(created);
    const byKey = await raw<Envelope>('GET', `/v2/deployments/${encodeURIComponent(key)}`);
    expect(byKey.body.deployment).toEqual(created);

    const patched = await raw<Envelope>('PATCH', `/v2/deployments/${created.id}`, {
      body: { model: 'Mistral/mistral-large-latest', parameters: { temperature: 1 }, fallbacks: ['openai/gpt-4o-mini'] },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.deployment).toMatchObject({
      id: created.id,
      key,
      model: 'mistral/mistral-large-latest',
      parameters: { temperature: 1 },
      fallbacks: ['openai/gpt-4o-mini'],
      messages: created.messages,
      description: created.description,
      version: '2',
      prompt_config: { provider: 'mistral', model: 'mistral-large-latest', model_parameters: { temperature: 1 } },
    });
    expect(Date.parse(patched.body.deployment.updated)).toBeGreaterThanOrEqual(Date.parse(created.updated));

    // null clears; every change bumps the version; an empty PATCH changes nothing.
    const cleared = await raw<Envelope>('PATCH', `/v2/deployments/${key}`, { body: { messages: null, description: null, fallbacks: null } });
    expect(cleared.body.deployment).toMatchObject({ messages: [], description: '', fallbacks: [], version: '3', prompt_config: { messages: [] } });
    const unchanged = await raw<Envelope>('PATCH', `/v2/deployments/${key}`, { body: {} });
    expect(unchanged.body.deployment.version).toBe('3');
    const same = await raw<Envelope>('PATCH', `/v2/deployments/${key}`, { body: { model: 'mistral/mistral-large-latest', parameters: { temperature: 1 }, messages: [] } });
    expect(same.body.deployment).toEqual(cleared.body.deployment);

    const renamed = await raw<Envelope>('PATCH', `/v2/deployments/${created.id}`, { body: { key: `${key}-v2` } });
    expect(renamed.body.deployment).toMatchObject({ key: `${key}-v2`, version: '4' });
    expect((await raw('GET', `/v2/deployments/${key}`)).status).toBe(404);

    const deleted = await raw('DELETE', `/v2/deployments/${created.id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({});
    const gone = await raw<ErrorBody>('GET', `/v2/deployments/${created.id}`);
    expect(gone.status).toBe(404);
    expect(gone.body.error).toMatchObject({ code: 'not_found' });
    expect((await raw('DELETE', `/v2/deployments/${created.id}`)).status).toBe(404);
    expect((await raw('PATCH', `/v2/deployments/${created.id}`, { body: { description: 'x' } })).status).toBe(404);
  });

  it('a minimal deployment has empty lists and no parameters', async () => {
    const key = uid('min');
    const created = await create({ key, model: 'groq/llama-3.1-8b-instant' });
    expect(created).toMatchObject({ key, description: '', messages: [], parameters: {}, fallbacks: [], version: '1' });
    expect(created.prompt_config).toEqual({ tools: [], model: 'llama-3.1-8b-instant', model_type: 'chat', model_parameters: {}, provider: 'groq', messages: [] });
  });

  it('a duplicate key is a 409 naming key, on create and on rename', async () => {
    const key = uid('dup');
    const first = await create({ key, model: 'openai/gpt-4o' });
    const again = await raw<ErrorBody>('POST', '/v2/deployments', { body: { key, model: 'openai/gpt-4o-mini' } });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'conflict', details: [{ field: 'key', issue: `a deployment with key "${key}" already exists` }] });

    const other = await create({ key: uid('dup-other'), model: 'openai/gpt-4o' });
    const rename = await raw<ErrorBody>('PATCH', `/v2/deployments/${other.id}`, { body: { key } });
    expect(rename.status).toBe(409);
    expect(rename.body.error.details).toEqual([{ field: 'key', issue: expect.stringContaining('already exists') }]);
    // The same key in another case is another key.
    expect((await raw('POST', '/v2/deployments', { body: { key: key.toUpperCase(), model: 'openai/gpt-4o' } })).status).toBe(201);
    expect((await raw<Envelope>('GET', `/v2/deployments/${first.id}`)).body.deployment.key).toBe(key);
  });

  const badInputs: [string, Json | string, string, string][] = [
    ['no key', { model: 'openai/gpt-4o' }, 'key', 'is required'],
    ['a key with a space', { key: 'has space', model: 'openai/gpt-4o' }, 'key', 'must start with a letter or digit'],
    ['a key like an id', { key: '01JD0000000000000000000000', model: 'openai/gpt-4o' }, 'key', 'cannot look like a deployment id'],
    ['no model', { key: 'k1' }, 'model', 'is required'],
    ['a model without provider', { key: 'k1', model: 'gpt-4o' }, 'model', 'must be "provider/model"'],
    ['an unknown role', { key: 'k1', model: 'a/b', messages: [{ role: 'robot', content: 'x' }] }, 'messages.0.role', 'must be one of'],
    ['an empty message', { key: 'k1', model: 'a/b', messages: [{ role: 'user', content: '' }] }, 'messages.0.content', 'cannot be empty'],
    ['a temperature of 3', { key: 'k1', model: 'a/b', parameters: { temperature: 3 } }, 'parameters.temperature', 'must be between 0 and 2'],
    ['a camelCase parameter', { key: 'k1', model: 'a/b', parameters: { maxTokens: 3 } }, 'parameters.maxTokens', 'snake_case'],
    ['stream as a parameter', { key: 'k1', model: 'a/b', parameters: { stream: true } }, 'parameters.stream', 'set per call'],
    ['a fallback without provider', { key: 'k1', model: 'a/b', fallbacks: ['c'] }, 'fallbacks.0', 'must be "provider/model"'],
    ['the primary as fallback', { key: 'k1', model: 'a/b', fallbacks: ['A/b'] }, 'fallbacks.0', 'already the primary model'],
    ['malformed JSON', '{"key": ', '(body)', 'is not valid JSON'],
  ];

  it.each(badInputs)('POST with %s → 400 naming %s', async (_name, body, field, issue) => {
    const res = await raw<ErrorBody>('POST', '/v2/deployments', { body });
    expect(res.status).toBe(400);
    expect(['invalid_request', 'invalid_json']).toContain(res.body.error.code);
    expect(res.body.error.details).toContainEqual({ field, issue: expect.stringContaining(issue) });
  });

  it('PATCH validates too, and a model equal to a fallback names the model', async () => {
    const d = await create({ key: uid('patch'), model: 'openai/gpt-4o', fallbacks: ['groq/llama'] });
    const bad = await raw<ErrorBody>('PATCH', `/v2/deployments/${d.id}`, { body: { model: 'nope', parameters: { top_p: 2 } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((x) => x.field).sort()).toEqual(['model', 'parameters.top_p']);
    const clash = await raw<ErrorBody>('PATCH', `/v2/deployments/${d.id}`, { body: { model: 'groq/llama' } });
    expect(clash.status).toBe(400);
    expect(clash.body.error.details).toEqual([{ field: 'model', issue: expect.stringContaining('fallback 1') }]);
  });

  it('lists newest first with cursors, in the shape orq sends', async () => {
    for (let i = 0; i < 3; i++) await create({ key: uid(`page${i}`), model: 'openai/gpt-4o' });
    const all = await raw<ListBody>('GET', '/v2/deployments?limit=50');
    expect(all.status).toBe(200);
    expect(all.body.object).toBe('list');
    const ids = all.body.data.map((d) => d.id);
    expect(ids.length).toBeGreaterThanOrEqual(3);
    expect([...ids].sort().reverse()).toEqual(ids);

    const seen: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await raw<ListBody>('GET', `/v2/deployments?limit=2${after ? `&starting_after=${after}` : ''}`);
      expect(page.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.data.map((d) => d.id));
      if (!page.body.has_more) break;
      after = page.body.data[page.body.data.length - 1].id;
    }
    expect(seen.slice(0, ids.length)).toEqual(ids);

    const before = await raw<ListBody>('GET', `/v2/deployments?limit=2&ending_before=${ids[2]}`);
    expect(before.body.data.map((d) => d.id)).toEqual([ids[0], ids[1]]);
    expect((await raw<ListBody>('GET', '/v2/deployments')).body.data.length).toBeLessThanOrEqual(10);

    for (const [query, field] of [
      ['limit=0', 'limit'],
      ['limit=51', 'limit'],
      ['starting_after=nope', 'starting_after'],
      [`starting_after=${ids[0]}&ending_before=${ids[1]}`, 'ending_before'],
    ]) {
      const res = await raw<ErrorBody>('GET', `/v2/deployments?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error.details[0].field).toBe(field);
    }
  });

  it('needs an API key; other methods are 405', async () => {
    expect((await raw('GET', '/v2/deployments', { key: null })).status).toBe(401);
    expect((await raw('POST', '/v2/deployments/get_config', { key: null, body: { key: 'x' } })).status).toBe(401);
    expect((await raw('GET', '/v2/deployments/get_config')).status).toBe(405);
    expect((await raw('PUT', '/v2/deployments', { body: {} })).status).toBe(405);
  });
});

describe('deployments via the SDK', () => {
  it('deployments.list parses every deployment, with its prompt config', async () => {
    const key = uid('sdk-list');
    const created = await create({ ...supportBot(key), model: 'e2e/custom-model', fallbacks: [] });
    const orq = sdk();
    const page = await orq.deployments.list({ limit: 50 });
    expect(page.object).toBe('list');
    const item = page.data.find((d) => d.id === created.id);
    expect(item).toEqual({
      id: created.id,
      created: created.created,
      updated: created.updated,
      key,
      description: 'Answers support questions',
      version: '1',
      promptConfig: {
        tools: [],
        model: 'custom-model',
        modelType: 'chat',
        modelParameters: { temperature: 0.2, maxTokens: 300, topP: 0.9, seed: 7 },
        provider: 'openailike',
        messages: supportBot(key).messages,
      },
    });
    const defaults = await orq.deployments.list();
    expect(defaults.data.length).toBeLessThanOrEqual(10);
    const small = await orq.deployments.list({ limit: 1 });
    expect(small.data).toHaveLength(1);
    expect(small.hasMore).toBe(true);
    const next = await orq.deployments.list({ limit: 1, startingAfter: small.data[0].id });
    expect(next.data[0].id < small.data[0].id).toBe(true);
  });

  it('deployments.getConfig fills the prompt from inputs and adds the call messages', async () => {
    const key = uid('sdk-config');
    const created = await create(supportBot(key));
    const config = await sdk().deployments.getConfig({
      key,
      inputs: { customer: 'Ada', company: 'Acme', order_id: 42, question: 'Where is my parcel?' },
      prefixMessages: [{ role: 'user', content: 'Earlier: hello' }],
      messages: [{ role: 'user', content: 'Any news?' }],
      extraParams: { temperature: 0.9, presence_penalty: 0.5 },
      identity: { id: 'user_1' },
      metadata: { a: 1 },
    });
    expect(config).toEqual({
      id: created.id,
      provider: 'openai',
      model: 'gpt-4o',
      type: 'chat',
      version: '1',
      messages: [
        { role: 'system', content: 'You help Ada of Acme. Tier: {{tier}}.' },
        { role: 'user', content: 'Earlier: hello' },
        { role: 'user', content: 'Order 42: Where is my parcel?' },
        { role: 'user', content: 'Any news?' },
      ],
      parameters: { temperature: 0.9, maxTokens: 300, topP: 0.9, seed: 7, presencePenalty: 0.5 },
    });

    // Raw, the same answer carries Tollbooth's key and fallbacks too.
    const res = await raw<Json>('POST', '/v2/deployments/get_config', { body: { key, inputs: { tier: 'gold' } } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ key, fallbacks: ['anthropic/claude-3-5-haiku-latest', 'groq/llama-3.1-8b-instant'] });
    expect((res.body.messages as { content: string }[])[0].content).toBe('You help {{customer}} of {{ company }}. Tier: gold.');
  });

  it('an unknown key is a 404 in the documented error shape', async () => {
    const key = uid('missing');
    await expect(sdk().deployments.getConfig({ key })).rejects.toMatchObject({ name: 'APIError', statusCode: 404 });
    const res = await raw<ErrorBody>('POST', '/v2/deployments/get_config', { body: { key } });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { code: 'not_found', message: `Deployment "${key}" not found`, details: [] } });
    const bad = await raw<ErrorBody>('POST', '/v2/deployments/get_config', { body: { inputs: [] } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d) => d.field)).toEqual(['key', 'inputs']);
  });
});

/** One write to a test server's database (for what no API sets yet: an event's deploymentId). */
async function execDb(databaseUrl: string, sql: string, params: unknown[]): Promise<void> {
  if (databaseUrl.startsWith('file:')) {
    const db = new Database(databaseUrl.slice('file:'.length));
    try {
      db.pragma('busy_timeout = 5000');
      db.prepare(sql.replace(/\$\d+/g, '?')).run(...params);
    } finally {
      db.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(sql, params);
  } finally {
    await client.end();
  }
}

describe('the Studio read model of deployments', () => {
  // A server of its own: the read model is imported here and reads that server's database.
  let server: TestServer;
  let views: typeof import('@/lib/deployments/views');
  let disconnect: () => Promise<void>;

  beforeAll(async () => {
    server = await startServer();
    process.env.DATABASE_URL = server.databaseUrl;
    views = await import('@/lib/deployments/views');
    const { db } = await import('@/lib/db');
    disconnect = () => db.$disconnect();
  }, 120_000);

  afterAll(async () => {
    await disconnect?.();
    await server?.stop();
  });

  const call = async (method: string, path: string, body: unknown) => {
    const res = await fetch(`${server.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${server.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as Json;
    if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(json)}`);
    return json;
  };

  it('sums 30 days of calls per deployment, per UTC day and per identity, in micros', async () => {
    const now = new Date();
    const noon = (daysAgo: number) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - daysAgo, 12)).toISOString();
    const dayOf = (iso: string) => iso.slice(0, 10);
    const a = ((await call('POST', '/v2/deployments', { key: 'Support-Bot', model: 'openai/gpt-4o', description: 'Answers Tickets' })) as { deployment: WireDeployment }).deployment;
    const b = ((await call('POST', '/v2/deployments', { key: 'summarizer', model: 'groq/llama' })) as { deployment: WireDeployment }).deployment;
    const events = [
      { event_id: 'a1', external_id: 'alice', display_name: 'Alice', provider: 'openai', model: 'gpt-4o', input_tokens: 100, output_tokens: 50, cost: 0.5, timestamp: noon(1) },
      { event_id: 'a2', external_id: 'alice', provider: 'openai', model: 'gpt-4o', input_tokens: 10, output_tokens: 0, cost: 0.25, status: 'error', timestamp: noon(1) },
      { event_id: 'a3', external_id: 'alice', provider: 'nobody', model: 'unknown-model', input_tokens: 5, output_tokens: 5, timestamp: noon(2) },
      { event_id: 'a4', external_id: 'bob', provider: 'openai', model: 'gpt-4o', input_tokens: 1000, output_tokens: 500, cost: 1.000001, timestamp: noon(3) },
      { event_id: 'a-old', external_id: 'bob', provider: 'openai', model: 'gpt-4o', input_tokens: 1, output_tokens: 1, cost: 9, timestamp: noon(40) },
      { event_id: 'b1', external_id: 'bob', provider: 'groq', model: 'llama', input_tokens: 7, output_tokens: 3, cost: 0.01, timestamp: noon(0) },
      { event_id: 'none', external_id: 'bob', provider: 'openai', model: 'gpt-4o', input_tokens: 7, output_tokens: 3, cost: 5, timestamp: noon(1) },
    ];
    await call('POST', '/v2/usage', { events });
    for (const [deploymentId, keys] of [
      [a.id, ['a1', 'a2', 'a3', 'a4', 'a-old']],
      [b.id, ['b1']],
    ] as const) {
      await execDb(server.databaseUrl, `UPDATE "UsageEvent" SET "deploymentId" = $1 WHERE "eventKey" IN (${keys.map((_, i) => `$${i + 2}`).join(', ')})`, [deploymentId, ...keys]);
    }

    const metrics = await views.getDeploymentMetrics([a.id, b.id], now);
    expect(metrics.get(a.id)).toEqual({ requests: 4, errors: 1, costMicros: 1_750_001n, tokens: 1670, unpricedRequests: 1 });
    expect(metrics.get(b.id)).toEqual({ requests: 1, errors: 0, costMicros: 10_000n, tokens: 10, unpricedRequests: 0 });

    const days = await views.getDeploymentDailyUsage(a.id, now, 30);
    expect(days).toHaveLength(30);
    expect(days[29].day).toBe(dayOf(now.toISOString()));
    const byDay = Object.fromEntries(days.filter((d) => d.requests > 0).map((d) => [d.day, d]));
    expect(byDay).toEqual({
      [dayOf(noon(3))]: { day: dayOf(noon(3)), costMicros: 1_000_001n, requests: 1, tokens: 1500, errors: 0 },
      [dayOf(noon(2))]: { day: dayOf(noon(2)), costMicros: 0n, requests: 1, tokens: 10, errors: 0 },
      [dayOf(noon(1))]: { day: dayOf(noon(1)), costMicros: 750_000n, requests: 2, tokens: 160, errors: 1 },
    });

    const workspaceId = await workspaceOf(a.key);
    expect((await views.getDeployment(workspaceId, 'Support-Bot'))?.id).toBe(a.id);
    expect((await views.getDeployment(workspaceId, a.id))?.key).toBe('Support-Bot');
    expect(await views.getDeployment('ws_other', a.id)).toBeNull();
    const callers = await views.listDeploymentCallers(workspaceId, a.id, now);
    expect(callers).toEqual([
      { identityId: expect.any(String), externalId: 'bob', displayName: null, requests: 1, errors: 0, tokens: 1500, costMicros: 1_000_001n },
      { identityId: expect.any(String), externalId: 'alice', displayName: 'Alice', requests: 3, errors: 1, tokens: 170, costMicros: 750_000n },
    ]);

    const found = await views.listDeploymentsPage(workspaceId, { query: 'support-b' }, { page: 1, pageSize: 20 }, now);
    expect(found.rows.map((r) => [r.deployment.key, r.metrics.requests])).toEqual([['Support-Bot', 4]]);
    expect((await views.listDeploymentsPage(workspaceId, { query: 'TICKETS' }, { page: 1, pageSize: 20 }, now)).total).toBe(1);
    expect((await views.listDeploymentsPage(workspaceId, { query: 'groq/ll' }, { page: 1, pageSize: 20 }, now)).rows[0].deployment.key).toBe('summarizer');
    expect((await views.listDeploymentsPage(workspaceId, { query: '%' }, { page: 1, pageSize: 20 }, now)).total).toBe(0);
    const all = await views.listDeploymentsPage(workspaceId, {}, { page: 1, pageSize: 1 }, now);
    expect(all).toMatchObject({ total: 2, page: 1, pageCount: 2 });
    expect(all.rows[0].deployment.key).toBe('summarizer');
    expect(await views.listProviderNames(workspaceId)).toEqual(expect.arrayContaining(['openai', 'groq', 'anthropic']));

    // A provider added in Tollbooth under its own name goes by its kind in orq's closed provider list.
    const { db } = await import('@/lib/db');
    await db.provider.create({ data: { id: uid('prov'), workspaceId, name: 'my-claude', kind: 'anthropic', baseUrl: 'https://api.anthropic.com/v1' } });
    const custom = ((await call('POST', '/v2/deployments', { key: 'claude-bot', model: 'my-claude/claude-x' })) as { deployment: WireDeployment }).deployment;
    expect(custom.prompt_config).toMatchObject({ provider: 'anthropic', model: 'claude-x' });
    const config = await new (await import('@orq-ai/node')).Orq({ apiKey: server.apiKey, serverURL: server.baseUrl }).deployments.getConfig({ key: 'claude-bot' });
    expect(config).toMatchObject({ provider: 'anthropic', model: 'claude-x' });
    expect(await views.listProviderNames(workspaceId)).toContain('my-claude');
  });

  /** The workspace of a deployment, read from its row. */
  async function workspaceOf(key: string): Promise<string> {
    const { db } = await import('@/lib/db');
    return (await db.deployment.findFirstOrThrow({ where: { key }, select: { workspaceId: true } })).workspaceId;
  }
});
