-- CreateTable
CREATE TABLE "BudgetRefusal" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "budgetId" TEXT NOT NULL,
    "scopeKind" TEXT NOT NULL,
    "scopeTargetId" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "identityId" TEXT,
    "apiKeyId" TEXT,
    "provider" TEXT,
    "model" TEXT,

    CONSTRAINT "BudgetRefusal_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "BudgetRefusal_workspaceId_id_idx" ON "BudgetRefusal"("workspaceId", "id");

-- CreateIndex
CREATE INDEX "BudgetRefusal_budgetId_id_idx" ON "BudgetRefusal"("budgetId", "id");

-- AddForeignKey
ALTER TABLE "BudgetRefusal" ADD CONSTRAINT "BudgetRefusal_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;
