// Benchmark: 30-day identity metrics from the daily rollup vs. aggregating raw usage events.
// Seeds a throw-away SQLite database with IDENTITIES identities and EVENTS events over 30 days,
// then times one list page of metrics both ways. Reports medians and the ratio (same run, same data).
//
//   npm run bench            (defaults: 2,000 identities, 1,000,000 events)
//   EVENTS=200000 npm run bench
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import Database from 'better-sqlite3';

const IDENTITIES = Number(process.env.IDENTITIES ?? 2_000);
const EVENTS = Number(process.env.EVENTS ?? 1_000_000);
const PAGE = 50;
const RUNS = Number(process.env.RUNS ?? 15);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tollbooth-bench-'));
const file = path.join(dir, 'bench.db');
process.env.DATABASE_URL = `file:${file}`;
// Created and migrated as `npm start` does it (scripts/migrate.mjs: a new database's page size and journal mode).
execFileSync(process.execPath, ['scripts/migrate.mjs'], { stdio: 'ignore', env: process.env });

const now = new Date();
const dayMs = 86_400_000;
const sqlite = new Database(file);
sqlite.pragma('journal_mode = WAL');
const ws = 'ws_bench';
sqlite.prepare(`INSERT INTO Workspace (id, slug, name, createdAt, updatedAt) VALUES (?, 'bench', 'Bench', ?, ?)`).run(ws, now.toISOString(), now.toISOString());

console.log(`seeding ${IDENTITIES.toLocaleString()} identities and ${EVENTS.toLocaleString()} events…`);
const seedStart = performance.now();
const ids: string[] = [];
const insertIdentity = sqlite.prepare(
  `INSERT INTO Identity (id, workspaceId, externalId, sortName, source, tags, metadata, createdAt, updatedAt) VALUES (?, ?, ?, ?, 'api', '[]', '{}', ?, ?)`,
);
const insertEvent = sqlite.prepare(
  `INSERT INTO UsageEvent (id, workspaceId, identityId, eventKey, occurredAt, provider, model, inputTokens, outputTokens, totalTokens, costMicros, priced, status, source, createdAt)
   VALUES (?, ?, ?, ?, ?, 'openai', 'gpt-4o', ?, ?, ?, ?, 1, ?, 'usage', ?)`,
);
sqlite.transaction(() => {
  for (let i = 0; i < IDENTITIES; i++) {
    const id = `id_${String(i).padStart(8, '0')}`;
    ids.push(id);
    insertIdentity.run(id, ws, `user_${i}`, `user_${i}`, now.toISOString(), now.toISOString());
  }
  for (let e = 0; e < EVENTS; e++) {
    const at = new Date(now.getTime() - Math.floor(Math.random() * 30 * dayMs)).toISOString();
    const input = 100 + (e % 900);
    const output = 50 + (e % 400);
    insertEvent.run(`ev_${e}`, ws, ids[e % IDENTITIES], `ev_${e}`, at, input, output, input + output, input * 3 + output * 10, e % 20 === 0 ? 'error' : 'success', at);
  }
})();
// The rollup the ingest path maintains, built once in bulk.
sqlite.exec(`
  INSERT INTO UsageDaily (identityId, day, workspaceId, requests, errors, unpricedRequests, inputTokens, outputTokens, costMicros)
  SELECT identityId, strftime('%Y-%m-%dT00:00:00.000+00:00', occurredAt), workspaceId, COUNT(*), SUM(status = 'error'), SUM(priced = 0),
         SUM(inputTokens), SUM(outputTokens), SUM(COALESCE(costMicros, 0))
  FROM UsageEvent GROUP BY identityId, strftime('%Y-%m-%d', occurredAt)`);
sqlite.close();
console.log(`seeded in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);

const { getIdentityMetrics, metricsWindowStart } = await import('../lib/usage/metrics');
const { db } = await import('../lib/db');

// Baseline: the same numbers straight from the append-only events table.
async function metricsFromEvents(identityIds: string[]) {
  const groups = await db.usageEvent.groupBy({
    by: ['identityId', 'status'],
    where: { identityId: { in: identityIds }, occurredAt: { gte: metricsWindowStart(now) } },
    _sum: { costMicros: true, totalTokens: true },
    _count: { _all: true },
  });
  return groups.length;
}

async function median(fn: () => Promise<unknown>): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const page = ids.slice(0, PAGE);
const rollup = await getIdentityMetrics(ws, page, now);
if (rollup.size !== PAGE) throw new Error(`rollup returned ${rollup.size} identities, expected ${PAGE}`);
const baselineMs = await median(() => metricsFromEvents(page));
const rollupMs = await median(() => getIdentityMetrics(ws, page, now));
const allBaselineMs = await median(() => metricsFromEvents(ids.slice(0, 500)));
const allRollupMs = await median(() => getIdentityMetrics(ws, ids.slice(0, 500), now));

console.log(`\n30-day metrics, ${EVENTS.toLocaleString()} events, median of ${RUNS}:`);
console.log(`  page of ${PAGE}:   raw events ${baselineMs.toFixed(1)} ms   rollup ${rollupMs.toFixed(1)} ms   → rollup is ${(baselineMs / rollupMs).toFixed(1)}× faster`);
console.log(`  500 identities: raw events ${allBaselineMs.toFixed(1)} ms   rollup ${allRollupMs.toFixed(1)} ms   → rollup is ${(allBaselineMs / allRollupMs).toFixed(1)}× faster`);
await db.$disconnect();
fs.rmSync(dir, { recursive: true, force: true });
