import 'server-only';
import { dbProvider, type Tx } from '../db';
import { execute, query } from '../sql-exec';
import { Prisma } from '../generated/prisma/client';
import { parseHolds } from './holds';

// Per-budget, per-window counters: the O(1) state admission decides on. Raw SQL because the
// decisive statements are conditional updates; windows are keyed by epoch ms to stay dialect-free.

export type Hold = { budgetId: string; windowStartMs: string };
export type CounterDelta = { budgetId: string; windowStartMs: bigint; spentMicros: bigint; tokens: bigint; requests: number };

const greatest = (a: Prisma.Sql, b: Prisma.Sql) => (dbProvider === 'postgresql' ? Prisma.sql`GREATEST(${a}, ${b})` : Prisma.sql`MAX(${a}, ${b})`);
const least = (a: Prisma.Sql, b: Prisma.Sql) => (dbProvider === 'postgresql' ? Prisma.sql`LEAST(${a}, ${b})` : Prisma.sql`MIN(${a}, ${b})`);

/** PostgreSQL: the window's counter row locked until the transaction ends (SQLite's writer holds the whole database). */
export const lockCounterSql = (budgetId: string, windowStartMs: bigint) =>
  dbProvider === 'postgresql' ? Prisma.sql`SELECT 1 FROM "BudgetCounter" WHERE "budgetId" = ${budgetId} AND "windowStartMs" = ${windowStartMs} FOR UPDATE` : null;

type Settled = Omit<CounterDelta, 'budgetId' | 'windowStartMs'>;

/**
 * Creates the counter row of a window if missing, starting from `initial` (the window's history). With `rebuild`, an
 * existing row is made to say what the history says too, keeping what calls in flight hold: for a budget whose period
 * changed back to a window it had before, whose counter missed what was spent while the budget counted other windows.
 * Lock the row first (lockCounterSql) and read the history after: an ingest that wrote events meanwhile adds its own to
 * the row once the lock is gone.
 */
export const ensureCounterSql = (budgetId: string, windowStartMs: bigint, initial?: Settled, rebuild = false) => Prisma.sql`
    INSERT INTO "BudgetCounter" ("budgetId", "windowStartMs", "spentMicros", "tokens", "requests")
    VALUES (${budgetId}, ${windowStartMs}, ${initial?.spentMicros ?? 0n}, ${initial?.tokens ?? 0n}, ${initial?.requests ?? 0})
    ON CONFLICT ("budgetId", "windowStartMs") ${
      rebuild ? Prisma.sql`DO UPDATE SET "spentMicros" = excluded."spentMicros", "tokens" = excluded."tokens", "requests" = excluded."requests"` : Prisma.sql`DO NOTHING`
    }`;

export async function ensureCounter(tx: Tx, budgetId: string, windowStartMs: bigint, initial?: Settled, rebuild = false) {
  await execute(tx, ensureCounterSql(budgetId, windowStartMs, initial, rebuild));
}

/** The key of a budget window's counter (`budgetId|windowStartMs`), for maps and sets of counters. */
export const counterKey = (budgetId: string, windowStartMs: bigint | number | string): string => `${budgetId}|${windowStartMs}`;

export type CounterHold = { budgetId: string; windowStartMs: bigint; limitMicros: bigint | null; tokenLimit: bigint | null; estimateMicros: bigint; estimateTokens: number };

/**
 * Admission: holds the estimate against the window only while committed spend (settled + reserved)
 * is below each limit. One conditional update: under concurrency the row lock orders the callers.
 * It changes one row when admitted, none when the budget refuses.
 */
export function reserveOnCounterSql(hold: CounterHold, andAlso: Prisma.Sql = Prisma.empty): Prisma.Sql {
  const underCost = hold.limitMicros !== null ? Prisma.sql`AND "spentMicros" + "reservedMicros" < ${hold.limitMicros}` : Prisma.empty;
  const underTokens = hold.tokenLimit !== null ? Prisma.sql`AND "tokens" + "reservedTokens" < ${hold.tokenLimit}` : Prisma.empty;
  return Prisma.sql`
    UPDATE "BudgetCounter"
    SET "reservedMicros" = "reservedMicros" + ${hold.estimateMicros},
        "reservedTokens" = "reservedTokens" + ${hold.estimateTokens},
        "inFlight" = "inFlight" + 1
    WHERE "budgetId" = ${hold.budgetId} AND "windowStartMs" = ${hold.windowStartMs} ${underCost} ${underTokens} ${andAlso}`;
}

export async function reserveOnCounter(tx: Tx, hold: CounterHold): Promise<boolean> {
  return (await execute(tx, reserveOnCounterSql(hold))) === 1;
}

/**
 * Requests per minute as a GCRA (generic cell rate algorithm): one timestamp per budget, advanced by
 * 60 s / limit on each admission; up to `limit` calls may arrive at once. It changes one row when
 * admitted, none when over.
 */
export function admitRateSql(budgetId: string, requestsPerMinute: number, nowMs: number): Prisma.Sql {
  const interval = Math.ceil(60_000 / requestsPerMinute);
  const tolerance = 60_000 - interval;
  const now = BigInt(nowMs);
  const tat = greatest(Prisma.sql`"rateTatMs"`, Prisma.sql`${now}`);
  return Prisma.sql`
    UPDATE "Budget" SET "rateTatMs" = ${tat} + ${interval}
    WHERE "id" = ${budgetId} AND ${tat} - ${now} <= ${tolerance}`;
}

export async function admitRate(tx: Tx, budgetId: string, requestsPerMinute: number, nowMs: number): Promise<boolean> {
  return (await execute(tx, admitRateSql(budgetId, requestsPerMinute, nowMs))) === 1;
}

/**
 * A budget's requests-per-minute limit changed from `from` to `to` (null: none): the calls the last minute admitted are
 * counted again in the new limit's steps — at most a whole minute's burst, as if the new limit had been used up — so a
 * raised limit admits at once what it allows and a lowered one waits no longer than its own step.
 */
export function rescaleRateSql(budgetId: string, from: number | null, to: number | null, nowMs: number): Prisma.Sql {
  if (from === null || to === null) return Prisma.sql`UPDATE "Budget" SET "rateTatMs" = 0 WHERE "id" = ${budgetId}`;
  const [fromInterval, toInterval] = [Math.ceil(60_000 / from), Math.ceil(60_000 / to)];
  const now = BigInt(nowMs);
  return Prisma.sql`
    UPDATE "Budget" SET "rateTatMs" = CASE WHEN "rateTatMs" > ${now}
      THEN ${now} + ${least(Prisma.sql`("rateTatMs" - ${now}) * ${toInterval} / ${fromInterval}`, Prisma.sql`60000`)} ELSE "rateTatMs" END
    WHERE "id" = ${budgetId}`;
}

/** Seconds until a rate-limited budget admits the next call. */
export function rateRetryAfterSeconds(rateTatMs: bigint, requestsPerMinute: number, nowMs: number): number {
  const interval = Math.ceil(60_000 / requestsPerMinute);
  const waitMs = Number(rateTatMs) - (60_000 - interval) - nowMs;
  return Math.max(1, Math.ceil(waitMs / 1000));
}

/** A reservation taken back: the counters it held and what it held on each, and the identity it was made for. */
export type TakenReservation = { holds: Hold[]; estimateMicros: bigint; estimateTokens: number; identityId: string | null };

type TakenRow = { id: string; holds: unknown; estimateMicros: bigint | number | string; estimateTokens: number | bigint; identityId: string | null };

/**
 * Deletes reservations and returns what each held; a reservation is taken once, so a settle racing
 * its expiry (or two instances sweeping) gives its estimate back only once.
 */
export async function takeReservations(tx: Tx, reservationIds: string[], workspaceId?: string, { skipLocked = false } = {}): Promise<Map<string, TakenReservation>> {
  const out = new Map<string, TakenReservation>();
  const ids = [...new Set(reservationIds)];
  const inWorkspace = workspaceId !== undefined ? Prisma.sql`AND "workspaceId" = ${workspaceId}` : Prisma.empty;
  for (let i = 0; i < ids.length; i += 500) {
    const listed = Prisma.sql`"id" IN (${Prisma.join(ids.slice(i, i + 500))}) ${inWorkspace}`;
    // PostgreSQL: the rows locked in one order (by id), so that writers taking several never deadlock on them; a sweep
    // skips those a settlement is taking (it would only find them gone).
    const which =
      dbProvider === 'postgresql'
        ? Prisma.sql`"id" IN (SELECT "id" FROM "Reservation" WHERE ${listed} ORDER BY "id" FOR UPDATE ${skipLocked ? Prisma.sql`SKIP LOCKED` : Prisma.empty})`
        : listed;
    const rows = await query<TakenRow>(tx, Prisma.sql`
      DELETE FROM "Reservation" WHERE ${which}
      RETURNING "id", "holds", "estimateMicros", "estimateTokens", "identityId"`);
    for (const r of rows) out.set(r.id, { holds: parseHolds(r.holds), estimateMicros: BigInt(r.estimateMicros), estimateTokens: Number(r.estimateTokens), identityId: r.identityId });
  }
  return out;
}

/** Takes reservations back and gives their estimates to no one (a call that never ran, or expired). */
export async function releaseReservations(tx: Tx, reservationIds: string[], workspaceId?: string, options: { skipLocked?: boolean } = {}): Promise<number> {
  const taken = await takeReservations(tx, reservationIds, workspaceId, options);
  await settleHeld(
    tx,
    [...taken.values()].flatMap((r) =>
      r.holds.map((hold) => ({ hold, spentMicros: 0n, tokens: 0n, requests: 0, releaseMicros: r.estimateMicros, releaseTokens: r.estimateTokens, releaseCalls: 1 })),
    ),
  );
  return taken.size;
}

/** Adds recorded usage to the counters, one multi-row upsert (rows in key order, so writers never deadlock). */
export async function addToCounters(tx: Tx, deltas: CounterDelta[]) {
  const sorted = [...deltas].sort((a, b) => a.budgetId.localeCompare(b.budgetId) || Number(a.windowStartMs - b.windowStartMs));
  for (let i = 0; i < sorted.length; i += 100) {
    const values = sorted
      .slice(i, i + 100)
      .map((d) => Prisma.sql`(${d.budgetId}, ${d.windowStartMs}, ${d.spentMicros}, ${d.tokens}, ${d.requests})`);
    await execute(tx, Prisma.sql`
      INSERT INTO "BudgetCounter" ("budgetId", "windowStartMs", "spentMicros", "tokens", "requests")
      VALUES ${Prisma.join(values)}
      ON CONFLICT ("budgetId", "windowStartMs") DO UPDATE SET
        "spentMicros" = "BudgetCounter"."spentMicros" + excluded."spentMicros",
        "tokens" = "BudgetCounter"."tokens" + excluded."tokens",
        "requests" = "BudgetCounter"."requests" + excluded."requests"`);
  }
}

export type HeldSettlement = { hold: Hold; spentMicros: bigint; tokens: bigint; requests: number; releaseMicros: bigint; releaseTokens: number; releaseCalls: number };

/** Settles held counters in one update each: real usage in, estimates out (never below zero). */
export async function settleHeld(tx: Tx, settlements: HeldSettlement[]) {
  const sorted = [...settlements].sort((a, b) => a.hold.budgetId.localeCompare(b.hold.budgetId) || a.hold.windowStartMs.localeCompare(b.hold.windowStartMs));
  for (const s of sorted) {
    const reserved = greatest(Prisma.sql`"reservedMicros" - ${s.releaseMicros}`, Prisma.sql`0`);
    const reservedTokens = greatest(Prisma.sql`"reservedTokens" - ${s.releaseTokens}`, Prisma.sql`0`);
    const inFlight = greatest(Prisma.sql`"inFlight" - ${s.releaseCalls}`, Prisma.sql`0`);
    await execute(tx, Prisma.sql`
      UPDATE "BudgetCounter"
      SET "spentMicros" = "spentMicros" + ${s.spentMicros}, "tokens" = "tokens" + ${s.tokens}, "requests" = "requests" + ${s.requests},
          "reservedMicros" = ${reserved}, "reservedTokens" = ${reservedTokens}, "inFlight" = ${inFlight}
      WHERE "budgetId" = ${s.hold.budgetId} AND "windowStartMs" = ${BigInt(s.hold.windowStartMs)}`);
  }
}
