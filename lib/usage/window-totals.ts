import 'server-only';
import { db, dbProvider, type Tx } from '../db';
import { columnNames, execute, insertRows, query, rowSources, type PgColumn } from '../sql-exec';
import { log } from '../log';
import { Prisma } from '../generated/prisma/client';
import { metricsWindow } from './metrics';
import { sumAsBigInt, usageSumsQuery, type SumRow } from './totals';

// Per-identity totals of the metrics window (IdentityWindowTotal), so ranking identities by a 30-day metric reads
// one index instead of re-aggregating the rollup. They count exactly the events with sinceMs <= occurredAt < untilMs
// (MetricsWindow). Ingest adds its events through bumpWindowTotalsTx; readers move the window to their `now` through
// withMetricsWindow, which subtracts the events that left it and adds the ones that entered it (either way, so a
// clock that steps back stays exact). The MetricsWindow row is the lock: a move holds it exclusively, ingest shares it.
//
// Ingest does not update the totals themselves (four indexes per identity, a batch's most costly statement): it
// appends its per-identity sums to WindowTotalDelta, and whoever next holds the window exclusively — a reader moving
// it, or the fold a writer schedules about a second after its batches — adds the pending deltas to the totals first.
// The deltas were counted against the window as it stood when they were written, which no move can have changed
// before they are folded (a move folds them first): the totals stay exact for every reader.

/** One event's (or correction's) contribution to its identity's totals. */
export type WindowDelta = { identityId: string; occurredAt: Date; requests: number; errors: number; costMicros: bigint; tokens: bigint; unpriced: number };

type Sums = { identityId: string; requests: bigint; errors: bigint; costMicros: bigint; tokens: bigint; unpriced: bigint };

const CHUNK = 200;

const TOTAL_COLUMNS: PgColumn[] = [
  { name: 'identityId', type: 'text' },
  { name: 'workspaceId', type: 'text' },
  { name: 'requests', type: 'integer' },
  { name: 'errors', type: 'integer' },
  { name: 'costMicros', type: 'bigint' },
  { name: 'tokens', type: 'bigint' },
  { name: 'unpricedRequests', type: 'integer' },
];

/** Upserts per-identity sums (times `sign`) and keeps errorRate = errors / requests. */
async function applySums(tx: Tx, workspaceId: string, rows: Sums[], sign: 1 | -1): Promise<void> {
  const values = rows.map((r) => [r.identityId, workspaceId, Number(r.requests) * sign, Number(r.errors) * sign, r.costMicros * BigInt(sign), r.tokens * BigInt(sign),
    Number(r.unpriced) * sign]);
  // The rows as a named table (PostgreSQL: one statement from a JSON document; SQLite: VALUES in chunks); errorRate is divided in
  // SQL like the update below (a float bound through the driver may arrive rounded). `WHERE true`: SQLite's parser
  // needs it between an INSERT's SELECT and its ON CONFLICT.
  for (const source of rowSources(TOTAL_COLUMNS, values, CHUNK)) {
    // excluded.* are the deltas; SET reads the old row on both databases, so errorRate comes from the new counts.
    await execute(tx, Prisma.sql`
      WITH "totals"(${columnNames(TOTAL_COLUMNS)}) AS (${source})
      INSERT INTO "IdentityWindowTotal" ("identityId", "workspaceId", "requests", "errors", "costMicros", "tokens", "errorRate", "unpricedRequests")
      SELECT "identityId", "workspaceId", "requests", "errors", "costMicros", "tokens",
        CASE WHEN "requests" > 0 THEN CAST("errors" AS DOUBLE PRECISION) / "requests" ELSE 0 END, "unpricedRequests"
      FROM "totals" WHERE true
      ON CONFLICT ("identityId") DO UPDATE SET
        "requests" = "IdentityWindowTotal"."requests" + excluded."requests",
        "errors" = "IdentityWindowTotal"."errors" + excluded."errors",
        "costMicros" = "IdentityWindowTotal"."costMicros" + excluded."costMicros",
        "tokens" = "IdentityWindowTotal"."tokens" + excluded."tokens",
        "unpricedRequests" = "IdentityWindowTotal"."unpricedRequests" + excluded."unpricedRequests",
        "errorRate" = CASE WHEN "IdentityWindowTotal"."requests" + excluded."requests" > 0
          THEN CAST("IdentityWindowTotal"."errors" + excluded."errors" AS DOUBLE PRECISION) / ("IdentityWindowTotal"."requests" + excluded."requests")
          ELSE 0 END`);
  }
}

/**
 * SQLite: the (workspaceId, occurredAt) index, named. With statistics on a large table SQLite's planner prefers a skip
 * scan of (identityId, occurredAt) — one seek per identity, ~0.4 s at 100,000 identities — for a window edge that holds
 * a handful of events.
 */
const byWorkspaceTime = dbProvider === 'sqlite' ? Prisma.raw('INDEXED BY "UsageEvent_workspaceId_occurredAt_idx"') : Prisma.empty;


/** A row of SUMs as Sums, with its tokens. */
const sumsOf = (r: { identityId: string; requests: unknown; errors: unknown; cost: unknown; unpriced: unknown }, tokens: bigint): Sums => ({
  identityId: r.identityId,
  requests: sumAsBigInt(r.requests),
  errors: sumAsBigInt(r.errors),
  costMicros: sumAsBigInt(r.cost),
  tokens,
  unpriced: sumAsBigInt(r.unpriced),
});

/** Per-identity sums of the workspace's events with from <= occurredAt < to (usageSumsQuery, by its time indexes). */
async function rangeSums(tx: Tx, workspaceId: string, from: Date, to: Date): Promise<Sums[]> {
  const statement = usageSumsQuery(Prisma.sql`"workspaceId" = ${workspaceId}`, from, to, byWorkspaceTime);
  if (!statement) return [];
  return (await query<SumRow>(tx, statement)).map((r) => sumsOf(r, sumAsBigInt(r.inputTokens) + sumAsBigInt(r.outputTokens)));
}

type WindowRow = { prevSinceMs: bigint | number | null; prevUntilMs: bigint | number | null };

/**
 * Moves the workspace's window to `now` (building the totals on first use) and runs `read` in the same transaction,
 * holding the window, so what it reads is exact for `now`. Cost: the events that crossed either edge since the last
 * move (a few after a recent view; whole days come from the rollup).
 */
export async function withMetricsWindow<T>(workspaceId: string, now: Date, read: (tx: Tx) => Promise<T>): Promise<T> {
  const { since, until } = metricsWindow(now);
  const sinceMs = BigInt(since.getTime());
  const untilMs = BigInt(until.getTime());
  return db.$transaction(
    async (tx) => {
      await execute(tx, Prisma.sql`INSERT INTO "MetricsWindow" ("workspaceId") VALUES (${workspaceId}) ON CONFLICT ("workspaceId") DO NOTHING`);
      // Takes the row (exclusively) whether or not it moves; RETURNING gives the bounds before this move.
      const [moved] = await query<WindowRow>(tx, Prisma.sql`
        UPDATE "MetricsWindow" SET "prevSinceMs" = "sinceMs", "prevUntilMs" = "untilMs", "sinceMs" = ${sinceMs}, "untilMs" = ${untilMs}
        WHERE "workspaceId" = ${workspaceId}
        RETURNING "prevSinceMs", "prevUntilMs"`);
      if (moved.prevSinceMs === null || moved.prevUntilMs === null) {
        // Built from the tables, which hold every event any pending delta counts.
        await execute(tx, Prisma.sql`DELETE FROM "WindowTotalDelta" WHERE "workspaceId" = ${workspaceId}`);
        await execute(tx, Prisma.sql`DELETE FROM "IdentityWindowTotal" WHERE "workspaceId" = ${workspaceId}`);
        await applySums(tx, workspaceId, await rangeSums(tx, workspaceId, since, until), 1);
        // PostgreSQL: statistics for the rows just built, before autovacuum gets to them. Planned with none, a filtered
        // ranking (a tag, a search) sorted every identity's total instead of walking the metric's index: ~0.8 s at
        // 100,000 identities against ~20 ms.
        if (dbProvider === 'postgresql') await execute(tx, Prisma.sql`ANALYZE "IdentityWindowTotal"`);
      } else {
        // Pending deltas were counted against the window before this move: added first.
        await foldDeltas(tx, workspaceId);
        const oldSince = new Date(Number(moved.prevSinceMs));
        const oldUntil = new Date(Number(moved.prevUntilMs));
        // Lower edge: events before the new start leave; moving back, the ones between come back.
        if (since > oldSince) await applySums(tx, workspaceId, await rangeSums(tx, workspaceId, oldSince, since), -1);
        if (since < oldSince) await applySums(tx, workspaceId, await rangeSums(tx, workspaceId, since, oldSince), 1);
        // Upper edge (end of today): a new day lets in events stamped ahead of the clock.
        if (until > oldUntil) await applySums(tx, workspaceId, await rangeSums(tx, workspaceId, oldUntil, until), 1);
        if (until < oldUntil) await applySums(tx, workspaceId, await rangeSums(tx, workspaceId, until, oldUntil), -1);
      }
      return read(tx);
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
}

/**
 * Adds new usage to the window totals — as pending deltas, folded in by the next holder of the window — inside the
 * transaction that writes it (ingest, re-pricing). Call it after the events are inserted: on SQLite the transaction
 * then already holds the write lock; on PostgreSQL it shares the MetricsWindow row, so a concurrent move either
 * counts these events or waits for them. Once that transaction commits, the caller schedules the fold
 * (foldWindowDeltasSoon); a reader folds whatever is still pending before it reads.
 */
export async function bumpWindowTotalsTx(tx: Tx, workspaceId: string, deltas: WindowDelta[]): Promise<void> {
  if (deltas.length === 0) return;
  // The row must exist to be locked: a first build in flight holds it (uncommitted) and this waits for it.
  await execute(tx, Prisma.sql`INSERT INTO "MetricsWindow" ("workspaceId") VALUES (${workspaceId}) ON CONFLICT ("workspaceId") DO NOTHING`);
  const [window] =
    dbProvider === 'postgresql'
      ? await query<{ sinceMs: bigint | null; untilMs: bigint | null }>(tx, Prisma.sql`SELECT "sinceMs", "untilMs" FROM "MetricsWindow" WHERE "workspaceId" = ${workspaceId} FOR SHARE`)
      : await query<{ sinceMs: bigint | null; untilMs: bigint | null }>(tx, Prisma.sql`SELECT "sinceMs", "untilMs" FROM "MetricsWindow" WHERE "workspaceId" = ${workspaceId}`);
  // Not built yet: the first build will count these events from the tables.
  if (!window || window.sinceMs === null || window.untilMs === null) return;
  const from = Number(window.sinceMs);
  const to = Number(window.untilMs);
  const sums = new Map<string, Sums>();
  for (const d of deltas) {
    const t = d.occurredAt.getTime();
    if (t < from || t >= to) continue;
    const s = sums.get(d.identityId) ?? { identityId: d.identityId, requests: 0n, errors: 0n, costMicros: 0n, tokens: 0n, unpriced: 0n };
    s.requests += BigInt(d.requests);
    s.errors += BigInt(d.errors);
    s.costMicros += d.costMicros;
    s.tokens += d.tokens;
    s.unpriced += BigInt(d.unpriced);
    sums.set(d.identityId, s);
  }
  if (sums.size === 0) return;
  const rows = [...sums.values()].map((d) => [workspaceId, d.identityId, Number(d.requests), Number(d.errors), d.costMicros, d.tokens, Number(d.unpriced)]);
  await insertRows(tx, 'WindowTotalDelta', DELTA_COLUMNS, rows, CHUNK);
}

const DELTA_COLUMNS: PgColumn[] = [
  { name: 'workspaceId', type: 'text' },
  { name: 'identityId', type: 'text' },
  { name: 'requests', type: 'integer' },
  { name: 'errors', type: 'integer' },
  { name: 'costMicros', type: 'bigint' },
  { name: 'tokens', type: 'bigint' },
  { name: 'unpriced', type: 'integer' },
];

/** Adds the workspace's pending deltas to its totals and deletes them; the caller holds the MetricsWindow row exclusively. */
async function foldDeltas(tx: Tx, workspaceId: string): Promise<void> {
  const rows = await query<Omit<SumRow, 'inputTokens' | 'outputTokens'> & { tokens: unknown }>(tx, Prisma.sql`
    SELECT "identityId", SUM("requests") AS "requests", SUM("errors") AS "errors", SUM("costMicros") AS "cost", SUM("tokens") AS "tokens", SUM("unpriced") AS "unpriced"
    FROM "WindowTotalDelta" WHERE "workspaceId" = ${workspaceId} GROUP BY "identityId"`);
  if (rows.length === 0) return;
  await applySums(tx, workspaceId, rows.map((r) => sumsOf(r, sumAsBigInt(r.tokens))), 1);
  await execute(tx, Prisma.sql`DELETE FROM "WindowTotalDelta" WHERE "workspaceId" = ${workspaceId}`);
}

/** Folds the workspace's pending deltas now, in a transaction of its own holding the window as a move does. */
export async function foldWindowDeltas(workspaceId: string): Promise<void> {
  await db.$transaction(
    async (tx) => {
      // A no-op update takes the row exclusively (PostgreSQL; SQLite's write transaction is exclusive anyway).
      const held = await execute(tx, Prisma.sql`UPDATE "MetricsWindow" SET "sinceMs" = "sinceMs" WHERE "workspaceId" = ${workspaceId}`);
      if (held > 0) await foldDeltas(tx, workspaceId);
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
}

/** How long after a batch its deltas are folded: one fold serves every batch written meanwhile. */
const FOLD_DELAY_MS = 1_000;
const foldQueue = new Set<string>();
let foldTimer: NodeJS.Timeout | null = null;

/** After a transaction that called bumpWindowTotalsTx commits: folds the workspace's deltas in about a second. */
export function foldWindowDeltasSoon(workspaceId: string): void {
  foldQueue.add(workspaceId);
  if (foldTimer) return;
  foldTimer = setTimeout(() => {
    foldTimer = null;
    const workspaceIds = [...foldQueue];
    foldQueue.clear();
    void (async () => {
      for (const id of workspaceIds) {
        // What is not folded now is folded by the next reader of the window.
        await foldWindowDeltas(id).catch((err: unknown) => log.warn({ err, workspaceId: id }, 'could not fold the window totals'));
      }
    })();
  }, FOLD_DELAY_MS);
  // Pending deltas never keep a process alive: the next reader folds them.
  foldTimer.unref();
}

/** Drops the scheduled fold (before the database is closed: scripts, tests); the next reader folds what is pending. */
export function cancelWindowFolds(): void {
  if (foldTimer) clearTimeout(foldTimer);
  foldTimer = null;
  foldQueue.clear();
}
