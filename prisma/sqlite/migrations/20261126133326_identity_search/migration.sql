-- Identity search on SQLite: an FTS5 index of the trigrams of each identity's display name, e-mail and external id.
-- Search text of 3 or more characters is looked up in it (lib/identities/search.ts) instead of reading every identity
-- with LIKE. PostgreSQL needs nothing of the kind: the pg_trgm GIN indexes of *_scale_read_paths serve its search.
--
-- Written by hand: Prisma cannot model a virtual table or a trigger, so schema.prisma does not mention any of this and
-- scripts/new-migration.sh (a diff of two datamodels) never sees it. Prisma's SQLite migrations redefine a changed
-- table by copying it into a new one and dropping the old, which drops its triggers: a migration that redefines
-- "Identity" must create the three triggers below again.
--
-- Triggers, not application code, keep the index in step: every write to "Identity" passes them (the ORM, the
-- ingest's raw multi-row INSERT, ON DELETE CASCADE, deleteMany). `prisma migrate deploy` hands this file whole to
-- better-sqlite3's exec() (@prisma/adapter-better-sqlite3's executeScript), which SQLite parses one statement at a
-- time, so the `;` inside BEGIN … END need no special form. One transaction: no identity written meanwhile is missed.
BEGIN IMMEDIATE;

-- The searchable text, one row per identity. `trigram` indexes every 3-character substring, case-folded (Unicode,
-- diacritics kept), so a quoted phrase of 3 or more characters matches the rows with that substring in a column.
CREATE VIRTUAL TABLE "IdentitySearch" USING fts5("displayName", "email", "externalId", tokenize = 'trigram');

-- Which identity each "IdentitySearch" row holds (rows share the rowid): FTS5 finds rows by rowid or by text only, so
-- the triggers look an identity's row up here. An INTEGER PRIMARY KEY, which VACUUM keeps ("Identity"'s implicit
-- rowid it may renumber).
CREATE TABLE "IdentitySearchRow" (
    "rowid" INTEGER NOT NULL PRIMARY KEY,
    "identityId" TEXT NOT NULL UNIQUE,
    "workspaceId" TEXT NOT NULL
);

INSERT INTO "IdentitySearchRow" ("identityId", "workspaceId") SELECT "id", "workspaceId" FROM "Identity";
INSERT INTO "IdentitySearch" ("rowid", "displayName", "email", "externalId")
    SELECT r."rowid", i."displayName", i."email", i."externalId" FROM "IdentitySearchRow" r JOIN "Identity" i ON i."id" = r."identityId";

CREATE TRIGGER "Identity_search_insert" AFTER INSERT ON "Identity" BEGIN
    INSERT INTO "IdentitySearchRow" ("identityId", "workspaceId") VALUES (new."id", new."workspaceId");
    INSERT INTO "IdentitySearch" ("rowid", "displayName", "email", "externalId")
        VALUES ((SELECT "rowid" FROM "IdentitySearchRow" WHERE "identityId" = new."id"), new."displayName", new."email", new."externalId");
END;

CREATE TRIGGER "Identity_search_update" AFTER UPDATE OF "id", "workspaceId", "displayName", "email", "externalId" ON "Identity" BEGIN
    UPDATE "IdentitySearchRow" SET "identityId" = new."id", "workspaceId" = new."workspaceId" WHERE "identityId" = old."id";
    UPDATE "IdentitySearch" SET "displayName" = new."displayName", "email" = new."email", "externalId" = new."externalId"
        WHERE "rowid" = (SELECT "rowid" FROM "IdentitySearchRow" WHERE "identityId" = new."id");
END;

CREATE TRIGGER "Identity_search_delete" AFTER DELETE ON "Identity" BEGIN
    DELETE FROM "IdentitySearch" WHERE "rowid" = (SELECT "rowid" FROM "IdentitySearchRow" WHERE "identityId" = old."id");
    DELETE FROM "IdentitySearchRow" WHERE "identityId" = old."id";
END;

COMMIT;
