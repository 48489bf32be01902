// PostgreSQL's monthly partitions of usage events (prisma/postgresql/migrations/*_partition_usage_events,
// lib/usage/partitions.ts, lib/usage/event-keys.ts), with time injected, against databases of their own: the migration
// keeps every row, partitions are made ahead (taking over what DEFAULT holds of their month), retention drops whole old
// months and trims the boundary month, and ingest stays idempotent through the key table, concurrent batches included.
// PostgreSQL only: skipped unless TOLLBOOTH_TEST_POSTGRES_URL names a server.
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { afterAll, describe, expect, test } from 'vitest';
import { withInProcessLib } from './support/in-process-db';
import { eventually } from './support/db';
import { repoRoot } from './support/server';

const admin = process.env.TOLLBOOTH_TEST_POSTGRES_URL;

const migrationsDir = path.join(repoRoot, 'prisma', 'postgresql', 'migrations');
const migrations = fs.readdirSync(migrationsDir).filter((name) => /^\d{14}_/.test(name)).sort();
const partitioning = migrations.find((name) => name.endsWith('_partition_usage_events')) as string;

const urlOf = (name: string) => Object.assign(new URL(admin ?? 'postgresql://unused'), { pathname: `/${name}` }).toString();

async function withClient<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** Applies the migrations before `name` on `client`'s database (each script whole, as one simple query). */
async function migrateUpTo(client: pg.Client, name: string): Promise<void> {
  for (const m of migrations.filter((m) => m < name)) await client.query(fs.readFileSync(path.join(migrationsDir, m, 'migration.sql'), 'utf8'));
}

/** Applies migration `name` as `prisma migrate deploy` does: through the pg driver adapter, which splits a script at semicolons. */
async function deployMigration(url: string, name: string): Promise<void> {
  const adapter = await new PrismaPg({ connectionString: url }).connect();
  try {
    await adapter.executeScript(fs.readFileSync(path.join(migrationsDir, name, 'migration.sql'), 'utf8'));
  } finally {
    await adapter.dispose();
  }
}

const monthName = (t: Date, plus = 0) => {
  const m = new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + plus, 1));
  return `UsageEvent_${m.getUTCFullYear()}_${String(m.getUTCMonth() + 1).padStart(2, '0')}`;
};

/** The partitions of "UsageEvent" by name, and the tables holding each event (by event key). */
async function layout(client: { query: pg.Client['query'] }) {
  const partitions = (
    await client.query<{ name: string }>(`SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = '"UsageEvent"'::regclass ORDER BY 1`)
  ).rows.map((r) => r.name);
  const homes = Object.fromEntries((await client.query<{ key: string; home: string }>(`SELECT "eventKey" AS key, tableoid::regclass::text AS home FROM "UsageEvent"`)).rows.map((r) => [r.key, r.home.replace(/"/g, '')]));
  return { partitions, homes };
}

describe.skipIf(!admin)('the migration to monthly partitions', () => {
  const name = `tollbooth_part_${randomBytes(6).toString('hex')}`;
  const url = urlOf(name);

  afterAll(async () => {
    await withClient(admin as string, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  });

  test('keeps every row, each in its month, with the keys, constraints and indexes in place', async () => {
    await withClient(admin as string, (c) => c.query(`CREATE DATABASE ${name}`));
    const before = await withClient(url, async (c) => {
      await migrateUpTo(c, partitioning);
      await c.query(`INSERT INTO "Workspace" (id, slug, name, "updatedAt") VALUES ('w1', 'w1', 'W', now()), ('w2', 'w2', 'W2', now())`);
      await c.query(`INSERT INTO "Identity" (id, "workspaceId", "externalId", "sortName", source, "updatedAt")
        VALUES ('i1', 'w1', 'e1', 'e1', 'usage', now()), ('i2', 'w1', 'e2', 'e2', 'usage', now()), ('i3', 'w2', 'e1', 'e1', 'usage', now())`);
      // Months apart (2019, 2026, 2031), both sides of a month's edge, and the same key in two workspaces.
      await c.query(`INSERT INTO "UsageEvent" (id, "workspaceId", "identityId", "eventKey", "occurredAt", provider, model, "inputTokens", "outputTokens",
          "totalTokens", "costMicros", priced, status, "errorCode", "latencyMs", source, metadata, estimated, pricing, "apiKeyId", "deploymentId")
        SELECT 'ev' || g, CASE WHEN g = 9 THEN 'w2' ELSE 'w1' END, CASE WHEN g = 9 THEN 'i3' WHEN g % 2 = 0 THEN 'i1' ELSE 'i2' END,
          CASE WHEN g = 9 THEN 'k1' ELSE 'k' || g END, t, 'openai', 'gpt-4o', g, 2 * g, 3 * g, CASE WHEN g % 4 = 0 THEN NULL ELSE 1000 * g END,
          g % 4 <> 0, CASE WHEN g % 3 = 0 THEN 'error' ELSE 'success' END, NULL, 10 * g, 'usage', jsonb_build_object('g', g), g % 2 = 0,
          jsonb_build_object('source', 'table'), NULL, NULL
        FROM unnest(ARRAY[timestamp '2019-06-15 12:00', '2026-01-31 23:59:59.999', '2026-02-01 00:00', '2026-02-14 08:30:00.123',
          '2026-03-31 23:59:59.999', '2031-01-01 00:00', '2026-02-01 00:00', '2026-01-05 00:00', '2026-02-02 00:00']) WITH ORDINALITY AS u(t, g)`);
      return (await c.query(`SELECT to_jsonb(e) AS row FROM "UsageEvent" e ORDER BY id`)).rows;
    });
    expect(before).toHaveLength(9);

    await deployMigration(url, partitioning);

    await withClient(url, async (c) => {
      expect((await c.query(`SELECT to_jsonb(e) AS row FROM "UsageEvent" e ORDER BY id`)).rows).toEqual(before);
      const now = new Date();
      const { partitions } = await layout(c);
      const homes = Object.fromEntries((await c.query<{ id: string; home: string }>(`SELECT id, tableoid::regclass::text AS home FROM "UsageEvent"`)).rows.map((r) => [r.id, r.home.replace(/"/g, '')]));
      const months = ['UsageEvent_2019_06', 'UsageEvent_2026_01', 'UsageEvent_2026_02', 'UsageEvent_2026_03', 'UsageEvent_2031_01', monthName(now), monthName(now, 1), monthName(now, 2)];
      expect(partitions).toEqual([...new Set(months)].concat('UsageEvent_default').sort());
      expect(homes).toEqual({
        ev1: 'UsageEvent_2019_06',
        ev2: 'UsageEvent_2026_01',
        ev3: 'UsageEvent_2026_02',
        ev4: 'UsageEvent_2026_02',
        ev5: 'UsageEvent_2026_03',
        ev6: 'UsageEvent_2031_01',
        ev7: 'UsageEvent_2026_02',
        ev8: 'UsageEvent_2026_01',
        ev9: 'UsageEvent_2026_02',
      });
      expect((await c.query(`SELECT count(*)::int AS n FROM "UsageEvent_default"`)).rows[0].n).toBe(0);

      const keys = await c.query(`SELECT "workspaceId", "eventKey", "identityId", "occurredAt" FROM "UsageEventKey" ORDER BY 1, 2`);
      const fromEvents = await c.query(`SELECT "workspaceId", "eventKey", "identityId", "occurredAt" FROM "UsageEvent" ORDER BY 1, 2`);
      expect(keys.rows).toEqual(fromEvents.rows);

      const constraints = await c.query<{ conname: string; def: string }>(
        `SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid IN ('"UsageEvent"'::regclass, '"UsageEventKey"'::regclass) ORDER BY 1`,
      );
      expect(Object.fromEntries(constraints.rows.map((r) => [r.conname, r.def]))).toEqual({
        UsageEventKey_identityId_fkey: 'FOREIGN KEY ("identityId") REFERENCES "Identity"(id) ON UPDATE CASCADE ON DELETE CASCADE',
        UsageEventKey_pkey: 'PRIMARY KEY ("workspaceId", "eventKey")',
        UsageEvent_identityId_fkey: 'FOREIGN KEY ("identityId") REFERENCES "Identity"(id) ON UPDATE CASCADE ON DELETE CASCADE',
        UsageEvent_pkey: 'PRIMARY KEY (id, "occurredAt")',
        UsageEvent_workspaceId_fkey: 'FOREIGN KEY ("workspaceId") REFERENCES "Workspace"(id) ON UPDATE CASCADE ON DELETE CASCADE',
      });
      const indexes = await c.query<{ indexname: string }>(`SELECT indexname FROM pg_indexes WHERE tablename = 'UsageEvent' ORDER BY 1`);
      expect(indexes.rows.map((r) => r.indexname)).toEqual([
        'UsageEvent_deploymentId_occurredAt_idx',
        'UsageEvent_identityId_occurredAt_idx',
        'UsageEvent_pkey',
        'UsageEvent_workspaceId_eventKey_idx',
        'UsageEvent_workspaceId_occurredAt_idx',
        'UsageEvent_workspaceId_priced_provider_model_idx',
      ]);

      // A key is unique per workspace; an identity's deletion takes its events and their keys.
      await expect(c.query(`INSERT INTO "UsageEventKey" VALUES ('w1', 'k2', 'i1', now())`)).rejects.toThrow(/UsageEventKey_pkey/);
      await c.query(`DELETE FROM "Identity" WHERE id = 'i1'`);
      expect((await c.query(`SELECT count(*)::int AS n FROM "UsageEvent" WHERE "identityId" = 'i1'`)).rows[0].n).toBe(0);
      expect((await c.query(`SELECT count(*)::int AS n FROM "UsageEventKey" WHERE "identityId" = 'i1'`)).rows[0].n).toBe(0);
      expect((await c.query(`SELECT count(*)::int AS n FROM "UsageEventKey"`)).rows[0].n).toBe(5);
    });
  });
});

describe.skipIf(!admin)('the migration to fewer index entries per event', () => {
  const name = `tollbooth_idx_${randomBytes(6).toString('hex')}`;
  const url = urlOf(name);
  const migration = migrations.find((m) => m.endsWith('_usage_ingest_indexes')) as string;

  afterAll(async () => {
    await withClient(admin as string, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  });

  test("gives each key its event's id (trimming keys whose event is gone), keeps only unpriced events in the priced index", async () => {
    await withClient(admin as string, (c) => c.query(`CREATE DATABASE ${name}`));
    await withClient(url, async (c) => {
      await migrateUpTo(c, migration);
      await c.query(`INSERT INTO "Workspace" (id, slug, name, "updatedAt") VALUES ('w1', 'w1', 'W', now()), ('w2', 'w2', 'W2', now())`);
      await c.query(`INSERT INTO "Identity" (id, "workspaceId", "externalId", "sortName", source, "updatedAt") VALUES ('i1', 'w1', 'e1', 'e1', 'usage', now()), ('i2', 'w2', 'e1', 'e1', 'usage', now())`);
      // The same key in two workspaces; k3's event is gone (retention dropped its month, its key not trimmed yet).
      await c.query(`INSERT INTO "UsageEvent" (id, "workspaceId", "identityId", "eventKey", "occurredAt", "priced", status, source)
        VALUES ('ev1', 'w1', 'i1', 'k1', '2026-02-01 10:00', true, 'success', 'usage'), ('ev2', 'w1', 'i1', 'k2', '2026-03-01 10:00', false, 'success', 'usage'),
               ('ev3', 'w2', 'i2', 'k1', '2026-03-02 10:00', true, 'success', 'usage')`);
      await c.query(`INSERT INTO "UsageEventKey" SELECT "workspaceId", "eventKey", "identityId", "occurredAt" FROM "UsageEvent"`);
      await c.query(`INSERT INTO "UsageEventKey" VALUES ('w1', 'k3', 'i1', '2025-01-01 00:00')`);
    });

    await deployMigration(url, migration);

    await withClient(url, async (c) => {
      expect((await c.query(`SELECT "workspaceId", "eventKey", "eventId" FROM "UsageEventKey" ORDER BY 1, 2`)).rows).toEqual([
        { workspaceId: 'w1', eventKey: 'k1', eventId: 'ev1' },
        { workspaceId: 'w1', eventKey: 'k2', eventId: 'ev2' },
        { workspaceId: 'w2', eventKey: 'k1', eventId: 'ev3' },
      ]);
      await expect(c.query(`INSERT INTO "UsageEventKey" VALUES ('w1', 'k9', 'i1', now())`)).rejects.toThrow(/eventId/);
      const defs = (await c.query<{ name: string; def: string }>(`SELECT indexname AS name, indexdef AS def FROM pg_indexes WHERE tablename = 'UsageEvent'`)).rows;
      expect(defs.map((d) => d.name)).not.toContain('UsageEvent_workspaceId_eventKey_idx');
      expect(defs.find((d) => d.name === 'UsageEvent_workspaceId_priced_provider_model_idx')?.def).toMatch(/WHERE \(priced = false\)$/);
      expect((await c.query(`SELECT reloptions FROM pg_class WHERE relname = 'UsageDaily'`)).rows[0].reloptions).toEqual(['fillfactor=70']);
      // The prices page's question is answered from that index (sequential scans ruled out: test-sized tables).
      await c.query('SET enable_seqscan = off');
      const plan = (await c.query(`EXPLAIN SELECT count(*) FROM "UsageEvent" WHERE "workspaceId" = 'w1' AND "priced" = false`)).rows.map((r) => r['QUERY PLAN']).join('\n');
      expect(plan).toMatch(/UsageEvent_\d{4}_\d{2}_workspaceId_priced_provider_model_idx/);
    });
  });
});

describe.skipIf(!admin)('partitions in use', () => {
  const ctx = withInProcessLib('partitions', async () => ({
    ...(await import('../lib/usage/service')),
    ...(await import('../lib/usage/schema')),
    ...(await import('../lib/usage/retention')),
    ...(await import('../lib/usage/retention-policy')),
    ...(await import('../lib/usage/partitions')),
  }));
  const T0 = new Date('2026-03-10T15:30:00.000Z');
  const DAY = 86_400_000;

  const sql = <T extends pg.QueryResultRow>(text: string, params: unknown[] = []) => withClient(ctx.database.databaseUrl, async (c) => (await c.query<T>(text, params)).rows);
  const ingest = (events: { key: string; at: Date; cost?: number; who?: string }[]) =>
    ctx.lib.ingestUsage(
      ctx.workspaceId,
      events.map((e) =>
        ctx.lib.toUsageRecord(
          ctx.lib.usageEventSchema.parse({ event_id: e.key, external_id: e.who ?? 'part-a', provider: 'openai', model: 'gpt-4o', input_tokens: 10, output_tokens: 5, cost: e.cost ?? 0.01, timestamp: e.at.toISOString() }),
        ),
      ),
      T0,
    );
  const storedKeys = async () => (await sql<{ eventKey: string }>(`SELECT "eventKey" FROM "UsageEvent" ORDER BY 1`)).map((r) => r.eventKey);
  const keyTable = async () => (await sql<{ eventKey: string }>(`SELECT "eventKey" FROM "UsageEventKey" ORDER BY 1`)).map((r) => r.eventKey);

  const seeded: { key: string; at: Date }[] = [];

  test('partitions are made ahead, at once on several instances, and take over their month from DEFAULT', async () => {
    // Two instances at start, at 2026-01-20: January to March, made once.
    const made = await Promise.all([ctx.lib.ensureUsagePartitions(new Date('2026-01-20T00:00Z')), ctx.lib.ensureUsagePartitions(new Date('2026-01-20T00:00Z'))]);
    expect(made.flat().map((m) => m.name).sort()).toEqual(['UsageEvent_2026_01', 'UsageEvent_2026_02', 'UsageEvent_2026_03']);
    expect(await ctx.lib.ensureUsagePartitions(new Date('2026-01-31T23:59Z'))).toEqual([]);

    // December has no partition (DEFAULT), nor has May yet; the cutoff of T0 at 32 days is 2026-02-06.
    const times: [string, string][] = [
      ['p-dec', '2025-12-20T10:00:00.000Z'],
      ['p-jan-1', '2026-01-01T00:00:00.000Z'],
      ['p-jan-2', '2026-01-31T23:59:59.999Z'],
      ['p-feb-1', '2026-02-01T00:00:00.000Z'],
      ['p-feb-2', '2026-02-05T23:59:59.999Z'],
      ['p-feb-3', '2026-02-06T00:00:00.000Z'],
      ['p-feb-4', '2026-02-20T12:00:00.000Z'],
      ['p-mar', '2026-03-09T09:00:00.000Z'],
      ['p-may', '2026-05-02T00:00:00.000Z'],
    ];
    seeded.push(...times.map(([key, at]) => ({ key, at: new Date(at) })));
    const results = await ingest(seeded.map((s, i) => ({ ...s, who: i % 2 ? 'part-a' : 'part-b' })));
    expect(results.map((r) => r.status)).toEqual(seeded.map(() => 'created'));
    const before = await withClient(ctx.database.databaseUrl, layout);
    expect(before.homes).toMatchObject({ 'p-dec': 'UsageEvent_default', 'p-jan-2': 'UsageEvent_2026_01', 'p-feb-1': 'UsageEvent_2026_02', 'p-mar': 'UsageEvent_2026_03', 'p-may': 'UsageEvent_default' });

    // Mid-March the partitions reach May: May's event moves out of DEFAULT into it.
    expect(await ctx.lib.ensureUsagePartitions(new Date('2026-03-15T00:00Z'))).toEqual([
      { name: 'UsageEvent_2026_04', moved: 0 },
      { name: 'UsageEvent_2026_05', moved: 1 },
    ]);
    const after = await withClient(ctx.database.databaseUrl, layout);
    expect(after.partitions).toEqual(expect.arrayContaining(['UsageEvent_2026_04', 'UsageEvent_2026_05', 'UsageEvent_default']));
    expect(after.homes).toEqual({ ...before.homes, 'p-may': 'UsageEvent_2026_05' });
    const indexes = await sql<{ indexname: string }>(`SELECT indexname FROM pg_indexes WHERE tablename = 'UsageEvent_2026_05' ORDER BY 1`);
    expect(indexes.map((r) => r.indexname)).toEqual([
      'UsageEvent_2026_05_deploymentId_occurredAt_idx',
      'UsageEvent_2026_05_identityId_occurredAt_idx',
      'UsageEvent_2026_05_pkey',
      'UsageEvent_2026_05_workspaceId_occurredAt_idx',
      'UsageEvent_2026_05_workspaceId_priced_provider_model_idx',
    ]);
    expect(await keyTable()).toEqual(seeded.map((s) => s.key).sort());
  });

  test('retention drops the months before the cutoff whole, trims the boundary month and the keys, and leaves the rollup', async () => {
    const rollup = () => sql(`SELECT * FROM "UsageDaily" ORDER BY "identityId", "day"`);
    const rollupBefore = await rollup();
    const cutoff = ctx.lib.retentionCutoff(T0, 32);
    expect(cutoff).toEqual(new Date('2026-02-06T00:00:00.000Z'));
    const gone = seeded.filter((s) => s.at < cutoff);
    expect(gone).toHaveLength(5);

    expect(await ctx.lib.pruneUsageEvents(T0, { days: 32, batchSize: 1 })).toBe(gone.length);
    const { partitions } = await withClient(ctx.database.databaseUrl, layout);
    expect(partitions).not.toContain('UsageEvent_2026_01');
    expect(partitions).toEqual(expect.arrayContaining(['UsageEvent_2026_02', 'UsageEvent_2026_03', 'UsageEvent_default']));
    expect(await sql(`SELECT 1 FROM pg_class WHERE relname = 'UsageEvent_2026_01'`)).toEqual([]);
    const kept = seeded.filter((s) => s.at >= cutoff).map((s) => s.key).sort();
    expect(await storedKeys()).toEqual(kept);
    expect(await keyTable()).toEqual(kept);
    expect(await rollup()).toEqual(rollupBefore);
    // Nothing left to delete, nor to drop.
    expect(await ctx.lib.pruneUsageEvents(T0, { days: 32 })).toBe(0);
  });

  test('a re-sent event of a kept month is a duplicate; an identity deleted takes its keys, so its events count again', async () => {
    const again = await ingest([{ key: 'p-feb-4', at: new Date('2026-02-20T12:00:00.000Z'), who: 'part-b' }]);
    expect(again.map((r) => r.status)).toEqual(['duplicate']);
    const identity = await ctx.lib.db.identity.findFirstOrThrow({ where: { workspaceId: ctx.workspaceId, externalId: 'part-b' } });
    const own = seeded.filter((_, i) => i % 2 === 0 && seeded[i].at >= ctx.lib.retentionCutoff(T0, 32)).map((s) => s.key);
    expect(own.length).toBeGreaterThan(0);
    await ctx.lib.db.identity.delete({ where: { id: identity.id } });
    expect(await keyTable()).toEqual(seeded.filter((s, i) => i % 2 === 1 && s.at >= ctx.lib.retentionCutoff(T0, 32)).map((s) => s.key).sort());
    const back = await ingest([{ key: own[0], at: new Date(T0.getTime() - DAY), who: 'part-b' }]);
    expect(back.map((r) => r.status)).toEqual(['created']);
  });

  const usageRowsOf = async (column: 'identityId' | 'workspaceId', value: string) =>
    Object.fromEntries(
      await Promise.all(
        ['UsageEvent', 'UsageEventKey', 'UsageDaily', 'WindowTotalDelta'].map(
          async (table) => [table, (await sql<{ n: number }>(`SELECT count(*)::int AS n FROM "${table}" WHERE "${column}" = $1`, [value]))[0].n] as const,
        ),
      ),
    );
  const none = { UsageEvent: 0, UsageEventKey: 0, UsageDaily: 0, WindowTotalDelta: 0 };

  test('the usage rows have no foreign keys; deleting an identity (or its workspace) still takes all of them', async () => {
    const fks = await sql<{ conname: string }>(
      `SELECT conname FROM pg_constraint WHERE contype = 'f' AND conrelid IN ('"UsageEvent"'::regclass, '"UsageEventKey"'::regclass, '"UsageDaily"'::regclass, '"WindowTotalDelta"'::regclass)`,
    );
    expect(fks).toEqual([]);
    // The keys' identity index is gone too: the trigger finds an identity's keys through its events.
    // Its time index, read only by retention, is a block range index (nearly free to keep up at insert).
    const keyIndexes = await sql<{ indexname: string; indexdef: string }>(`SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'UsageEventKey' ORDER BY 1`);
    expect(keyIndexes.map((i) => i.indexname)).toEqual(['UsageEventKey_occurredAt_idx', 'UsageEventKey_pkey']);
    expect(keyIndexes[0].indexdef).toMatch(/USING brin \("occurredAt"\)/);
    const at = new Date(T0.getTime() - DAY);
    await ingest([
      { key: 'cascade-x1', at, who: 'cascade-x' },
      { key: 'cascade-x2', at: T0, who: 'cascade-x' },
      { key: 'cascade-y1', at, who: 'cascade-y' },
    ]);
    const [x, y] = await Promise.all(['cascade-x', 'cascade-y'].map((externalId) => ctx.lib.db.identity.findFirstOrThrow({ where: { workspaceId: ctx.workspaceId, externalId } })));
    // A delta not folded yet (the fold may have run already).
    await sql(`INSERT INTO "WindowTotalDelta" ("workspaceId", "identityId", requests, errors, "costMicros", tokens, unpriced) VALUES ($1, $2, 1, 0, 10, 15, 0)`, [ctx.workspaceId, x.id]);
    const yBefore = await usageRowsOf('identityId', y.id);
    expect(yBefore).toMatchObject({ UsageEvent: 1, UsageEventKey: 1, UsageDaily: 1 });
    await ctx.lib.db.identity.delete({ where: { id: x.id } });
    expect(await usageRowsOf('identityId', x.id)).toEqual(none);
    expect(await usageRowsOf('identityId', y.id)).toEqual(yBefore);

    // A workspace's deletion cascades to its identities, and from each to its usage rows.
    await sql(`INSERT INTO "Workspace" (id, slug, name, "updatedAt") VALUES ('ws-gone', 'ws-gone', 'Gone', now())`);
    await ctx.lib.ingestUsage('ws-gone', [ctx.lib.toUsageRecord(ctx.lib.usageEventSchema.parse({ event_id: 'gone-1', external_id: 'g', model: 'gpt-4o', input_tokens: 1, output_tokens: 1 }))], T0);
    expect(await usageRowsOf('workspaceId', 'ws-gone')).toMatchObject({ UsageEvent: 1, UsageEventKey: 1, UsageDaily: 1 });
    await sql(`DELETE FROM "Workspace" WHERE id = 'ws-gone'`);
    expect(await usageRowsOf('workspaceId', 'ws-gone')).toEqual(none);
  });

  test('a batch naming an identity while it is deleted waits for the deletion, then records under the identity made anew', async () => {
    const [first] = await ingest([{ key: 'doomed-1', at: T0, who: 'doomed' }]);
    // The other transaction deletes the identity (the config cache, not told, still remembers it) and has not committed.
    const other = new pg.Client({ connectionString: ctx.database.databaseUrl });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query(`DELETE FROM "Identity" WHERE id = $1`, [first.identityId]);
      const racing = ingest([{ key: 'doomed-2', at: T0, who: 'doomed' }]);
      const waiting = await eventually(
        () => sql<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`),
        (rows) => rows[0].n > 0,
      );
      expect(waiting[0].n).toBeGreaterThan(0);
      await other.query('COMMIT');
      const [second] = await racing;
      expect(second.status).toBe('created');
      expect(second.identityId).not.toBe(first.identityId);
    } finally {
      await other.end();
    }
    expect(await usageRowsOf('identityId', first.identityId)).toEqual(none);
    const now = await ctx.lib.db.identity.findFirstOrThrow({ where: { workspaceId: ctx.workspaceId, externalId: 'doomed' } });
    expect(await sql(`SELECT "eventKey", "identityId" FROM "UsageEvent" WHERE "eventKey" LIKE 'doomed-%'`)).toEqual([{ eventKey: 'doomed-2', identityId: now.id }]);
  });

  test('a batch racing another with the same event waits for it, then reports a duplicate, or a conflict when it differs', async () => {
    const at = new Date('2026-03-01T08:00:00.000Z');
    const identity = await ctx.lib.db.identity.findFirstOrThrow({ where: { workspaceId: ctx.workspaceId, externalId: 'part-a' } });
    for (const [key, cost, outcome] of [
      ['p-race-same', 0.01, 'duplicate'],
      ['p-race-diff', 0.02, 'conflict'],
    ] as const) {
      // The other batch: its key and event written, not yet committed.
      const other = new pg.Client({ connectionString: ctx.database.databaseUrl });
      await other.connect();
      try {
        await other.query('BEGIN');
        await other.query(`INSERT INTO "UsageEventKey" VALUES ($1, $2, $3, $4, $5)`, [ctx.workspaceId, key, identity.id, at, `race-${key}`]);
        await other.query(
          `INSERT INTO "UsageEvent" (id, "workspaceId", "identityId", "eventKey", "occurredAt", provider, model, "inputTokens", "outputTokens", "totalTokens", "costMicros", priced, status, source)
           VALUES ($1, $2, $3, $4, $5, 'openai', 'gpt-4o', 10, 5, 15, 10000, true, 'success', 'usage')`,
          [`race-${key}`, ctx.workspaceId, identity.id, key, at],
        );
        const racing = ingest([{ key, at, cost, who: 'part-a' }]).then(
          (r) => r.map((x) => x.status)[0] as string,
          (err: { code?: string; status?: number }) => `${err.code}:${err.status}`,
        );
        // It waits on the other batch's key.
        const waiting = await eventually(
          () => sql<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`),
          (rows) => rows[0].n > 0,
        );
        expect(waiting[0].n).toBeGreaterThan(0);
        await other.query('COMMIT');
        expect(await racing).toBe(outcome === 'duplicate' ? 'duplicate' : 'conflict:409');
      } finally {
        await other.end();
      }
      expect(await sql(`SELECT "eventKey" FROM "UsageEvent" WHERE "eventKey" = $1`, [key])).toHaveLength(1);
    }
  });
});
