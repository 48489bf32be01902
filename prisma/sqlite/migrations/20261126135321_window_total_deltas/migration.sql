-- CreateTable
-- Edited by hand: "id" is INTEGER PRIMARY KEY (64-bit, the rowid), so SQLite numbers the appended rows itself; Prisma
-- writes BIGINT, which SQLite does not number. The table is only ever read and written with raw SQL.
CREATE TABLE "WindowTotalDelta" (
    "id" INTEGER NOT NULL PRIMARY KEY,
    "workspaceId" TEXT NOT NULL,
    "identityId" TEXT NOT NULL,
    "requests" INTEGER NOT NULL,
    "errors" INTEGER NOT NULL,
    "costMicros" BIGINT NOT NULL,
    "tokens" BIGINT NOT NULL,
    "unpriced" INTEGER NOT NULL,
    CONSTRAINT "WindowTotalDelta_identityId_fkey" FOREIGN KEY ("identityId") REFERENCES "Identity" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "WindowTotalDelta_workspaceId_id_idx" ON "WindowTotalDelta"("workspaceId", "id");
