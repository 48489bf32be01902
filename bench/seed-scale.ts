// Seeds the default workspace at a chosen scale straight through the database driver (better-sqlite3 or
// pg, multi-row inserts; the ORM is not used per row): identities with tags, identity budgets with their
// current-window counters, usage events spread over the last DAYS days and the UsageDaily rollup built from
// the same events. Ends by checking a few identities' rollups against raw sums of their events.
//
//   DATABASE_URL=file:./data/scale.db npm run seed:scale -- --identities 2000 --events 100000 --days 30
//   DATABASE_URL=postgresql://… npm run seed:scale -- --identities 100000 --events 10000000
//
// The database is migrated first (scripts/migrate.mjs); the workspace must hold no identities yet.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import pg from 'pg';
import { newId, newWorkspaceId } from '../lib/ids';
import { periodStart, type BudgetPeriod } from '../lib/time/periods';
import { mulberry32 } from '../scripts/mulberry32';

const DAY_MS = 86_400_000;
const TAGS = ['premium', 'beta', 'team', 'engineering', 'marketing', 'support', 'project', 'client', 'enterprise', 'trial',
  'internal', 'eu', 'us', 'apac', 'free', 'pro', 'startup', 'partner', 'research', 'sales'];
const FIRST = ['Ada', 'Alan', 'Grace', 'Linus', 'Margaret', 'Ken', 'Barbara', 'Dennis', 'Radia', 'Edsger', 'Frances', 'Tim', 'Katherine', 'John', 'Hedy', 'Claude'];
const LAST = ['Lovelace', 'Turing', 'Hopper', 'Torvalds', 'Hamilton', 'Thompson', 'Liskov', 'Ritchie', 'Perlman', 'Dijkstra', 'Allen', 'Berners-Lee', 'Johnson', 'McCarthy', 'Lamarr', 'Shannon'];
const MODELS: { provider: string; model: string; inPerTok: number; outPerTok: number }[] = [
  { provider: 'openai', model: 'gpt-4o', inPerTok: 2.5, outPerTok: 10 },
  { provider: 'openai', model: 'gpt-4o-mini', inPerTok: 0.15, outPerTok: 0.6 },
  { provider: 'anthropic', model: 'claude-3-5-sonnet-20241022', inPerTok: 3, outPerTok: 15 },
  { provider: 'custom', model: 'unpriced-model', inPerTok: -1, outPerTok: -1 },
];

export type SeedOptions = { identities: number; events: number; days: number; seed: number; now: Date; quiet?: boolean };
export type SeedResult = { workspaceId: string; identityIds: string[]; externalIds: string[]; activeIdentities: number; budgets: number; tagRows: number; seconds: number };


type Value = string | number | bigint | boolean | null;
type Column = { name: string; pgType: string };

/** The two drivers behind one small interface: run SQL, insert rows in multi-row statements. */
interface Driver {
  kind: 'sqlite' | 'postgresql';
  exec(sql: string): Promise<void>;
  query<T>(sql: string, params?: Value[]): Promise<T[]>;
  insert(table: string, columns: Column[], rows: Value[][]): Promise<void>;
  /** A DateTime column value in the format the Prisma adapter writes. */
  date(d: Date): string;
  bool(b: boolean): Value;
  /** Drops the secondary indexes of a table, returning the statements that recreate them. */
  dropIndexes(table: string): Promise<string[]>;
  close(): Promise<void>;
}

function sqliteDriver(file: string): Driver {
  const conn = new Database(file);
  conn.pragma('journal_mode = WAL');
  conn.pragma('synchronous = OFF');
  conn.pragma('cache_size = -262144');
  conn.defaultSafeIntegers(false);
  const statements = new Map<string, Database.Statement>();
  // SQLite binds at most 32,766 parameters per statement.
  const insertChunk = (table: string, columns: Column[], rows: Value[][]) => {
    const key = `${table}|${rows.length}`;
    let stmt = statements.get(key);
    if (!stmt) {
      const one = `(${columns.map(() => '?').join(', ')})`;
      stmt = conn.prepare(`INSERT INTO "${table}" (${columns.map((c) => `"${c.name}"`).join(', ')}) VALUES ${Array(rows.length).fill(one).join(', ')}`);
      statements.set(key, stmt);
    }
    stmt.run(rows.flat().map((v) => (typeof v === 'boolean' ? (v ? 1 : 0) : v)));
  };
  return {
    kind: 'sqlite',
    exec: async (sql) => void conn.exec(sql),
    query: async <T>(sql: string, params: Value[] = []) => conn.prepare(sql).all(...params.map((v) => (typeof v === 'boolean' ? (v ? 1 : 0) : v))) as T[],
    insert: async (table, columns, rows) => {
      const per = Math.max(1, Math.floor(30_000 / columns.length));
      conn.transaction(() => {
        for (let i = 0; i < rows.length; i += per) insertChunk(table, columns, rows.slice(i, i + per));
      })();
    },
    date: (d) => d.toISOString().replace('Z', '+00:00'),
    bool: (b) => (b ? 1 : 0),
    dropIndexes: async (table) => {
      const rows = conn.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL`).all(table) as { name: string; sql: string }[];
      for (const r of rows) conn.exec(`DROP INDEX "${r.name}"`);
      return rows.map((r) => r.sql);
    },
    close: async () => {
      conn.pragma('synchronous = FULL');
      conn.exec('ANALYZE');
      conn.close();
    },
  };
}

async function pgDriver(url: string): Promise<Driver> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return {
    kind: 'postgresql',
    exec: async (sql) => void (await client.query(sql)),
    query: async <T>(sql: string, params: Value[] = []) => {
      let n = 0;
      const text = sql.replace(/\?/g, () => `$${++n}`);
      return (await client.query(text, params.map((v) => (typeof v === 'bigint' ? v.toString() : v)))).rows as T[];
    },
    // One INSERT … SELECT FROM unnest(arrays) per 10,000 rows: a handful of parameters, however many rows.
    insert: async (table, columns, rows) => {
      for (let i = 0; i < rows.length; i += 10_000) {
        const part = rows.slice(i, i + 10_000);
        const arrays = columns.map((_, c) => part.map((r) => (typeof r[c] === 'bigint' ? r[c].toString() : r[c])));
        const casts = columns.map((col, c) => `$${c + 1}::${col.pgType}[]`).join(', ');
        await client.query(`INSERT INTO "${table}" (${columns.map((c) => `"${c.name}"`).join(', ')}) SELECT * FROM unnest(${casts})`, arrays);
      }
    },
    date: (d) => d.toISOString(),
    bool: (b) => b,
    dropIndexes: async (table) => {
      const { rows } = await client.query<{ indexname: string; indexdef: string }>(
        `SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = $1 AND i.schemaname = current_schema()
           AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
        [table],
      );
      for (const r of rows) await client.query(`DROP INDEX "${r.indexname}"`);
      // A partitioned table's index definitions say ON ONLY (the parent alone): rebuilt on every partition instead.
      return rows.map((r) => r.indexdef.replace(' ON ONLY ', ' ON '));
    },
    close: async () => {
      await client.query('ANALYZE');
      await client.end();
    },
  };
}

const col = (name: string, pgType: string): Column => ({ name, pgType });

export async function seedScale(databaseUrl: string, opts: SeedOptions): Promise<SeedResult> {
  const started = performance.now();
  const say = (msg: string) => opts.quiet || console.log(`[seed ${((performance.now() - started) / 1000).toFixed(1)} s] ${msg}`);
  const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const migrate = spawnSync(process.execPath, ['scripts/migrate.mjs'], { cwd: repoRoot, env: { ...process.env, DATABASE_URL: databaseUrl }, encoding: 'utf8' });
  if (migrate.status !== 0) throw new Error(`scripts/migrate.mjs failed:\n${migrate.stdout}\n${migrate.stderr}`);

  const driver = databaseUrl.startsWith('file:') ? sqliteDriver(path.resolve(databaseUrl.slice('file:'.length))) : await pgDriver(databaseUrl);
  const { now, days } = opts;
  const nowText = driver.date(now);
  const rand = mulberry32(opts.seed);

  // The workspace the server's bootstrap uses (slug "default").
  let workspaceId = (await driver.query<{ id: string }>(`SELECT "id" AS id FROM "Workspace" WHERE "slug" = 'default'`))[0]?.id;
  if (!workspaceId) {
    workspaceId = newWorkspaceId();
    await driver.insert('Workspace', [col('id', 'text'), col('slug', 'text'), col('name', 'text'), col('createdAt', 'timestamp'), col('updatedAt', 'timestamp')], [
      [workspaceId, 'default', 'Default workspace', nowText, nowText],
    ]);
  }
  const existing = await driver.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM "Identity" WHERE "workspaceId" = ?`, [workspaceId]);
  if (Number(existing[0].n) > 0) throw new Error(`the default workspace already has ${existing[0].n} identities; seed an empty database`);

  // 1. Identities (created over the 60 days before now, oldest first) and their tags.
  const N = opts.identities;
  const identityIds: string[] = [];
  const externalIds: string[] = [];
  const identityRows: Value[][] = [];
  const tagRows: Value[][] = [];
  const width = String(N).length + 1;
  for (let i = 0; i < N; i++) {
    const id = newId();
    const externalId = `user-${String(i).padStart(width, '0')}`;
    const displayName = rand() < 0.9 ? `${FIRST[i % FIRST.length]} ${LAST[Math.floor(i / FIRST.length) % LAST.length]} ${i}` : null;
    const email = rand() < 0.8 ? `${externalId}@example.com` : null;
    const tagCount = Math.floor(rand() * 4.05);
    const tags = [...new Set(Array.from({ length: tagCount }, () => TAGS[Math.floor(rand() * rand() * TAGS.length)]))];
    const createdAt = driver.date(new Date(now.getTime() - (N - i) * Math.floor((60 * DAY_MS) / N)));
    identityIds.push(id);
    externalIds.push(externalId);
    identityRows.push([id, workspaceId, externalId, displayName, email, JSON.stringify(tags), '{}', (displayName ?? externalId).toLowerCase(), rand() < 0.5 ? 'api' : 'usage', createdAt, createdAt]);
    for (const tag of tags) tagRows.push([id, workspaceId, tag]);
  }
  await driver.insert('Identity', [col('id', 'text'), col('workspaceId', 'text'), col('externalId', 'text'), col('displayName', 'text'), col('email', 'text'), col('tags', 'jsonb'),
    col('metadata', 'jsonb'), col('sortName', 'text'), col('source', 'text'), col('createdAt', 'timestamp'), col('updatedAt', 'timestamp')], identityRows);
  await driver.insert('IdentityTag', [col('identityId', 'text'), col('workspaceId', 'text'), col('tag', 'text')], tagRows);
  say(`${N.toLocaleString()} identities, ${tagRows.length.toLocaleString()} tag rows`);

  // 2. Events: 90 % of the identities are active, skewed (a few heavy users, a long tail), in random
  // order relative to their ids; times uniform over the last `days` days. Rollups accumulate as we go.
  const active = Math.max(1, Math.floor(N * 0.9));
  const perm = Array.from({ length: N }, (_, i) => i);
  for (let i = N - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [perm[i], perm[j]] = [perm[j], perm[i]];
  }
  const windowStart = now.getTime() - days * DAY_MS;
  const firstDay = Math.floor(windowStart / DAY_MS);
  const dayCount = Math.floor(now.getTime() / DAY_MS) - firstDay + 1;
  const cells = N * dayCount;
  const rRequests = new Int32Array(cells);
  const rErrors = new Int32Array(cells);
  const rUnpriced = new Int32Array(cells);
  const rInput = new Float64Array(cells);
  const rOutput = new Float64Array(cells);
  const rCost = new Float64Array(cells);

  // Identity budgets (10 %, cycling daily / weekly / monthly) and their current-window counters.
  const periods: BudgetPeriod[] = ['monthly', 'daily', 'weekly'];
  const budgetOf = new Map<number, { id: string; period: BudgetPeriod; sinceMs: number; spent: number; tokens: number; requests: number }>();
  for (let i = 0; i < N; i += 10) {
    const period = periods[(i / 10) % periods.length];
    budgetOf.set(i, { id: newId(), period, sinceMs: periodStart(period, now).getTime(), spent: 0, tokens: 0, requests: 0 });
  }

  const eventIndexes = await driver.dropIndexes('UsageEvent');
  if (driver.kind === 'postgresql') {
    // Events are partitioned by month there (lib/usage/partitions.ts): each month of the window gets its own.
    for (let month = new Date(Date.UTC(new Date(windowStart).getUTCFullYear(), new Date(windowStart).getUTCMonth(), 1)); month <= now; month = new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 1))) {
      const next = new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 1));
      const name = `UsageEvent_${month.getUTCFullYear()}_${String(month.getUTCMonth() + 1).padStart(2, '0')}`;
      await driver.exec(`CREATE TABLE IF NOT EXISTS "${name}" PARTITION OF "UsageEvent" FOR VALUES FROM ('${month.toISOString()}') TO ('${next.toISOString()}')`);
    }
  }
  const eventColumns = [col('id', 'text'), col('workspaceId', 'text'), col('identityId', 'text'), col('eventKey', 'text'), col('occurredAt', 'timestamp'), col('provider', 'text'),
    col('model', 'text'), col('inputTokens', 'int'), col('outputTokens', 'int'), col('totalTokens', 'int'), col('costMicros', 'bigint'), col('priced', 'boolean'),
    col('status', 'text'), col('source', 'text'), col('estimated', 'boolean'), col('createdAt', 'timestamp')];
  const BATCH = 50_000;
  for (let e0 = 0; e0 < opts.events; e0 += BATCH) {
    const rows: Value[][] = [];
    for (let e = e0; e < Math.min(opts.events, e0 + BATCH); e++) {
      const r = rand();
      const idx = perm[Math.floor(active * r * r)];
      const at = windowStart + Math.floor(rand() * (now.getTime() - windowStart));
      const m = MODELS[Math.floor(rand() * 100) < 3 ? 3 : Math.floor(rand() * 3)];
      const input = 50 + Math.floor(rand() * 2000);
      const output = 10 + Math.floor(rand() * 800);
      const priced = m.inPerTok >= 0;
      const cost = priced ? Math.round(input * m.inPerTok + output * m.outPerTok) : null;
      const isError = rand() < 0.04;
      const date = new Date(at);
      rows.push([newId(), workspaceId, identityIds[idx], `ev-${e}`, driver.date(date), m.provider, m.model, input, output, input + output, cost, driver.bool(priced),
        isError ? 'error' : 'success', 'usage', driver.bool(false), driver.date(date)]);
      const cell = idx * dayCount + (Math.floor(at / DAY_MS) - firstDay);
      rRequests[cell]++;
      if (isError) rErrors[cell]++;
      if (!priced) rUnpriced[cell]++;
      rInput[cell] += input;
      rOutput[cell] += output;
      rCost[cell] += cost ?? 0;
      const budget = budgetOf.get(idx);
      if (budget && at >= budget.sinceMs) {
        budget.spent += cost ?? 0;
        budget.tokens += input + output;
        budget.requests++;
      }
    }
    await driver.insert('UsageEvent', eventColumns, rows);
    if ((e0 / BATCH) % 20 === 19) say(`${(e0 + rows.length).toLocaleString()} events`);
  }
  say(`${opts.events.toLocaleString()} events; rebuilding ${eventIndexes.length} indexes`);
  for (const sql of eventIndexes) await driver.exec(sql);
  // PostgreSQL keeps each event's key in "UsageEventKey" (lib/usage/event-keys.ts), where ingest's duplicate check reads.
  if (driver.kind === 'postgresql') {
    await driver.exec(`INSERT INTO "UsageEventKey" ("workspaceId", "eventKey", "identityId", "occurredAt", "eventId") SELECT "workspaceId", "eventKey", "identityId", "occurredAt", "id" FROM "UsageEvent"`);
  }

  // 3. The daily rollup, exactly the sums of the events above.
  const dailyRows: Value[][] = [];
  for (let idx = 0; idx < N; idx++) {
    for (let d = 0; d < dayCount; d++) {
      const cell = idx * dayCount + d;
      if (rRequests[cell] === 0) continue;
      dailyRows.push([identityIds[idx], driver.date(new Date((firstDay + d) * DAY_MS)), workspaceId, rRequests[cell], rErrors[cell], rUnpriced[cell], rInput[cell], rOutput[cell], rCost[cell]]);
    }
  }
  await driver.insert('UsageDaily', [col('identityId', 'text'), col('day', 'timestamp'), col('workspaceId', 'text'), col('requests', 'int'), col('errors', 'int'),
    col('unpricedRequests', 'int'), col('inputTokens', 'bigint'), col('outputTokens', 'bigint'), col('costMicros', 'bigint')], dailyRows);
  say(`${dailyRows.length.toLocaleString()} daily rollup rows`);

  // 4. Budgets with their counters (the spend of the current window, as admission and ingest keep it).
  const budgetRows: Value[][] = [];
  const counterRows: Value[][] = [];
  for (const [idx, b] of budgetOf) {
    const amount = b.period === 'daily' ? 2_000_000 : b.period === 'weekly' ? 10_000_000 : 50_000_000;
    budgetRows.push([b.id, workspaceId, 'identity', externalIds[idx], identityIds[idx], b.period, amount, driver.bool(true), 0, nowText, nowText]);
    counterRows.push([b.id, b.sinceMs, b.spent, b.tokens, b.requests]);
  }
  await driver.insert('Budget', [col('id', 'text'), col('workspaceId', 'text'), col('scopeKind', 'text'), col('scopeTargetId', 'text'), col('identityId', 'text'),
    col('period', 'text'), col('amountMicros', 'bigint'), col('isActive', 'boolean'), col('rateTatMs', 'bigint'), col('createdAt', 'timestamp'), col('updatedAt', 'timestamp')], budgetRows);
  await driver.insert('BudgetCounter', [col('budgetId', 'text'), col('windowStartMs', 'bigint'), col('spentMicros', 'bigint'), col('tokens', 'bigint'), col('requests', 'int')], counterRows);
  say(`${budgetRows.length.toLocaleString()} budgets`);

  // 5. Check: a few active identities' rollups equal the raw sums of their events, day by day.
  for (let k = 0; k < 5; k++) {
    const idx = perm[Math.floor(active * rand())];
    const day = driver.kind === 'sqlite' ? `substr("occurredAt", 1, 10)` : `to_char("occurredAt", 'YYYY-MM-DD')`;
    const dailyDay = driver.kind === 'sqlite' ? `substr("day", 1, 10)` : `to_char("day", 'YYYY-MM-DD')`;
    const raw = await driver.query<Record<string, unknown>>(
      `SELECT ${day} AS d, COUNT(*) AS requests, SUM(CASE WHEN "status" = 'error' THEN 1 ELSE 0 END) AS errors, SUM(CASE WHEN "priced" THEN 0 ELSE 1 END) AS unpriced,
         SUM("inputTokens") AS input, SUM("outputTokens") AS output, SUM(COALESCE("costMicros", 0)) AS cost
       FROM "UsageEvent" WHERE "identityId" = ? GROUP BY ${day} ORDER BY 1`,
      [identityIds[idx]],
    );
    const rolled = await driver.query<Record<string, unknown>>(
      `SELECT ${dailyDay} AS d, "requests" AS requests, "errors" AS errors, "unpricedRequests" AS unpriced, "inputTokens" AS input, "outputTokens" AS output, "costMicros" AS cost
       FROM "UsageDaily" WHERE "identityId" = ? ORDER BY 1`,
      [identityIds[idx]],
    );
    const norm = (rows: Record<string, unknown>[]) => JSON.stringify(rows.map((r) => Object.fromEntries(Object.entries(r).map(([key, v]) => [key, key === 'd' ? v : Number(v)]))));
    if (norm(raw) !== norm(rolled)) throw new Error(`rollup of ${identityIds[idx]} differs from its events:\n${norm(raw)}\n${norm(rolled)}`);
  }
  say('rollups of 5 identities match their raw events');
  await driver.close();
  return { workspaceId, identityIds, externalIds, activeIdentities: active, budgets: budgetRows.length, tagRows: tagRows.length, seconds: (performance.now() - started) / 1000 };
}

function argValue(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isFinite(v) || v < 0) throw new Error(`--${name} needs a number`);
  return v;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const url = process.env.DATABASE_URL || 'file:./data/tollbooth.db';
  const result = await seedScale(url, {
    identities: argValue('identities', 2_000),
    events: argValue('events', 100_000),
    days: argValue('days', 30),
    seed: argValue('seed', 42),
    now: new Date(),
  });
  console.log(`seeded ${result.identityIds.length.toLocaleString()} identities (${result.activeIdentities.toLocaleString()} with usage), ${result.budgets.toLocaleString()} budgets in ${result.seconds.toFixed(1)} s`);
}
