// Data retention over real HTTP (TOLLBOOTH_RETENTION_DAYS, lib/usage/retention.ts): `npm run usage:prune` and the
// server's own job delete raw usage events older than the setting, keep newer ones, and change none of the 30-day
// metrics, the identity list's metrics, the daily rollup or a budget's spend; a bad setting stops the start.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { retentionCutoff } from '../lib/usage/retention-policy';
import { queryDb, eventually } from './support/db';
import { repoRoot, startServer, type TestServer } from './support/server';

let a: TestServer;
let b: TestServer | undefined;

beforeAll(async () => {
  a = await startServer();
}, 120_000);

afterAll(async () => {
  await b?.stop();
  await a?.stop();
});

const DAY = 86_400_000;

async function call(server: TestServer, method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${server.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${server.apiKey}`, accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

type Seed = { key: string; at: Date };

async function seed(server: TestServer, events: { key: string; externalId: string; at: Date; cost: number; error?: boolean }[]): Promise<Seed[]> {
  const res = await call(server, 'POST', '/v2/usage', {
    events: events.map((e) => ({
      event_id: e.key,
      external_id: e.externalId,
      provider: 'openai',
      model: 'gpt-4o',
      input_tokens: 100,
      output_tokens: 20,
      cost: e.cost,
      status: e.error ? 'error' : 'success',
      timestamp: e.at.toISOString(),
    })),
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return events.map((e) => ({ key: e.key, at: e.at }));
}

/** Everything the prune must leave alone, as the API and the database show it. */
async function snapshot(server: TestServer) {
  const list = await call(server, 'GET', '/v2/identities?include_metrics=true&include_budget=true&limit=50');
  const detail = await call(server, 'GET', '/v2/identities/ret-a?include_metrics=true&include_budget=true');
  const budgets = await call(server, 'GET', '/v2/budgets?limit=200');
  expect([list.status, detail.status, budgets.status]).toEqual([200, 200, 200]);
  const rollup = await queryDb(server.databaseUrl, `SELECT "identityId", "day", "requests", "errors", "unpricedRequests", "inputTokens", "outputTokens", "costMicros" FROM "UsageDaily" ORDER BY "identityId", "day"`);
  const counters = await queryDb(server.databaseUrl, `SELECT "budgetId", "windowStartMs", "spentMicros", "tokens", "requests" FROM "BudgetCounter" ORDER BY "budgetId", "windowStartMs"`);
  return { list: list.body, detail: detail.body, budgets: budgets.body, rollup: JSON.stringify(rollup, (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v)), counters: JSON.stringify(counters, (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v)) };
}

const storedKeys = async (server: TestServer) => (await queryDb<{ eventKey: string }>(server.databaseUrl, `SELECT "eventKey" FROM "UsageEvent" WHERE "eventKey" LIKE 'ret-%'`)).map((r) => r.eventKey).sort();

/** The retention job's log line (JSON) in a process's output. */
function retentionLine(output: string): { deleted: number; before: string; retention_days: number; level: string } | undefined {
  const line = output.split('\n').find((l) => l.includes('usage retention'));
  return line ? JSON.parse(line) : undefined;
}

const prune = (server: TestServer, env: Record<string, string>) =>
  spawnSync('npm', ['run', '-s', 'usage:prune'], { cwd: repoRoot, env: { ...process.env, DATABASE_URL: server.databaseUrl, ...env }, encoding: 'utf8', timeout: 60_000 });

const seeded: Seed[] = [];

describe('data retention', () => {
  it('`npm run usage:prune` deletes events older than N days and changes no metric, rollup or budget', async () => {
    const now = new Date();
    const cutoff = retentionCutoff(now, 32);
    expect((await call(a, 'POST', '/v2/identities', { external_id: 'ret-a' })).status).toBe(201);
    const yearly = await call(a, 'POST', '/v2/budgets', { scope: { identity: { identity_external_id: 'ret-a' } }, limits: { period: 'BUDGET_PERIOD_YEARLY', amount: 1000 } });
    const monthly = await call(a, 'POST', '/v2/budgets', { scope: { workspace: {} }, limits: { period: 'BUDGET_PERIOD_MONTHLY', amount: 1000 } });
    expect([yearly.status, monthly.status]).toEqual([200, 200]);

    const times = [
      new Date(now.getTime() - 50 * DAY),
      new Date(now.getTime() - 40 * DAY),
      new Date(cutoff.getTime() - 1),
      cutoff,
      new Date(now.getTime() - 31 * DAY),
      new Date(now.getTime() - 30 * DAY + 60_000), // in the metrics window's partial oldest day
      new Date(now.getTime() - 10 * DAY),
      new Date(now.getTime() - 3_600_000),
    ];
    for (const [who, offset] of [['ret-a', 0], ['ret-b', 100]] as const) {
      seeded.push(...(await seed(a, times.map((at, i) => ({ key: `ret-${who}-${i}`, externalId: who, at, cost: (offset + i + 1) / 100, error: i % 3 === 0 })))));
    }
    expect(await storedKeys(a)).toHaveLength(seeded.length);
    const before = await snapshot(a);

    const run = prune(a, { TOLLBOOTH_RETENTION_DAYS: '32' });
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    const line = retentionLine(run.stdout);
    expect(line).toMatchObject({ level: 'info', retention_days: 32, before: cutoff.toISOString(), deleted: seeded.filter((s) => s.at < cutoff).length });
    expect(line?.deleted).toBe(6); // 3 events older than the cutoff for each identity

    expect(await storedKeys(a)).toEqual(seeded.filter((s) => s.at >= cutoff).map((s) => s.key).sort());
    expect(await snapshot(a)).toEqual(before);
  }, 120_000);

  it('the server deletes them itself shortly after start when TOLLBOOTH_RETENTION_DAYS is set', async () => {
    const now = new Date();
    const cutoff = retentionCutoff(now, 32);
    seeded.push(
      ...(await seed(a, [
        { key: 'ret-late-0', externalId: 'ret-a', at: new Date(now.getTime() - 60 * DAY), cost: 0.5 },
        { key: 'ret-late-1', externalId: 'ret-b', at: new Date(now.getTime() - 33 * DAY), cost: 0.25, error: true },
        { key: 'ret-late-2', externalId: 'ret-b', at: new Date(now.getTime() - 2 * DAY), cost: 0.125 },
      ])),
    );
    const before = await snapshot(a);
    await a.terminate();

    b = await startServer({ databaseUrl: a.databaseUrl, apiKey: a.apiKey, env: { TOLLBOOTH_RETENTION_DAYS: '32' } });
    const server = b;
    const line = await eventually(async () => retentionLine(server.log()), (l) => l !== undefined, 30_000);
    expect(line).toMatchObject({ level: 'info', retention_days: 32, before: cutoff.toISOString(), deleted: 2 });
    expect(await storedKeys(b)).toEqual(seeded.filter((s) => s.at >= cutoff).map((s) => s.key).sort());
    expect(await snapshot(b)).toEqual(before);

    // An event from before the cutoff would be pruned (or, re-sent after its original was, counted twice): 422.
    const old = await call(b, 'POST', '/v2/usage', {
      events: [
        { event_id: 'ret-fresh', external_id: 'ret-a', model: 'm', cost: 0.01, timestamp: new Date(now.getTime() - DAY).toISOString() },
        { event_id: 'ret-late-0', external_id: 'ret-a', model: 'm', cost: 0.5, timestamp: new Date(now.getTime() - 60 * DAY).toISOString() },
      ],
    });
    expect(old.status).toBe(422);
    expect(old.body).toMatchObject({ error: { code: 'unprocessable', details: [{ field: 'events.1.timestamp' }] } });
    expect(JSON.stringify(old.body)).toContain('TOLLBOOTH_RETENTION_DAYS');
    // Nothing of the batch was written.
    expect(await storedKeys(b)).not.toContain('ret-fresh');
  }, 120_000);

  it('refuses a bad TOLLBOOTH_RETENTION_DAYS at start, and in the command, with one clear line', async () => {
    const messages: Record<string, string> = {
      '5': 'TOLLBOOTH_RETENTION_DAYS: must be 0 (keep every event) or at least 32 days: the 30-day metrics read raw events of their oldest day',
      '-1': 'TOLLBOOTH_RETENTION_DAYS: must be a whole number of days (0 keeps every event)',
      abc: 'TOLLBOOTH_RETENTION_DAYS: must be a whole number of days (0 keeps every event)',
    };
    for (const [value, message] of Object.entries(messages)) {
      const failed = await startServer({ databaseUrl: a.databaseUrl, apiKey: a.apiKey, env: { TOLLBOOTH_RETENTION_DAYS: value } }).then(
        (s) => s.stop().then(() => null),
        (err: unknown) => String(err),
      );
      expect(failed).toContain('cannot start: fix the environment');
      expect(failed).toContain(message);
      const run = prune(a, { TOLLBOOTH_RETENTION_DAYS: value });
      expect(run.status).toBe(2);
      expect(run.stderr).toContain(`usage:prune: ${message}`);
    }
    const off = prune(a, { TOLLBOOTH_RETENTION_DAYS: '0' });
    expect(off.status).toBe(2);
    expect(off.stderr).toContain('no retention period');
  }, 120_000);
});
