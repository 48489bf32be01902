-- PostgreSQL only (SQLite keeps its foreign keys: its checks are cheap and it has one writer). The usage tables that
-- ingest appends to on every batch — "UsageEvent", "UsageEventKey", "UsageDaily", "WindowTotalDelta" — lose their
-- foreign keys to "Identity" and "Workspace". A foreign key is checked row by row: each inserted row ran a query that
-- found and share-locked its identity (and its workspace), some five per event, a quarter of the database's CPU in a
-- batch (perf, measured over HTTP: ~100 → ~73 ms of PostgreSQL CPU per 1,000 events without them).
--
-- What they guaranteed is kept another way:
--   * On insert: ingest locks the batch's identities once per batch (SELECT … FOR KEY SHARE, the lock a foreign key
--     check takes, in lib/usage/identity-locks.ts) before writing their rows, and fails as a foreign key would (23503,
--     retried from scratch) when one is gone. A deletion waits for the batch's commit, as it waited for the checks'.
--   * On delete: the trigger below deletes an identity's rows in those tables as ON DELETE CASCADE did (a workspace's
--     deletion cascades to its identities, which fires it for each). Every row's workspace is its identity's.
-- The Prisma schemas still declare the relations (their models must match SQLite's, lib/schema-parity.test.ts),
-- scripts/new-migration.sh diffs the schema files, so a later migration that changes one of these relations emits a
-- DROP CONSTRAINT for a constraint that is gone here: rewrite it by hand for PostgreSQL.
--
-- One DO block (an E'' string with \073 for each semicolon): Prisma's pg driver adapter splits a migration at every
-- semicolon (comments included) and runs the pieces outside a transaction: one statement is applied whole or not at all.

DO E'
BEGIN
  ALTER TABLE "UsageEvent" DROP CONSTRAINT "UsageEvent_workspaceId_fkey"\073
  ALTER TABLE "UsageEvent" DROP CONSTRAINT "UsageEvent_identityId_fkey"\073
  ALTER TABLE "UsageEventKey" DROP CONSTRAINT "UsageEventKey_identityId_fkey"\073
  ALTER TABLE "UsageDaily" DROP CONSTRAINT "UsageDaily_workspaceId_fkey"\073
  ALTER TABLE "UsageDaily" DROP CONSTRAINT "UsageDaily_identityId_fkey"\073
  ALTER TABLE "WindowTotalDelta" DROP CONSTRAINT "WindowTotalDelta_identityId_fkey"\073

  CREATE FUNCTION "identity_usage_cascade"() RETURNS trigger LANGUAGE plpgsql AS $f$
  BEGIN
    DELETE FROM "UsageEvent" WHERE "identityId" = OLD."id"\073
    DELETE FROM "UsageEventKey" WHERE "identityId" = OLD."id"\073
    DELETE FROM "UsageDaily" WHERE "identityId" = OLD."id"\073
    DELETE FROM "WindowTotalDelta" WHERE "identityId" = OLD."id"\073
    RETURN NULL\073
  END
  $f$\073
  CREATE TRIGGER "Identity_usage_cascade" AFTER DELETE ON "Identity" FOR EACH ROW EXECUTE FUNCTION "identity_usage_cascade"()\073
END';
