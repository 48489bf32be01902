-- CreateTable
CREATE TABLE "IdentityWindowTotal" (
    "identityId" TEXT NOT NULL PRIMARY KEY,
    "workspaceId" TEXT NOT NULL,
    "requests" INTEGER NOT NULL DEFAULT 0,
    "errors" INTEGER NOT NULL DEFAULT 0,
    "costMicros" BIGINT NOT NULL DEFAULT 0,
    "tokens" BIGINT NOT NULL DEFAULT 0,
    "errorRate" REAL NOT NULL DEFAULT 0,
    CONSTRAINT "IdentityWindowTotal_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "IdentityWindowTotal_identityId_fkey" FOREIGN KEY ("identityId") REFERENCES "Identity" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "MetricsWindow" (
    "workspaceId" TEXT NOT NULL PRIMARY KEY,
    "sinceMs" BIGINT,
    "untilMs" BIGINT,
    "prevSinceMs" BIGINT,
    "prevUntilMs" BIGINT,
    CONSTRAINT "MetricsWindow_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "IdentityWindowTotal_workspaceId_requests_identityId_idx" ON "IdentityWindowTotal"("workspaceId", "requests", "identityId");

-- CreateIndex
CREATE INDEX "IdentityWindowTotal_workspaceId_costMicros_identityId_idx" ON "IdentityWindowTotal"("workspaceId", "costMicros", "identityId");

-- CreateIndex
CREATE INDEX "IdentityWindowTotal_workspaceId_tokens_identityId_idx" ON "IdentityWindowTotal"("workspaceId", "tokens", "identityId");

-- CreateIndex
CREATE INDEX "IdentityWindowTotal_workspaceId_errorRate_identityId_idx" ON "IdentityWindowTotal"("workspaceId", "errorRate", "identityId");

-- CreateIndex
CREATE INDEX "Identity_workspaceId_id_idx" ON "Identity"("workspaceId", "id");
