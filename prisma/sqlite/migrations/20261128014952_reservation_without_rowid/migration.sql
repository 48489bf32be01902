-- Admission writes one Reservation row per call under a budget, in the transaction that holds its estimate, and a
-- commit writes every page it changed to the log whole (32 KiB each). The row touched three b-trees: the table, its
-- primary key's index and the expiry index — three of the four pages an admission wrote (bench/README.md: the commit
-- 142 → 73 µs in a loop, the admission transaction in the server ~0.18 → ~0.15 ms). Now the table is its primary key
-- (WITHOUT ROWID) and has no expiry index: it only holds calls in flight, settled within a fraction of a second, so the
-- sweeper's once-a-second look for expired rows reads a handful of them.
-- Prisma 6 cannot express WITHOUT ROWID: schema.prisma declares the same columns and key.
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Reservation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "workspaceId" TEXT NOT NULL,
    "identityId" TEXT,
    "apiKeyId" TEXT,
    "provider" TEXT,
    "model" TEXT,
    "estimateMicros" BIGINT NOT NULL,
    "estimateTokens" INTEGER NOT NULL,
    "holds" JSONB NOT NULL,
    "source" TEXT NOT NULL,
    "createdAtMs" BIGINT NOT NULL,
    "expiresAtMs" BIGINT NOT NULL,
    CONSTRAINT "Reservation_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE
) WITHOUT ROWID;
INSERT INTO "new_Reservation" ("id", "workspaceId", "identityId", "apiKeyId", "provider", "model", "estimateMicros", "estimateTokens", "holds", "source", "createdAtMs", "expiresAtMs")
SELECT "id", "workspaceId", "identityId", "apiKeyId", "provider", "model", "estimateMicros", "estimateTokens", "holds", "source", "createdAtMs", "expiresAtMs" FROM "Reservation";
DROP TABLE "Reservation";
ALTER TABLE "new_Reservation" RENAME TO "Reservation";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
