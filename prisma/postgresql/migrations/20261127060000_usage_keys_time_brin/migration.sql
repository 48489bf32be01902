-- PostgreSQL only. The keys' ("occurredAt") index becomes a BRIN (block range) index: a B-tree took an entry per
-- ingested event (~3 ms of PostgreSQL's CPU per 1,000 events over HTTP, measured), a block range index keeps each range
-- of 128 pages' lowest and highest time and is rarely touched by an insert. Only retention reads it, to find the keys
-- of events older than its cutoff (lib/usage/event-keys.ts): keys are appended as their events arrive, so the old ones
-- sit in the table's first pages and their ranges are all a pass reads. Backfilled history mixes older times into
-- later pages, and those ranges are read as well: retention, a background job, reads more, ingest never does.
--
-- One DO block (an E'' string with \073 for each semicolon): Prisma's pg driver adapter splits a migration at every
-- semicolon (comments included) and runs the pieces outside a transaction: one statement is applied whole or not at all.

DO E'
BEGIN
  DROP INDEX "UsageEventKey_occurredAt_idx"\073
  CREATE INDEX "UsageEventKey_occurredAt_idx" ON "UsageEventKey" USING brin ("occurredAt")\073
END';
