import 'server-only';
import { db, type Tx } from '../db';
import { insertRows, type PgColumn } from '../sql-exec';

// PostgreSQL only. "UsageEvent" is partitioned by month there, and a partitioned table cannot hold the unique
// (workspaceId, eventKey) index that makes ingest idempotent (prisma/postgresql/migrations/*_partition_usage_events):
// the plain table "UsageEventKey" holds it instead, with the event's id (the replay lookup reads the event by its primary
// key). Not a Prisma model (the schemas' models must match SQLite's).
// A key goes with its identity (the identity's delete trigger, prisma/postgresql/migrations/*_usage_rows_without_fk_checks)
// and, through retention, with its event.

const KEY_COLUMNS: PgColumn[] = [
  { name: 'workspaceId', type: 'text' },
  { name: 'eventKey', type: 'text' },
  { name: 'identityId', type: 'text' },
  { name: 'occurredAt', type: 'timestamp(3)' },
  { name: 'eventId', type: 'text' },
];

/** What a key row needs from its event (whose primary key is ("id", "occurredAt")). */
export type EventKeyRow = { id: string; workspaceId: string; eventKey: string; identityId: string; occurredAt: Date };

/**
 * Records the keys of events inserted in `tx`, in the same transaction (one binary COPY on the direct path). A key
 * already recorded raises a unique violation: a batch written without looking its keys up is then written again,
 * looking them up (lib/usage/service.ts, SeenBefore); one that had looked them up (the same event committed by a
 * concurrent batch meanwhile) is retried whole, as the unique index did.
 */
export async function recordEventKeys(tx: Tx, rows: EventKeyRow[]): Promise<void> {
  if (rows.length === 0) return;
  const values = rows.map((r) => [r.workspaceId, r.eventKey, r.identityId, r.occurredAt, r.id]);
  await insertRows(tx, 'UsageEventKey', KEY_COLUMNS, values, values.length);
}

/**
 * Deletes up to `limit` keys of events before `cutoff` (retention, after their events are gone); returns how many.
 * Keys another run is deleting right now are skipped, so two runs share the work.
 */
export async function deleteEventKeysBefore(cutoff: Date, limit: number): Promise<number> {
  return db.$executeRaw`
    DELETE FROM "UsageEventKey" WHERE ("workspaceId", "eventKey") IN (
      SELECT "workspaceId", "eventKey" FROM "UsageEventKey" WHERE "occurredAt" < ${cutoff} LIMIT ${limit} FOR UPDATE SKIP LOCKED)`;
}
