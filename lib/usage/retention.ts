import 'server-only';
import { db, dbProvider } from '../db';
import { log } from '../log';
import { retentionCutoff, retentionDaysFrom } from './retention-policy';
import { withMetricsWindow } from './window-totals';
import { dropUsagePartitionsBefore } from './partitions';
import { deleteEventKeysBefore } from './event-keys';

// Deletes raw usage events older than TOLLBOOTH_RETENTION_DAYS, in small batches, without stopping the server.
// On PostgreSQL the events are partitioned by month (lib/usage/partitions.ts): a month wholly before the cutoff is
// dropped with one DROP TABLE, the boundary month (and the DEFAULT partition) is deleted in batches, and then the
// idempotency keys of the deleted events (lib/usage/event-keys.ts).
// Nothing else changes: the daily rollup, budget counters and window totals already count these events, and every
// reader of raw events (metrics' partial oldest day, window moves, deployments' 30-day views) reads later ones.

export type PruneOptions = {
  /** Days of raw events to keep (at least MIN_RETENTION_DAYS). */
  days: number;
  /** Rows per DELETE statement: each is its own short transaction (default 2,000). */
  batchSize?: number;
};

const DEFAULT_BATCH_SIZE = 2_000;

/** Lets requests waiting on the event loop run (the SQLite driver is synchronous while a statement runs). */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Moves the metrics windows (lib/usage/window-totals.ts) that still start before `cutoff` on to `now`: a later
 * move reads raw events from where the window stood, and those must not be deleted first. Windows viewed in the
 * last (days - 30) days start after the cutoff and are left alone. (A clock stepped back by more than days - 30
 * days would move a window back over deleted events.)
 */
async function moveStaleWindows(now: Date, cutoff: Date): Promise<void> {
  const stale = await db.$queryRaw<{ workspaceId: string }[]>`
    SELECT "workspaceId" FROM "MetricsWindow" WHERE "sinceMs" IS NOT NULL AND "sinceMs" < ${BigInt(cutoff.getTime())}`;
  for (const { workspaceId } of stale) await withMetricsWindow(workspaceId, now, async () => undefined);
}

/** Deletes up to `limit` of the workspace's oldest events before `cutoff`, walking the (workspaceId, occurredAt) index. */
async function deleteBatch(workspaceId: string, cutoff: Date, limit: number): Promise<number> {
  // PostgreSQL: rows another instance is deleting right now are skipped, so two jobs share the work instead of waiting.
  // The primary key is ("id", "occurredAt"), and the outer "occurredAt" bound leaves the later months' partitions out.
  if (dbProvider === 'postgresql') {
    return db.$executeRaw`
      DELETE FROM "UsageEvent" WHERE "occurredAt" < ${cutoff} AND ("id", "occurredAt") IN (
        SELECT "id", "occurredAt" FROM "UsageEvent" WHERE "workspaceId" = ${workspaceId} AND "occurredAt" < ${cutoff}
        ORDER BY "occurredAt" LIMIT ${limit} FOR UPDATE SKIP LOCKED)`;
  }
  return db.$executeRaw`
    DELETE FROM "UsageEvent" WHERE "id" IN (
      SELECT "id" FROM "UsageEvent" WHERE "workspaceId" = ${workspaceId} AND "occurredAt" < ${cutoff} ORDER BY "occurredAt" LIMIT ${limit})`;
}

/**
 * Deletes the raw usage events that occurred before `retentionCutoff(now, days)` (UTC midnight `days` days ago) in
 * batches of `batchSize`, yielding to the event loop between them; returns how many it deleted. Safe to run on
 * several instances at once: each row is deleted once, and a run stops when it finds nothing left (on PostgreSQL,
 * nothing another run is not already deleting).
 */
export async function pruneUsageEvents(now: Date, options: PruneOptions): Promise<number> {
  const cutoff = retentionCutoff(now, options.days);
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batchSize must be a positive whole number, got ${batchSize}`);
  await moveStaleWindows(now, cutoff);
  // PostgreSQL: whole months first, one statement each (nothing on SQLite).
  let deleted = await dropUsagePartitionsBefore(cutoff);
  const workspaces = await db.workspace.findMany({ select: { id: true }, orderBy: { id: 'asc' } });
  for (const { id } of workspaces) {
    for (;;) {
      const n = await deleteBatch(id, cutoff, batchSize);
      deleted += n;
      await yieldToEventLoop();
      if (n === 0) break;
    }
  }
  // PostgreSQL: then the idempotency keys of the deleted events (each key's "occurredAt" is its event's).
  if (dbProvider === 'postgresql') {
    while ((await deleteEventKeysBefore(cutoff, batchSize)) > 0) await yieldToEventLoop();
  }
  return deleted;
}

/** One run of the job, logged as one line; never throws (a failed run is logged and the next one tries again). */
export async function runUsageRetention(now: Date, days: number): Promise<number | null> {
  const started = Date.now();
  try {
    const deleted = await pruneUsageEvents(now, { days });
    log.info(
      { retention_days: days, before: retentionCutoff(now, days).toISOString(), deleted, duration_ms: Date.now() - started },
      'usage retention: deleted raw usage events past the retention period',
    );
    return deleted;
  } catch (err) {
    log.error({ err, retention_days: days }, 'usage retention: could not delete old usage events');
    return null;
  }
}

const FIRST_RUN_DELAY_MS = 5_000;
const EVERY_MS = 60 * 60_000;

// On globalThis: the instrumentation hook and route bundles each load this module, but the process runs one job.
const globalForRetention = globalThis as unknown as { tollboothRetention?: { first: ReturnType<typeof setTimeout>; every: ReturnType<typeof setInterval> } };

/**
 * Starts the periodic retention job when TOLLBOOTH_RETENTION_DAYS is set (once per process): a few seconds after
 * start, then hourly. Runs never overlap within a process; instances sharing a database may overlap safely.
 */
export function startUsageRetention(env: Record<string, string | undefined> = process.env): void {
  if (globalForRetention.tollboothRetention) return;
  const days = retentionDaysFrom(env.TOLLBOOTH_RETENTION_DAYS);
  if (days === null) return;
  let running = false;
  const run = async () => {
    if (running) return;
    running = true;
    try {
      await runUsageRetention(new Date(), days);
    } finally {
      running = false;
    }
  };
  const timers = { first: setTimeout(run, FIRST_RUN_DELAY_MS), every: setInterval(run, EVERY_MS) };
  timers.first.unref();
  timers.every.unref();
  globalForRetention.tollboothRetention = timers;
}
