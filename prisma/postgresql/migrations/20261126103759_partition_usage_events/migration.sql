-- PostgreSQL only (SQLite keeps its table as it is): "UsageEvent" becomes a table PARTITIONED BY RANGE ("occurredAt"),
-- one partition per UTC calendar month ("UsageEvent_2026_11" holds [2026-11-01, 2026-12-01)) plus a DEFAULT partition
-- ("UsageEvent_default") for any month without its own, so an insert never fails for want of a partition. Retention
-- (lib/usage/retention.ts) drops a month older than its cutoff with one DROP TABLE, and lib/usage/partitions.ts keeps
-- the current month and the next two created ahead. Every existing row is kept.
--
-- On purpose the database differs from prisma/postgresql/schema.prisma here, whose models must stay identical to
-- SQLite's (lib/schema-parity.test.ts). A partitioned table's primary key and unique indexes must include the
-- partition column, so:
--   * the primary key "UsageEvent_pkey" is ("id", "occurredAt") where the schema says `id @id` (ids are still unique:
--     every one comes from newId()).
--   * there is no unique index "UsageEvent_workspaceId_eventKey_key" for `@@unique([workspaceId, eventKey])`. The
--     uniqueness that makes ingest idempotent lives in the plain table "UsageEventKey" (primary key ("workspaceId",
--     "eventKey"), not a Prisma model), written in the batch's transaction by lib/usage/event-keys.ts and deleted with
--     its identity (cascade) or by retention (its "occurredAt" is the event's). "UsageEvent" keeps a plain index
--     "UsageEvent_workspaceId_eventKey_idx" for the lookups by key.
-- scripts/new-migration.sh diffs the two schema files, not the database, so later migrations come out as before.
-- Only a change to UsageEvent's `id` or to that @@unique would emit statements naming "UsageEvent_pkey" or
-- "UsageEvent_workspaceId_eventKey_key": rewrite those by hand for PostgreSQL. Added columns and indexes need nothing
-- (PostgreSQL applies them to every partition).
--
-- Why one DO block written as an E'' string with \073 for each semicolon: Prisma's pg driver adapter splits a migration
-- at every semicolon (even in comments and function bodies) and runs the pieces one by one, outside a transaction. One
-- statement is one transaction: the migration is applied whole or not at all.

DO E'
BEGIN
  -- 1. The partitioned table: the same columns, types, defaults and order.
  CREATE TABLE "UsageEvent_partitioned" (LIKE "UsageEvent" INCLUDING DEFAULTS) PARTITION BY RANGE ("occurredAt")\073

  -- 2. A partition for every month with events, this month and the next two (UTC), DEFAULT for any other.
  EXECUTE (
    SELECT string_agg(format($q$CREATE TABLE %I PARTITION OF "UsageEvent_partitioned" FOR VALUES FROM (%L) TO (%L)$q$,
      $q$UsageEvent_$q$ || to_char(m, $q$YYYY_MM$q$), m, m + make_interval(months => 1)), chr(59))
    FROM (
      SELECT DISTINCT date_trunc($q$month$q$, "occurredAt") AS m FROM "UsageEvent"
      UNION
      SELECT date_trunc($q$month$q$, now() AT TIME ZONE $q$UTC$q$) + make_interval(months => k) FROM generate_series(0, 2) AS k
    ) AS months
  )\073
  CREATE TABLE "UsageEvent_default" PARTITION OF "UsageEvent_partitioned" DEFAULT\073

  -- 3. Every row, before any index is built.
  INSERT INTO "UsageEvent_partitioned" SELECT * FROM "UsageEvent"\073

  -- 4. The event keys, one per (workspace, event key) as the old unique index kept them.
  CREATE TABLE "UsageEventKey" (
    "workspaceId" TEXT NOT NULL,
    "eventKey" TEXT NOT NULL,
    "identityId" TEXT NOT NULL,
    "occurredAt" TIMESTAMP(3) NOT NULL
  )\073
  INSERT INTO "UsageEventKey" ("workspaceId", "eventKey", "identityId", "occurredAt")
    SELECT "workspaceId", "eventKey", "identityId", "occurredAt" FROM "UsageEvent"\073

  -- 5. The swap: the old table goes with its indexes and constraints, whose names the new one takes.
  DROP TABLE "UsageEvent"\073
  ALTER TABLE "UsageEvent_partitioned" RENAME TO "UsageEvent"\073

  -- 6. Primary key, indexes and foreign keys under Prisma''s names (each is built on every partition).
  ALTER TABLE "UsageEvent" ADD CONSTRAINT "UsageEvent_pkey" PRIMARY KEY ("id", "occurredAt")\073
  CREATE INDEX "UsageEvent_identityId_occurredAt_idx" ON "UsageEvent"("identityId", "occurredAt")\073
  CREATE INDEX "UsageEvent_workspaceId_occurredAt_idx" ON "UsageEvent"("workspaceId", "occurredAt")\073
  CREATE INDEX "UsageEvent_workspaceId_eventKey_idx" ON "UsageEvent"("workspaceId", "eventKey")\073
  CREATE INDEX "UsageEvent_workspaceId_priced_provider_model_idx" ON "UsageEvent"("workspaceId", "priced", "provider", "model")\073
  CREATE INDEX "UsageEvent_deploymentId_occurredAt_idx" ON "UsageEvent"("deploymentId", "occurredAt")\073
  ALTER TABLE "UsageEvent" ADD CONSTRAINT "UsageEvent_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE\073
  ALTER TABLE "UsageEvent" ADD CONSTRAINT "UsageEvent_identityId_fkey" FOREIGN KEY ("identityId") REFERENCES "Identity"("id") ON DELETE CASCADE ON UPDATE CASCADE\073

  ALTER TABLE "UsageEventKey" ADD CONSTRAINT "UsageEventKey_pkey" PRIMARY KEY ("workspaceId", "eventKey")\073
  CREATE INDEX "UsageEventKey_occurredAt_idx" ON "UsageEventKey"("occurredAt")\073
  CREATE INDEX "UsageEventKey_identityId_idx" ON "UsageEventKey"("identityId")\073
  ALTER TABLE "UsageEventKey" ADD CONSTRAINT "UsageEventKey_identityId_fkey" FOREIGN KEY ("identityId") REFERENCES "Identity"("id") ON DELETE CASCADE ON UPDATE CASCADE\073

  -- 7. Statistics for the planner (autovacuum analyzes the partitions, never the partitioned table as a whole).
  ANALYZE "UsageEvent"\073
  ANALYZE "UsageEventKey"\073
END';
