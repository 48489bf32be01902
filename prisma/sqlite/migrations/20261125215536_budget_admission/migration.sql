-- CreateTable
CREATE TABLE "BudgetCounter" (
    "budgetId" TEXT NOT NULL,
    "windowStartMs" BIGINT NOT NULL,
    "spentMicros" BIGINT NOT NULL DEFAULT 0,
    "reservedMicros" BIGINT NOT NULL DEFAULT 0,
    "tokens" BIGINT NOT NULL DEFAULT 0,
    "reservedTokens" BIGINT NOT NULL DEFAULT 0,
    "requests" INTEGER NOT NULL DEFAULT 0,
    "inFlight" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("budgetId", "windowStartMs"),
    CONSTRAINT "BudgetCounter_budgetId_fkey" FOREIGN KEY ("budgetId") REFERENCES "Budget" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Reservation" (
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
);

-- CreateTable
CREATE TABLE "ModelPrice" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "workspaceId" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "inputMicrosPerMTok" BIGINT NOT NULL,
    "outputMicrosPerMTok" BIGINT NOT NULL,
    "cacheReadMicrosPerMTok" BIGINT,
    "cacheWriteMicrosPerMTok" BIGINT,
    "maxOutputTokens" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "ModelPrice_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Workspace" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "configVersion" INTEGER NOT NULL DEFAULT 0,
    "allowUnpricedCalls" BOOLEAN NOT NULL DEFAULT false
);
INSERT INTO "new_Workspace" ("createdAt", "id", "name", "slug", "updatedAt") SELECT "createdAt", "id", "name", "slug", "updatedAt" FROM "Workspace";
DROP TABLE "Workspace";
ALTER TABLE "new_Workspace" RENAME TO "Workspace";
CREATE UNIQUE INDEX "Workspace_slug_key" ON "Workspace"("slug");
CREATE TABLE "new_Budget" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "workspaceId" TEXT NOT NULL,
    "scopeKind" TEXT NOT NULL,
    "scopeTargetId" TEXT NOT NULL,
    "identityId" TEXT,
    "period" TEXT NOT NULL DEFAULT 'monthly',
    "amountMicros" BIGINT,
    "tokenLimit" BIGINT,
    "requestsPerMinute" INTEGER,
    "isActive" BOOLEAN NOT NULL DEFAULT true,
    "expiresAt" DATETIME,
    "alerts" JSONB,
    "lastResetAt" DATETIME,
    "rateTatMs" BIGINT NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Budget_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Budget_identityId_fkey" FOREIGN KEY ("identityId") REFERENCES "Identity" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Budget" ("alerts", "amountMicros", "createdAt", "expiresAt", "id", "identityId", "isActive", "lastResetAt", "period", "requestsPerMinute", "scopeKind", "scopeTargetId", "tokenLimit", "updatedAt", "workspaceId") SELECT "alerts", "amountMicros", "createdAt", "expiresAt", "id", "identityId", "isActive", "lastResetAt", "period", "requestsPerMinute", "scopeKind", "scopeTargetId", "tokenLimit", "updatedAt", "workspaceId" FROM "Budget";
DROP TABLE "Budget";
ALTER TABLE "new_Budget" RENAME TO "Budget";
CREATE INDEX "Budget_workspaceId_updatedAt_id_idx" ON "Budget"("workspaceId", "updatedAt", "id");
CREATE INDEX "Budget_identityId_idx" ON "Budget"("identityId");
CREATE UNIQUE INDEX "Budget_workspaceId_scopeKind_scopeTargetId_key" ON "Budget"("workspaceId", "scopeKind", "scopeTargetId");
CREATE TABLE "new_UsageEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "workspaceId" TEXT NOT NULL,
    "identityId" TEXT NOT NULL,
    "eventKey" TEXT NOT NULL,
    "requestId" TEXT,
    "occurredAt" DATETIME NOT NULL,
    "provider" TEXT,
    "model" TEXT,
    "inputTokens" INTEGER NOT NULL DEFAULT 0,
    "outputTokens" INTEGER NOT NULL DEFAULT 0,
    "totalTokens" INTEGER NOT NULL DEFAULT 0,
    "costMicros" BIGINT,
    "priced" BOOLEAN NOT NULL,
    "status" TEXT NOT NULL,
    "errorCode" TEXT,
    "latencyMs" INTEGER,
    "source" TEXT NOT NULL,
    "metadata" JSONB,
    "estimated" BOOLEAN NOT NULL DEFAULT false,
    "pricing" JSONB,
    "apiKeyId" TEXT,
    "reservationId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "UsageEvent_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "UsageEvent_identityId_fkey" FOREIGN KEY ("identityId") REFERENCES "Identity" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_UsageEvent" ("costMicros", "createdAt", "errorCode", "eventKey", "id", "identityId", "inputTokens", "latencyMs", "metadata", "model", "occurredAt", "outputTokens", "priced", "provider", "requestId", "source", "status", "totalTokens", "workspaceId") SELECT "costMicros", "createdAt", "errorCode", "eventKey", "id", "identityId", "inputTokens", "latencyMs", "metadata", "model", "occurredAt", "outputTokens", "priced", "provider", "requestId", "source", "status", "totalTokens", "workspaceId" FROM "UsageEvent";
DROP TABLE "UsageEvent";
ALTER TABLE "new_UsageEvent" RENAME TO "UsageEvent";
CREATE INDEX "UsageEvent_identityId_occurredAt_idx" ON "UsageEvent"("identityId", "occurredAt");
CREATE INDEX "UsageEvent_workspaceId_occurredAt_idx" ON "UsageEvent"("workspaceId", "occurredAt");
CREATE INDEX "UsageEvent_workspaceId_priced_provider_model_idx" ON "UsageEvent"("workspaceId", "priced", "provider", "model");
CREATE UNIQUE INDEX "UsageEvent_workspaceId_eventKey_key" ON "UsageEvent"("workspaceId", "eventKey");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "Reservation_expiresAtMs_idx" ON "Reservation"("expiresAtMs");

-- CreateIndex
CREATE UNIQUE INDEX "ModelPrice_workspaceId_provider_model_key" ON "ModelPrice"("workspaceId", "provider", "model");
