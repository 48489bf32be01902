// Budget alerts that notify: /v2/notifiers over real HTTP, alerts fired by gateway traffic and by a refusal, signed
// per Standard Webhooks and checked by a receiver this test runs (the reference library verifies each request), retries
// after a 500, and a queued message that survives a server restart.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { startServer, type TestServer } from './support/server';
import { FAKE_OPENAI_KEY, startFakeOpenAi, type FakeOpenAi } from './support/fake-openai';
import { eventually, queryDb } from './support/db';

type Json = Record<string, unknown>;
type Reply = { status: number; body: Json };
type Received = { path: string; headers: Record<string, string>; body: string; verified: Json | null };

const uid = (prefix: string) => `${prefix}-${randomBytes(5).toString('hex')}`;

/** A webhook receiver on loopback: answers each path with its queued status codes (then 200) and verifies every request. */
class Receiver {
  received: Received[] = [];
  private secrets = new Map<string, string>();
  private replies = new Map<string, number[]>();
  private server: http.Server | null = null;
  port = 0;

  async start(port = 0): Promise<void> {
    this.server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const path = req.url ?? '/';
        const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
        const secret = this.secrets.get(path);
        let verified: Json | null = null;
        try {
          verified = secret ? (new Webhook(secret).verify(body, headers) as Json) : null;
        } catch {
          verified = null;
        }
        this.received.push({ path, headers, body, verified });
        const status = this.replies.get(path)?.shift() ?? 200;
        res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'nope');
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  url(path: string) {
    return `http://127.0.0.1:${this.port}${path}`;
  }
  expect(path: string, secret: string, replies: number[] = []) {
    this.secrets.set(path, secret);
    this.replies.set(path, replies);
  }
  at(path: string) {
    return this.received.filter((r) => r.path === path);
  }
}

let fake: FakeOpenAi;
let server: TestServer;
let restarted: TestServer | null = null;
const receiver = new Receiver();
/** The cost of one gateway call (fixed fake usage), measured once, in USD. */
let C = 0;

const env = () => ({
  TOLLBOOTH_PROVIDER_OPENAI_BASE_URL: fake.url,
  TOLLBOOTH_PROVIDER_OPENAI_API_KEY: FAKE_OPENAI_KEY,
  TOLLBOOTH_ENCRYPTION_KEY: encryptionKey,
  TOLLBOOTH_WEBHOOK_RETRY_BASE_MS: '1000',
  TOLLBOOTH_WEBHOOK_POLL_MS: '200',
});
const encryptionKey = randomBytes(32).toString('base64url');

async function api(method: string, path: string, body?: unknown, on: TestServer = restarted ?? server): Promise<Reply> {
  const res = await fetch(`${on.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${on.apiKey}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Json) : {} };
}

async function chat(externalId: string): Promise<number> {
  const res = await fetch(`${server.baseUrl}/v2/router/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'hi' }], max_tokens: 10, orq: { identity: { id: externalId } } }),
  });
  await res.text();
  return res.status;
}

type Notifier = { id: string; name: string; url: string; is_active: boolean; signing_secret?: string };
async function createNotifier(name: string, url: string): Promise<Notifier & { signing_secret: string }> {
  const res = await api('POST', '/v2/notifiers', { name, url });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.notifier as Notifier & { signing_secret: string };
}

type Delivery = { id: string; status: string; attempts: number; event_type: string; attempt_log: { status_code: number | null; error: string | null; duration_ms: number }[] };
const deliveries = async (notifierId: string): Promise<Delivery[]> => (await api('GET', `/v2/notifiers/${notifierId}/deliveries`)).body.data as Delivery[];

const spentOf = async (externalId: string, requests: number) =>
  eventually(
    async () => ((await api('GET', `/v2/identities/${externalId}?include_metrics=true`)).body.identity as { metrics: { total_cost: number; total_requests: number } }).metrics,
    (m) => m.total_requests === requests,
  );

beforeAll(async () => {
  fake = await startFakeOpenAi();
  await receiver.start();
  server = await startServer({ env: env() });
  const probe = uid('probe');
  expect(await chat(probe)).toBe(200);
  C = (await spentOf(probe, 1)).total_cost;
  expect(C).toBeGreaterThan(0);
}, 180_000);

afterAll(async () => {
  await restarted?.stop();
  await server?.stop();
  await receiver.stop();
  await fake?.close();
});

describe('/v2/notifiers', () => {
  it('create answers the Standard Webhooks signing secret once; get, list, patch and delete like /v2/identities', async () => {
    const created = await createNotifier('Finance hook', 'https://hooks.example.test/finance');
    expect(created).toMatchObject({ object: 'notifier', name: 'Finance hook', url: 'https://hooks.example.test/finance', is_active: true });
    expect(created.signing_secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(created.signing_secret.slice('whsec_'.length), 'base64').length).toBe(32);

    const got = await api('GET', `/v2/notifiers/${created.id}`);
    expect(got.status).toBe(200);
    expect(got.body.notifier).not.toHaveProperty('signing_secret');
    // Only the encrypted form is stored.
    const [row] = await queryDb<{ signingSecretEncrypted: string }>(server.databaseUrl, 'SELECT "signingSecretEncrypted" FROM "Notifier" WHERE "id" = $1', [created.id]);
    expect(row.signingSecretEncrypted).not.toContain(created.signing_secret.slice(6, 20));

    const patched = await api('PATCH', `/v2/notifiers/${created.id}`, { name: 'Finance', is_active: false });
    expect(patched.status).toBe(200);
    expect(patched.body.notifier).toMatchObject({ name: 'Finance', url: 'https://hooks.example.test/finance', is_active: false });
    const test = await api('POST', `/v2/notifiers/${created.id}/test`);
    expect(test.status).toBe(422);
    expect((test.body.error as { details: { field: string }[] }).details[0].field).toBe('is_active');

    const others = [await createNotifier('B', 'http://127.0.0.1:9/b'), await createNotifier('C', 'http://127.0.0.1:9/c')];
    const page = await api('GET', '/v2/notifiers?limit=2');
    expect(page.body).toMatchObject({ object: 'list', has_more: true });
    expect((page.body.data as Notifier[]).map((n) => n.id)).toEqual([others[1].id, others[0].id]);
    const next = await api('GET', `/v2/notifiers?limit=2&starting_after=${others[0].id}`);
    expect((next.body.data as Notifier[]).map((n) => n.id)).toContain(created.id);
    const back = await api('GET', `/v2/notifiers?limit=1&ending_before=${others[0].id}`);
    expect((back.body.data as Notifier[]).map((n) => n.id)).toEqual([others[1].id]);

    const audit = await queryDb<{ action: string }>(server.databaseUrl, 'SELECT "action" FROM "AuditEntry" WHERE "targetId" = $1 ORDER BY "id"', [created.id]);
    expect(audit.map((a) => a.action)).toEqual(['notifier.create', 'notifier.update']);

    for (const n of [created, ...others]) expect((await api('DELETE', `/v2/notifiers/${n.id}`)).status).toBe(200);
    expect((await api('GET', `/v2/notifiers/${created.id}`)).status).toBe(404);
    expect((await api('DELETE', `/v2/notifiers/${created.id}`)).status).toBe(404);
  });

  const bad: { name: string; method: string; body: unknown; status: number; field: string }[] = [
    { name: 'missing name', method: 'POST', body: { url: 'https://x.test' }, status: 400, field: 'name' },
    { name: 'blank name', method: 'POST', body: { name: '  ', url: 'https://x.test' }, status: 400, field: 'name' },
    { name: 'missing url', method: 'POST', body: { name: 'x' }, status: 400, field: 'url' },
    { name: 'ftp url', method: 'POST', body: { name: 'x', url: 'ftp://x.test/hook' }, status: 400, field: 'url' },
    { name: 'not a url', method: 'POST', body: { name: 'x', url: 'hooks' }, status: 400, field: 'url' },
    { name: 'javascript url on update', method: 'PATCH', body: { url: 'javascript:alert(1)' }, status: 400, field: 'url' },
    { name: 'is_active not a boolean', method: 'PATCH', body: { is_active: 'yes' }, status: 400, field: 'is_active' },
  ];
  it.each(bad)('$name → $status naming $field', async ({ method, body, status, field }) => {
    const target = method === 'POST' ? '/v2/notifiers' : `/v2/notifiers/${(await createNotifier(uid('n'), 'https://x.test')).id}`;
    const res = await api(method, target, body);
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    expect((res.body.error as { details: { field: string }[] }).details.map((d) => d.field)).toContain(field);
  });

  it('budget alerts may only name notifiers of the workspace (field alerts.<i>.notifier_ids.<j>)', async () => {
    const real = await createNotifier('Real', 'https://x.test/real');
    const externalId = uid('nid');
    expect((await api('POST', '/v2/identities', { external_id: externalId })).status).toBe(201);
    const body = (alerts: unknown) => ({ scope: { identity: { identity_external_id: externalId } }, limits: { amount: 5 }, alerts });
    const refused = await api('POST', '/v2/budgets', body([{ threshold_percent: 50, notifier_ids: [real.id] }, { threshold_percent: 90, notifier_ids: [real.id, 'n1'] }]));
    expect(refused.status).toBe(404);
    expect((refused.body.error as { details: { field: string }[] }).details[0].field).toBe('alerts.1.notifier_ids.1');
    const created = await api('POST', '/v2/budgets', body([{ threshold_percent: 50, notifier_ids: [real.id] }]));
    expect(created.status).toBe(200);
    const budgetId = (created.body.budget as { budgetId: string }).budgetId;
    const patch = await api('PATCH', `/v2/budgets/${budgetId}`, { alerts: [{ threshold_percent: 80, notifier_ids: ['gone'] }] });
    expect(patch.status).toBe(404);
    expect((patch.body.error as { details: { field: string }[] }).details[0].field).toBe('alerts.0.notifier_ids.0');
    expect((await api('PATCH', `/v2/budgets/${budgetId}`, { clear_alerts: true })).status).toBe(200);
  });
});

describe('budget alerts', () => {
  it('gateway traffic crossing 50 % sends one signed message; a refusal sends the 100 % one once, however many calls are refused', async () => {
    const hook = await createNotifier('Budget hook', receiver.url('/budget'));
    receiver.expect('/budget', hook.signing_secret);
    const externalId = uid('alerts');
    expect((await api('POST', '/v2/identities', { external_id: externalId })).status).toBe(201);
    const amount = Math.round(2.5 * C * 1e6) / 1e6;
    const created = await api('POST', '/v2/budgets', {
      scope: { identity: { identity_external_id: externalId } },
      limits: { period: 'BUDGET_PERIOD_YEARLY', amount },
      alerts: [
        { threshold_percent: 50, notifier_ids: [hook.id], dimension: 'BUDGET_ALERT_DIMENSION_COST' },
        { threshold_percent: 100, notifier_ids: [hook.id], dimension: 'BUDGET_ALERT_DIMENSION_COST' },
      ],
    });
    expect(created.status).toBe(200);
    const budgetId = (created.body.budget as { budgetId: string }).budgetId;

    // 40 %: nothing yet.
    expect(await chat(externalId)).toBe(200);
    await spentOf(externalId, 1);
    // 80 %: the 50 % alert.
    expect(await chat(externalId)).toBe(200);
    await spentOf(externalId, 2);
    const first = await eventually(async () => receiver.at('/budget'), (r) => r.length >= 1);
    expect(first).toHaveLength(1);
    expect(first[0].verified, 'signature verified with the secret from create').not.toBeNull();
    expect(first[0].headers['webhook-id']).toMatch(/^msg_/);
    expect(first[0].verified).toMatchObject({
      type: 'budget.alert',
      data: { budget_id: budgetId, scope: { kind: 'identity', target_id: externalId }, period: 'yearly', threshold_percent: 50, dimension: 'cost', refused: false, limit: amount },
    });
    expect((first[0].verified as { data: { percent: number } }).data.percent).toBeCloseTo(80, 0);

    // The budget is lowered below what was spent: the next calls are refused, and the first refusal fires 100 %.
    expect((await api('PATCH', `/v2/budgets/${budgetId}`, { limits: { amount: Math.round(1.5 * C * 1e6) / 1e6 } })).status).toBe(200);
    for (let i = 0; i < 4; i++) expect(await chat(externalId)).toBe(429);
    const both = await eventually(async () => receiver.at('/budget'), (r) => r.length >= 2);
    expect(both[1].verified).toMatchObject({ type: 'budget.alert', data: { threshold_percent: 100, refused: true } });
    expect((both[1].verified as { data: { percent: number } }).data.percent).toBeCloseTo(133.33, 1);
    expect(await chat(externalId)).toBe(429);
    // Time for any duplicate to arrive (the worker polls every 200 ms).
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(receiver.at('/budget')).toHaveLength(2);
    const firings = await queryDb<{ alertKey: string }>(server.databaseUrl, 'SELECT "alertKey" FROM "AlertFiring" WHERE "budgetId" = $1 ORDER BY "alertKey"', [budgetId]);
    expect(firings.map((f) => f.alertKey)).toEqual(['cost:100', 'cost:50']);
    const log = await deliveries(hook.id);
    expect(log.map((d) => [d.event_type, d.status, d.attempts])).toEqual([
      ['budget.alert', 'delivered', 1],
      ['budget.alert', 'delivered', 1],
    ]);
  }, 60_000);

  it('a call refused only for what a call in flight holds fires no alert; the thresholds fire when spend reaches them', async () => {
    const hook = await createNotifier('Held hook', receiver.url('/held'));
    receiver.expect('/held', hook.signing_secret);
    const externalId = uid('held');
    expect((await api('POST', '/v2/identities', { external_id: externalId })).status).toBe(201);
    const amount = Math.round(5 * C * 1e6) / 1e6;
    const created = await api('POST', '/v2/budgets', {
      scope: { identity: { identity_external_id: externalId } },
      limits: { period: 'BUDGET_PERIOD_YEARLY', amount },
      alerts: [50, 80, 100].map((threshold_percent) => ({ threshold_percent, notifier_ids: [hook.id], dimension: 'BUDGET_ALERT_DIMENSION_COST' })),
    });
    expect(created.status).toBe(200);
    const budgetId = (created.body.budget as { budgetId: string }).budgetId;
    // A stream whose 6,000-token cap holds more than the whole budget, left open ("hang") until the client leaves.
    const leave = new AbortController();
    const stream = await fetch(`${server.baseUrl}/v2/router/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'hang' }], max_tokens: 6000, stream: true, orq: { identity: { id: externalId } } }),
      signal: leave.signal,
    });
    expect(stream.status).toBe(200);
    const reader = (stream.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    expect(await chat(externalId)).toBe(429);
    // Time for any message to arrive (the worker polls every 200 ms): none, and no threshold used up.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(receiver.at('/held')).toHaveLength(0);
    expect(await queryDb(server.databaseUrl, 'SELECT "alertKey" FROM "AlertFiring" WHERE "budgetId" = $1', [budgetId])).toEqual([]);
    leave.abort();
    await reader.read().catch(() => undefined);
    // Spend that reaches 50 % fires the 50 % alert, on what was spent.
    let spent = (await spentOf(externalId, 1)).total_cost;
    for (let requests = 2; spent < amount / 2; requests++) {
      expect(await chat(externalId)).toBe(200);
      spent = (await spentOf(externalId, requests)).total_cost;
    }
    const [message] = await eventually(async () => receiver.at('/held'), (r) => r.length >= 1);
    expect(message.verified).toMatchObject({ type: 'budget.alert', data: { budget_id: budgetId, threshold_percent: 50, refused: false } });
    expect((message.verified as { data: { percent: number } }).data.percent).toBeLessThan(80);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(receiver.at('/held')).toHaveLength(1);
  }, 60_000);

  it('a receiver answering 500 gets the message again; both attempts are recorded with their codes', async () => {
    const hook = await createNotifier('Flaky hook', receiver.url('/flaky'));
    receiver.expect('/flaky', hook.signing_secret, [500]);
    const queued = await api('POST', `/v2/notifiers/${hook.id}/test`);
    expect(queued.status).toBe(202);
    const messageId = (queued.body.delivery as Delivery).id;
    const [delivery] = await eventually(() => deliveries(hook.id), (d) => d[0]?.status === 'delivered', 20_000);
    expect(delivery).toMatchObject({ id: messageId, event_type: 'test', status: 'delivered', attempts: 2 });
    expect(delivery.attempt_log.map((a) => a.status_code)).toEqual([500, 200]);
    expect(delivery.attempt_log[0].error).toMatch(/500/);
    const got = receiver.at('/flaky');
    expect(got).toHaveLength(2);
    // The same message (id) both times, each validly signed.
    expect(got.map((r) => r.headers['webhook-id'])).toEqual([messageId, messageId]);
    expect(got.every((r) => r.verified?.type === 'test')).toBe(true);
  }, 30_000);

  it('a message still pending when the server stops is delivered by the next server', async () => {
    const down = new Receiver();
    await down.start();
    const port = down.port;
    await down.stop();
    const hook = await createNotifier('Down hook', `http://127.0.0.1:${port}/down`);
    const queued = await api('POST', `/v2/notifiers/${hook.id}/test`);
    expect(queued.status).toBe(202);
    const [failing] = await eventually(() => deliveries(hook.id), (d) => (d[0]?.attempts ?? 0) >= 1);
    expect(failing).toMatchObject({ status: 'pending' });
    expect(failing.attempt_log[0]).toMatchObject({ status_code: null, error: 'connection refused' });
    await server.terminate();

    const back = new Receiver();
    back.expect('/down', hook.signing_secret);
    await back.start(port);
    try {
      restarted = await startServer({ env: env(), databaseUrl: server.databaseUrl, apiKey: server.apiKey });
      const [delivered] = await eventually(() => deliveries(hook.id), (d) => d[0]?.status === 'delivered', 30_000);
      expect(delivered.attempt_log.at(-1)?.status_code).toBe(200);
      expect(delivered.attempt_log.slice(0, -1).every((a) => a.status_code === null)).toBe(true);
      expect(back.at('/down')).toHaveLength(1);
      expect(back.at('/down')[0].verified?.type).toBe('test');
    } finally {
      await back.stop();
    }
  }, 90_000);
});
