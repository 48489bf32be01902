-- AlterTable
ALTER TABLE "Workspace" ADD COLUMN     "allowUnpricedCalls" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "configVersion" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Budget" ADD COLUMN     "rateTatMs" BIGINT NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "UsageEvent" ADD COLUMN     "apiKeyId" TEXT,
ADD COLUMN     "estimated" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "pricing" JSONB,
ADD COLUMN     "reservationId" TEXT;

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

    CONSTRAINT "BudgetCounter_pkey" PRIMARY KEY ("budgetId","windowStartMs")
);

-- CreateTable
CREATE TABLE "Reservation" (
    "id" TEXT NOT NULL,
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

    CONSTRAINT "Reservation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ModelPrice" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "inputMicrosPerMTok" BIGINT NOT NULL,
    "outputMicrosPerMTok" BIGINT NOT NULL,
    "cacheReadMicrosPerMTok" BIGINT,
    "cacheWriteMicrosPerMTok" BIGINT,
    "maxOutputTokens" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ModelPrice_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Reservation_expiresAtMs_idx" ON "Reservation"("expiresAtMs");

-- CreateIndex
CREATE UNIQUE INDEX "ModelPrice_workspaceId_provider_model_key" ON "ModelPrice"("workspaceId", "provider", "model");

-- CreateIndex
CREATE INDEX "Budget_identityId_idx" ON "Budget"("identityId");

-- CreateIndex
CREATE INDEX "UsageEvent_workspaceId_priced_provider_model_idx" ON "UsageEvent"("workspaceId", "priced", "provider", "model");

-- AddForeignKey
ALTER TABLE "BudgetCounter" ADD CONSTRAINT "BudgetCounter_budgetId_fkey" FOREIGN KEY ("budgetId") REFERENCES "Budget"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Reservation" ADD CONSTRAINT "Reservation_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ModelPrice" ADD CONSTRAINT "ModelPrice_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;
