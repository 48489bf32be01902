// Benchmark: the API and Studio read paths over a workspace seeded at scale (bench/seed-scale.ts), against
// the built server (tests/support/server.ts). Prints p50/p95 per request, each also as a ratio to
// `/api/health` measured in the same run, plus a raw 30-day aggregate over the events as a database baseline.
//
//   NEXT_DIST_DIR=.next-bench npm run build
//   NEXT_DIST_DIR=.next-bench npx tsx --conditions=react-server bench/scale.ts
//   (defaults: SCALE_IDENTITIES=2000 SCALE_EVENTS=100000 RUNS=20; SCALE_POSTGRES_URL=postgresql://… seeds a
//   fresh database on that server instead of a SQLite file; SCALE_DATABASE_URL=… reuses a seeded database)
//   Full run: SCALE_IDENTITIES=100000 SCALE_EVENTS=10000000
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { sealData } from 'iron-session';
import pg from 'pg';
import { startServer } from '../tests/support/server';
import { seedScale } from './seed-scale';

const IDENTITIES = Number(process.env.SCALE_IDENTITIES ?? 2_000);
const EVENTS = Number(process.env.SCALE_EVENTS ?? 100_000);
const RUNS = Number(process.env.RUNS ?? 20);
const WARMUP = 3;
const DAY_MS = 86_400_000;
const ADMIN_EMAIL = 'admin@example.test';

type Db = { query: <T>(sql: string, params?: unknown[]) => Promise<T[]>; close: () => Promise<void> };

async function openDb(url: string): Promise<Db> {
  if (url.startsWith('file:')) {
    const conn = new Database(path.resolve(url.slice('file:'.length)));
    return {
      query: async <T>(sql: string, params: unknown[] = []) => {
        const stmt = conn.prepare(sql);
        return (stmt.reader ? stmt.all(...params) : (stmt.run(...params), [])) as T[];
      },
      close: async () => void conn.close(),
    };
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return {
    query: async <T>(sql: string, params: unknown[] = []) => {
      let n = 0;
      return (await client.query(sql.replace(/\?/g, () => `$${++n}`), params)).rows as T[];
    },
    close: () => client.end(),
  };
}

/** A fresh database: a SQLite file in a temp folder, or a new database on SCALE_POSTGRES_URL's server. */
async function freshDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const reuse = process.env.SCALE_DATABASE_URL;
  if (reuse) return { url: reuse, drop: async () => {} };
  const admin = process.env.SCALE_POSTGRES_URL;
  if (!admin) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tollbooth-scale-'));
    return { url: `file:${path.join(dir, 'scale.db')}`, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `tollbooth_scale_${randomBytes(6).toString('hex')}`;
  const run = async (sql: string) => {
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    await client.query(sql).finally(() => client.end());
  };
  await run(`CREATE DATABASE ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

type Sample = { firstByteMs: number; totalMs: number };
type Result = { name: string; firstByte: number[]; total: number[]; goal: string; goalMs: number; studio: boolean };

const percentile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];

async function timeOnce(url: string, headers: Record<string, string>): Promise<Sample> {
  const t = performance.now();
  const res = await fetch(url, { headers, redirect: 'manual' });
  const firstByteMs = performance.now() - t;
  const body = await res.text();
  const totalMs = performance.now() - t;
  if (res.status !== 200) throw new Error(`GET ${url}: HTTP ${res.status} ${body.slice(0, 300)}`);
  return { firstByteMs, totalMs };
}

async function measure(url: string, headers: Record<string, string>): Promise<{ firstByte: number[]; total: number[] }> {
  for (let i = 0; i < WARMUP; i++) await timeOnce(url, headers);
  const firstByte: number[] = [];
  const total: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const s = await timeOnce(url, headers);
    firstByte.push(s.firstByteMs);
    total.push(s.totalMs);
  }
  return { firstByte: firstByte.sort((a, b) => a - b), total: total.sort((a, b) => a - b) };
}

const database = await freshDatabase();
const dbKind = database.url.startsWith('file:') ? 'SQLite' : 'PostgreSQL';
const cleanups: (() => Promise<void>)[] = [database.drop];
try {
  const probe = await openDb(database.url).catch(() => null);
  const seeded = probe ? await probe.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM "Identity"`).catch(() => [{ n: 0 }]) : [{ n: 0 }];
  await probe?.close();
  if (Number(seeded[0].n) === 0) {
    console.log(`seeding ${IDENTITIES.toLocaleString()} identities and ${EVENTS.toLocaleString()} events on ${dbKind}…`);
    const seed = await seedScale(database.url, { identities: IDENTITIES, events: EVENTS, days: 30, seed: 42, now: new Date() });
    console.log(`seeded in ${seed.seconds.toFixed(1)} s`);
  } else {
    console.log(`reusing ${Number(seeded[0].n).toLocaleString()} identities on ${dbKind}`);
  }

  const sessionSecret = randomBytes(32).toString('base64url');
  const server = await startServer({ databaseUrl: database.url, env: { SESSION_SECRET: sessionSecret, TOLLBOOTH_LOG_LEVEL: 'warn' } });
  cleanups.push(() => server.stop());

  // A Studio session made as sign-in makes it (a session row, its id sealed in the cookie), without the form.
  const sql = await openDb(database.url);
  cleanups.push(() => sql.close());
  const [user] = await sql.query<{ id: string }>(`SELECT "id" AS id FROM "User" WHERE "email" = ?`, [ADMIN_EMAIL]);
  if (!user) throw new Error(`no user ${ADMIN_EMAIL}: did the server's bootstrap run?`);
  const sessionId = randomBytes(32).toString('base64url');
  const now = new Date();
  const date = (d: Date) => (dbKind === 'SQLite' ? d.toISOString().replace('Z', '+00:00') : d.toISOString());
  await sql.query(`INSERT INTO "Session" ("idHash", "userId", "createdAt", "expiresAt", "lastSeenAt") VALUES (?, ?, ?, ?, ?)`, [
    createHash('sha256').update(sessionId).digest('hex'), user.id, date(now), date(new Date(now.getTime() + DAY_MS)), date(now),
  ]);
  const cookie = `tollbooth_session=${await sealData({ sessionId }, { password: sessionSecret, ttl: 7 * 86_400 })}`;
  const api = { authorization: `Bearer ${server.apiKey}` };
  const studio = { cookie };

  // Ids to address: the first page's last identity (cursor), an identity of the first page (detail page),
  // one external id (a one-match search).
  const first = (await (await fetch(`${server.baseUrl}/v2/identities?limit=50`, { headers: api })).json()) as { data: { _id: string; external_id: string }[] };
  if (first.data.length === 0) throw new Error('the seeded workspace has no identities');
  const cursor = first.data[first.data.length - 1]._id;
  const one = first.data[Math.floor(first.data.length / 2)];
  const studioCheck = await fetch(`${server.baseUrl}/identities`, { headers: studio, redirect: 'manual' });
  if (studioCheck.status !== 200) throw new Error(`Studio sign-in did not take: GET /identities answered ${studioCheck.status}`);
  await studioCheck.text();

  // Baselines: the server's cheapest route, and the raw 30-day aggregate over every event of the workspace.
  const health = await measure(`${server.baseUrl}/api/health`, {});
  const since = date(new Date(now.getTime() - 30 * DAY_MS));
  const rawTimes: number[] = [];
  for (let i = 0; i < Math.min(RUNS, 5) + 1; i++) {
    const t = performance.now();
    await sql.query(`SELECT COUNT(*) AS n, SUM("costMicros") AS cost FROM "UsageEvent" WHERE "occurredAt" >= ?`, [since]);
    if (i > 0) rawTimes.push(performance.now() - t);
  }
  rawTimes.sort((a, b) => a - b);

  const B = server.baseUrl;
  const targets: { name: string; url: string; headers: Record<string, string>; studio: boolean; goalMs: number }[] = [
    { name: '`GET /v2/identities?include_metrics=true&limit=50`', url: `${B}/v2/identities?include_metrics=true&limit=50`, headers: api, studio: false, goalMs: 50 },
    { name: '… page 2 (`starting_after`)', url: `${B}/v2/identities?include_metrics=true&limit=50&starting_after=${cursor}`, headers: api, studio: false, goalMs: 50 },
    { name: '… search, one match', url: `${B}/v2/identities?include_metrics=true&limit=50&search=${encodeURIComponent(one.external_id)}`, headers: api, studio: false, goalMs: 50 },
    { name: '… search, many matches', url: `${B}/v2/identities?include_metrics=true&limit=50&search=grace`, headers: api, studio: false, goalMs: 50 },
    { name: '… tag filter', url: `${B}/v2/identities?include_metrics=true&limit=50&filter_by.tags=beta`, headers: api, studio: false, goalMs: 50 },
    { name: '`GET /v2/budgets` (25)', url: `${B}/v2/budgets?limit=25`, headers: api, studio: false, goalMs: 50 },
    { name: '`GET /v2/budgets` (200)', url: `${B}/v2/budgets?limit=200`, headers: api, studio: false, goalMs: 0 },
    { name: 'Studio `/identities`', url: `${B}/identities`, headers: studio, studio: true, goalMs: 500 },
    { name: 'Studio `/identities?sort=cost`', url: `${B}/identities?sort=cost`, headers: studio, studio: true, goalMs: 500 },
    { name: 'Studio `/identities?sort=requests`', url: `${B}/identities?sort=requests`, headers: studio, studio: true, goalMs: 500 },
    { name: 'Studio `/identities?sort=error_rate`', url: `${B}/identities?sort=error_rate`, headers: studio, studio: true, goalMs: 500 },
    { name: 'Studio `/identities?tag=beta&sort=cost&page=3`', url: `${B}/identities?tag=beta&sort=cost&page=3`, headers: studio, studio: true, goalMs: 500 },
    { name: 'Studio identity detail', url: `${B}/identities/${one._id}`, headers: studio, studio: true, goalMs: 500 },
  ];
  const results: Result[] = [];
  for (const t of targets) {
    process.stdout.write(`  ${t.name}… `);
    const m = await measure(t.url, t.headers);
    results.push({ name: t.name, ...m, goal: t.studio ? 'first byte ≤ 200, page ≤ 500' : t.goalMs ? `p95 ≤ ${t.goalMs}` : '—', goalMs: t.goalMs, studio: t.studio });
    console.log(`p95 ${percentile(m.total, 0.95).toFixed(0)} ms`);
  }

  const [identities] = await sql.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM "Identity"`);
  const [events] = await sql.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM "UsageEvent"`);
  const h50 = percentile(health.total, 0.5);
  const h95 = percentile(health.total, 0.95);
  const f = (ms: number) => (ms < 10 ? ms.toFixed(1) : ms.toFixed(0));
  console.log(`\n${dbKind}, ${Number(identities.n).toLocaleString()} identities, ${Number(events.n).toLocaleString()} events, ${RUNS} runs each (after ${WARMUP} warm-up), sequential.`);
  console.log(`Baselines: \`/api/health\` p50 ${f(h50)} ms / p95 ${f(h95)} ms; raw 30-day aggregate over the events (driver) median ${f(percentile(rawTimes, 0.5))} ms.\n`);
  console.log('| What | p50 ms | p95 ms | first byte p50 / p95 ms | p95 ÷ health p95 | Goal | Met |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of results) {
    const p50 = percentile(r.total, 0.5);
    const p95 = percentile(r.total, 0.95);
    const fb = r.studio ? `${f(percentile(r.firstByte, 0.5))} / ${f(percentile(r.firstByte, 0.95))}` : '';
    const met = r.studio ? percentile(r.firstByte, 0.95) <= 200 && p95 <= 500 : r.goalMs ? p95 <= r.goalMs : null;
    console.log(`| ${r.name} | ${f(p50)} | ${f(p95)} | ${fb} | ${(p95 / h95).toFixed(1)}× | ${r.goal} | ${met === null ? '' : met ? 'yes' : 'no'} |`);
  }
} finally {
  for (const undo of cleanups.reverse()) await undo().catch((err) => console.error('cleanup failed:', err));
}
