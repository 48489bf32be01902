// Benchmark: POST /v2/usage's service path (idempotency check, identity resolution, pricing, daily
// rollup, one transaction per batch) against a bare createMany of the same rows (no guarantees),
// in the same run on a throw-away SQLite database. Reports events/s and the overhead ratio.
// Then the same over HTTP against the built server (`npm run build` first): CLIENTS clients posting
// batches of HTTP_BATCH new events, live (stamped now) and backfill (spread over 28 days), with GET /api/health and an
// API list page timed meanwhile against their idle latency.
//
// The server is warmed up first (WARMUP_EVENTS through the same clients, not timed): a fresh process compiles its
// hot paths and fills its caches over the first few thousand events, and a run of a few seconds would time that.
//
//   npx tsx --conditions=react-server bench/ingest.ts      (EVENTS=20000 BATCH=500 IDENTITIES=200
//                                                          HTTP_EVENTS=100000 HTTP_BATCH=1000 CLIENTS=4
//                                                          WARMUP_EVENTS=20000 HEALTH_PROBE_HZ=10 LIST_PROBE_HZ=5)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';

const EVENTS = Number(process.env.EVENTS ?? 20_000);
const BATCH = Number(process.env.BATCH ?? 500);
const IDENTITIES = Number(process.env.IDENTITIES ?? 200);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tollbooth-bench-ingest-'));
process.env.DATABASE_URL = `file:${path.join(dir, 'bench.db')}`;
// Created and migrated as `npm start` does it (scripts/migrate.mjs: a new database's page size and journal mode).
execFileSync(process.execPath, ['scripts/migrate.mjs'], { stdio: 'ignore', env: process.env });

const { db } = await import('../lib/db');
const { ensureDefaultWorkspace } = await import('../lib/workspaces/service');
const { ingestUsage } = await import('../lib/usage/service');
const { usageEventSchema, toUsageRecord } = await import('../lib/usage/schema');
const { newId } = await import('../lib/ids');

const workspaceId = await ensureDefaultWorkspace();
const now = new Date();
const models = ['gpt-4o', 'gpt-4o-mini', 'claude-3-5-sonnet-20241022', 'unknown-model-x'];
const makeEvents = (prefix: string) =>
  Array.from({ length: EVENTS }, (_, i) =>
    toUsageRecord(usageEventSchema.parse({
      event_id: `${prefix}-${i}`,
      external_id: `${prefix}-user-${i % IDENTITIES}`,
      model: models[i % models.length],
      input_tokens: 200 + (i % 800),
      output_tokens: 50 + (i % 300),
      timestamp: new Date(now.getTime() - (i % 28) * 86_400_000).toISOString(),
      status: i % 25 === 0 ? 'error' : 'success',
    })),
  );

// Baseline: the same number of rows written with createMany, one transaction per batch, nothing else.
const baselineIdentity = await db.identity.create({
  data: { id: newId(), workspaceId, externalId: 'baseline', sortName: 'baseline', source: 'api' },
});
const baselineEvents = makeEvents('base');
let t = performance.now();
for (let i = 0; i < baselineEvents.length; i += BATCH) {
  const rows = baselineEvents.slice(i, i + BATCH).map((e) => ({
    id: newId(),
    workspaceId,
    identityId: baselineIdentity.id,
    eventKey: e.eventKey,
    occurredAt: e.occurredAt as Date,
    model: e.model,
    inputTokens: e.inputTokens,
    outputTokens: e.outputTokens,
    totalTokens: e.inputTokens + e.outputTokens,
    priced: false,
    status: e.status,
    source: 'usage',
  }));
  await db.$transaction([db.usageEvent.createMany({ data: rows })]);
}
const baselineMs = performance.now() - t;

const events = makeEvents('svc');
t = performance.now();
for (let i = 0; i < events.length; i += BATCH) await ingestUsage(workspaceId, events.slice(i, i + BATCH), now);
const serviceMs = performance.now() - t;

// A retried batch must cost little and count nothing.
t = performance.now();
const retry = await ingestUsage(workspaceId, events.slice(0, BATCH), now);
const retryMs = performance.now() - t;
if (retry.some((r) => r.status !== 'duplicate')) throw new Error('a retried event was counted twice');
const stored = await db.usageEvent.count({ where: { workspaceId, eventKey: { startsWith: 'svc-' } } });
if (stored !== EVENTS) throw new Error(`stored ${stored} events, expected ${EVENTS}`);

// The rollup must agree with the events: one row per (identity, day), same totals.
const svcIdentities = { identity: { externalId: { startsWith: 'svc-' } } };
const rollup = await db.usageDaily.aggregate({ where: svcIdentities, _sum: { requests: true }, _count: { _all: true } });
const days = await db.usageEvent.groupBy({ by: ['identityId'], where: { ...svcIdentities } });
if (rollup._sum.requests !== EVENTS) throw new Error(`rollup counts ${rollup._sum.requests} requests, expected ${EVENTS}`);
if (rollup._count._all > days.length * 28) throw new Error('rollup has more than one row per identity and day');

const rate = (ms: number) => Math.round((EVENTS / ms) * 1000).toLocaleString();
console.log(`\ningest ${EVENTS.toLocaleString()} events in batches of ${BATCH} (${IDENTITIES} identities):`);
console.log(`  bare createMany (baseline): ${baselineMs.toFixed(0)} ms  (${rate(baselineMs)} events/s)`);
console.log(`  ingestUsage (service):      ${serviceMs.toFixed(0)} ms  (${rate(serviceMs)} events/s) → ${(serviceMs / baselineMs).toFixed(1)}× the baseline's time`);
console.log(`  retried batch of ${BATCH}:      ${retryMs.toFixed(0)} ms, all duplicates`);
(await import('../lib/usage/window-totals')).cancelWindowFolds();
await db.$disconnect();
fs.rmSync(dir, { recursive: true, force: true });

// Over HTTP: the built server on its own fresh database, as users send usage.
const HTTP_EVENTS = Number(process.env.HTTP_EVENTS ?? 100_000);
const WARMUP_EVENTS = Number(process.env.WARMUP_EVENTS ?? 20_000);
const HTTP_BATCH = Number(process.env.HTTP_BATCH ?? 1_000);
const CLIENTS = Number(process.env.CLIENTS ?? 4);
const { startServer } = await import('../tests/support/server');
const server = await startServer({ env: { TOLLBOOTH_LOG_LEVEL: 'warn' } });
try {
  const post = (body: string) =>
    fetch(`${server.baseUrl}/v2/usage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.apiKey}`, 'content-type': 'application/json' },
      body,
    });
  // Two shapes of traffic: live (calls reported as they happen, stamped within the last minute) and backfill (each
  // batch spread over the last 28 days, so every event lands in another day's index range and rollup row).
  const shapes = {
    live: (n: number) => new Date(now.getTime() - (n % 60_000)),
    backfill: (n: number) => new Date(now.getTime() - (n % 28) * 86_400_000),
  } as const;
  // Bodies are built before the clock starts: the load generator shares the machine's two cores with the server.
  const body = (shape: keyof typeof shapes, b: number) =>
    JSON.stringify({
      events: Array.from({ length: HTTP_BATCH }, (_, i) => {
        const n = b * HTTP_BATCH + i;
        return {
          event_id: `http-${shape}-${n}`,
          external_id: `http-user-${n % 2_000}`,
          model: models[n % models.length],
          input_tokens: 200 + (n % 800),
          output_tokens: 50 + (n % 300),
          timestamp: shapes[shape](n).toISOString(),
          status: n % 25 === 0 ? 'error' : 'success',
        };
      }),
    });
  // What other users of the server see meanwhile: the health check and an API list page with metrics.
  const probes = { health: '/api/health', list: '/v2/identities?limit=50&include_metrics=true' } as const;
  // Each is sent on a fixed schedule while ingest runs (open loop): a probe leaves on time whether or not the last one
  // has been answered, and is timed from when it was due. A loop that waits for each answer sends fewer probes exactly
  // when the server is slow (and becomes one more load generator competing for the two cores when it is fast).
  const PROBE_HZ = { health: Number(process.env.HEALTH_PROBE_HZ ?? 10), list: Number(process.env.LIST_PROBE_HZ ?? 5) };
  const probe = async (path: string, due = performance.now()) => {
    const res = await fetch(`${server.baseUrl}${path}`, { headers: { authorization: `Bearer ${server.apiKey}` } });
    await res.text();
    if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
    return performance.now() - due;
  };
  /** Probes `path` `hz` times a second until `stop` resolves; their latencies, timed from when each was due. */
  const probeOnSchedule = async (path: string, hz: number, stop: Promise<void>) => {
    const lat: Promise<number>[] = [];
    let stopped = false;
    void stop.then(() => (stopped = true));
    const start = performance.now();
    for (let i = 0; !stopped; i++) {
      const due = start + (i * 1000) / hz;
      const wait = due - performance.now();
      if (wait > 0) await Promise.race([new Promise((r) => setTimeout(r, wait)), stop]);
      if (stopped) break;
      lat.push(probe(path, due));
    }
    return (await Promise.all(lat)).sort((a, b) => a - b);
  };
  const idleOf = async (path: string, count: number) => {
    const lat: number[] = [];
    for (let i = 0; i < count; i++) lat.push(await probe(path));
    return lat.sort((a, b) => a - b);
  };
  // Sends the bodies from CLIENTS clients, each posting its next body once the last is answered.
  const sendAll = async (bodies: string[]) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (next < bodies.length) {
          const res = await post(bodies[next++]);
          if (res.status !== 200) throw new Error(`batch: ${res.status} ${await res.text()}`);
          await res.arrayBuffer();
        }
      }),
    );
  };
  // Warm-up, not timed: the identities the batches name exist afterwards, as in steady traffic, and the server has
  // run its ingest path (both shapes) and the probes' routes before the clock starts.
  const warmBatches = Math.max(2, Math.ceil(WARMUP_EVENTS / HTTP_BATCH));
  await sendAll(Array.from({ length: warmBatches }, (_, b) => body(b % 2 === 0 ? 'live' : 'backfill', b).replaceAll('"event_id":"http-', '"event_id":"warm-')));
  for (const path of Object.values(probes)) await idleOf(path, 10);
  const idle = { health: await idleOf(probes.health, 50), list: await idleOf(probes.list, 50) };
  const batches = Math.ceil(HTTP_EVENTS / HTTP_BATCH);
  const p = (xs: number[], q: number) => xs[Math.min(xs.length - 1, Math.floor(xs.length * q))].toFixed(1);
  const bareRate = EVENTS / (baselineMs / 1000);
  console.log(`\nPOST /v2/usage over HTTP: ${(batches * HTTP_BATCH).toLocaleString()} events per shape, batches of ${HTTP_BATCH}, ${CLIENTS} clients, after ${(warmBatches * HTTP_BATCH).toLocaleString()} events of warm-up:`);
  for (const shape of Object.keys(shapes) as (keyof typeof shapes)[]) {
    const bodies = Array.from({ length: batches }, (_, b) => body(shape, b));
    let ingestDone!: () => void;
    const stop = new Promise<void>((resolve) => (ingestDone = resolve));
    const probing = Promise.all([probeOnSchedule(probes.health, PROBE_HZ.health, stop), probeOnSchedule(probes.list, PROBE_HZ.list, stop)]);
    const started = performance.now();
    await sendAll(bodies);
    const httpMs = performance.now() - started;
    ingestDone();
    const [health, list] = await probing;
    const during = { health, list };
    const httpRate = (batches * HTTP_BATCH) / (httpMs / 1000);
    console.log(`  ${shape}: ${Math.round(httpRate).toLocaleString()} events/s (${(httpRate / bareRate).toFixed(1)}× the bare createMany rate above)`);
    for (const name of ['health', 'list'] as const) {
      const xs = during[name];
      console.log(`    GET ${probes[name]} p50 / p95: idle ${p(idle[name], 0.5)} / ${p(idle[name], 0.95)} ms, during ingest ${p(xs, 0.5)} / ${p(xs, 0.95)} ms (${xs.length} probes, ${PROBE_HZ[name]}/s)`);
    }
  }
} finally {
  await server.stop();
}
