import 'server-only';
import { db, dbProvider, type Tx } from '../db';
import { log } from '../log';

// PostgreSQL only: "UsageEvent" is partitioned by UTC calendar month (prisma/postgresql/migrations/
// *_partition_usage_events): "UsageEvent_2026_11" holds [2026-11-01, 2026-12-01), and the DEFAULT partition takes any
// month without its own, so an insert never fails. This keeps the current month and the next MONTHS_AHEAD created
// ahead (at start and daily), and retention drops whole months past its cutoff with one DROP TABLE each.
// Creating or dropping a partition takes a short exclusive lock: every such change waits at most LOCK_TIMEOUT_MS for
// it, then gives up until the next run (the DEFAULT partition, and retention's batch deletes, cover the meantime).

export const MONTHS_AHEAD = 2;
const LOCK_TIMEOUT_MS = 5_000;
// Any fixed number: one instance at a time changes the partitions (tests/support/pg-template.ts uses 7_351_202).
const PARTITIONS_LOCK = 7_351_203;
const TX_OPTIONS = { timeout: 10 * 60_000, maxWait: 30_000 };

export type UsagePartition = { name: string; isDefault: boolean; from: Date | null; to: Date | null };

export const monthStart = (t: Date, plusMonths = 0) => new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + plusMonths, 1));

/** The partition of the UTC month starting at `month`: "UsageEvent_2026_11". */
export const partitionName = (month: Date) => `UsageEvent_${String(month.getUTCFullYear()).padStart(4, '0')}_${String(month.getUTCMonth() + 1).padStart(2, '0')}`;

/** A timestamp literal for DDL (which takes no parameters); the column is `timestamp(3)` in UTC. */
const literal = (t: Date) => `'${t.toISOString().replace('T', ' ').replace('Z', '')}'`;

const BOUNDS = String.raw`FROM \('([^']*)'\) TO \('([^']*)'\)`;

/** The partitions of "UsageEvent" with their bounds (null for MINVALUE/MAXVALUE); none when it is not partitioned. */
export async function listUsagePartitions(client: Tx = db): Promise<UsagePartition[]> {
  const rows = await client.$queryRaw<{ name: string; bound: string; from: Date | null; to: Date | null }[]>`
    SELECT c."relname"::text AS "name", pg_get_expr(c."relpartbound", c."oid") AS "bound",
      (regexp_match(pg_get_expr(c."relpartbound", c."oid"), ${BOUNDS}))[1]::timestamp AS "from",
      (regexp_match(pg_get_expr(c."relpartbound", c."oid"), ${BOUNDS}))[2]::timestamp AS "to"
    FROM pg_inherits i JOIN pg_class c ON c."oid" = i."inhrelid"
    WHERE i."inhparent" = to_regclass('"UsageEvent"')
    ORDER BY 3, 1`;
  return rows.map((r) => ({ name: r.name, isDefault: r.bound === 'DEFAULT', from: r.from && new Date(r.from), to: r.to && new Date(r.to) }));
}

async function isPartitioned(): Promise<boolean> {
  const rows = await db.$queryRaw<{ kind: string }[]>`SELECT "relkind"::text AS "kind" FROM pg_class WHERE "oid" = to_regclass('"UsageEvent"')`;
  return rows[0]?.kind === 'p';
}

const covers = (partitions: UsagePartition[], from: Date, to: Date) =>
  partitions.some((p) => !p.isDefault && p.from !== null && p.to !== null && p.from <= from && p.to >= to);

/** Takes the partitions lock for this transaction and makes it give up on a table lock after LOCK_TIMEOUT_MS. */
async function lockPartitions(tx: Tx): Promise<void> {
  await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${PARTITIONS_LOCK})`);
  await tx.$executeRawUnsafe(`SET LOCAL lock_timeout = '${LOCK_TIMEOUT_MS}ms'`);
}

/**
 * Creates the partition of the UTC month starting at `month` unless one covers it; returns its name and how many
 * events it took over from the DEFAULT partition, or null when it existed. The table is made apart and ATTACHed,
 * which locks "UsageEvent" only against other schema changes (a CREATE TABLE … PARTITION OF would block every reader
 * and writer); events of that month already in DEFAULT (a timestamp ahead of the partitions) move into it first,
 * as PostgreSQL refuses a partition whose rows the DEFAULT partition holds.
 */
export async function createMonthPartition(month: Date): Promise<{ name: string; moved: number } | null> {
  const from = monthStart(month);
  const to = monthStart(month, 1);
  const name = partitionName(from);
  return db.$transaction(async (tx) => {
    await lockPartitions(tx);
    const partitions = await listUsagePartitions(tx);
    if (covers(partitions, from, to)) return null;
    const range = `"occurredAt" >= ${literal(from)} AND "occurredAt" < ${literal(to)}`;
    await tx.$executeRawUnsafe(`CREATE TABLE "${name}" (LIKE "UsageEvent" INCLUDING DEFAULTS)`);
    // Proves every row fits, so ATTACH does not scan the table.
    await tx.$executeRawUnsafe(`ALTER TABLE "${name}" ADD CONSTRAINT "${name}_range" CHECK (${range})`);
    let moved = 0;
    const fallback = partitions.find((p) => p.isDefault);
    if (fallback) {
      // No event reaches DEFAULT between the move and the ATTACH (reads go on).
      await tx.$executeRawUnsafe(`LOCK TABLE "${fallback.name}" IN EXCLUSIVE MODE`);
      const [{ columns }] = await tx.$queryRaw<{ columns: string }[]>`
        SELECT string_agg(quote_ident("attname"), ', ' ORDER BY "attnum") AS "columns"
        FROM pg_attribute WHERE "attrelid" = to_regclass('"UsageEvent"') AND "attnum" > 0 AND NOT "attisdropped"`;
      moved = await tx.$executeRawUnsafe(
        `WITH moved AS (DELETE FROM "${fallback.name}" WHERE ${range} RETURNING ${columns}) INSERT INTO "${name}" (${columns}) SELECT ${columns} FROM moved`,
      );
    }
    await tx.$executeRawUnsafe(`ALTER TABLE "UsageEvent" ATTACH PARTITION "${name}" FOR VALUES FROM (${literal(from)}) TO (${literal(to)})`);
    await tx.$executeRawUnsafe(`ALTER TABLE "${name}" DROP CONSTRAINT "${name}_range"`);
    return { name, moved };
  }, TX_OPTIONS);
}

/**
 * Makes sure the partitions of `now`'s UTC month and the MONTHS_AHEAD after it exist (PostgreSQL; nothing on SQLite
 * or before the migration). Idempotent, and safe on several instances at once (one changes the partitions at a time,
 * the others then find them made). Returns what it created.
 */
export async function ensureUsagePartitions(now: Date): Promise<{ name: string; moved: number }[]> {
  if (dbProvider !== 'postgresql' || !(await isPartitioned())) return [];
  const partitions = await listUsagePartitions();
  const created: { name: string; moved: number }[] = [];
  for (let k = 0; k <= MONTHS_AHEAD; k++) {
    const month = monthStart(now, k);
    if (covers(partitions, month, monthStart(now, k + 1))) continue;
    const made = await createMonthPartition(month);
    if (made) created.push(made);
  }
  return created;
}

/**
 * Drops the month partitions that end at or before `cutoff` (retention), one DROP TABLE each; returns how many events
 * they held (counted just before the drop). A partition whose lock is not had in time is left for the next run, and
 * logged; its events are then deleted in batches like the boundary month's.
 */
export async function dropUsagePartitionsBefore(cutoff: Date): Promise<number> {
  if (dbProvider !== 'postgresql' || !(await isPartitioned())) return 0;
  let deleted = 0;
  for (const p of await listUsagePartitions()) {
    if (p.isDefault || p.to === null || p.to > cutoff) continue;
    try {
      deleted += await db.$transaction(async (tx) => {
        await lockPartitions(tx);
        // Another instance may have dropped it meanwhile.
        if (!(await listUsagePartitions(tx)).some((q) => q.name === p.name)) return 0;
        const [{ n }] = await tx.$queryRawUnsafe<{ n: bigint }[]>(`SELECT COUNT(*) AS "n" FROM "${p.name}"`);
        await tx.$executeRawUnsafe(`DROP TABLE "${p.name}"`);
        return Number(n);
      }, TX_OPTIONS);
    } catch (err) {
      log.warn({ err, partition: p.name }, 'usage retention: could not drop a month partition; its events are deleted in batches');
    }
  }
  return deleted;
}

/** One maintenance run, logged; never throws (a failed run is logged and the next one tries again). */
export async function runUsagePartitionMaintenance(now: Date): Promise<void> {
  try {
    const created = await ensureUsagePartitions(now);
    if (created.length > 0) log.info({ created }, 'usage partitions: created the partitions of the coming months');
  } catch (err) {
    log.error({ err }, 'usage partitions: could not create the partitions of the coming months (events go to the DEFAULT partition meanwhile)');
  }
}

const EVERY_MS = 24 * 60 * 60_000;

// On globalThis: the instrumentation hook and route bundles each load this module, but the process runs one timer.
const globalForPartitions = globalThis as unknown as { tollboothPartitions?: ReturnType<typeof setInterval> };

/** PostgreSQL: creates the coming months' partitions now (in the background) and then daily, once per process. */
export function startUsagePartitions(): void {
  if (dbProvider !== 'postgresql' || globalForPartitions.tollboothPartitions) return;
  void runUsagePartitionMaintenance(new Date());
  const timer = setInterval(() => void runUsagePartitionMaintenance(new Date()), EVERY_MS);
  timer.unref();
  globalForPartitions.tollboothPartitions = timer;
}
