-- CreateTable
CREATE TABLE "IdentityWindowTotal" (
    "identityId" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "requests" INTEGER NOT NULL DEFAULT 0,
    "errors" INTEGER NOT NULL DEFAULT 0,
    "costMicros" BIGINT NOT NULL DEFAULT 0,
    "tokens" BIGINT NOT NULL DEFAULT 0,
    "errorRate" DOUBLE PRECISION NOT NULL DEFAULT 0,

    CONSTRAINT "IdentityWindowTotal_pkey" PRIMARY KEY ("identityId")
);

-- CreateTable
CREATE TABLE "MetricsWindow" (
    "workspaceId" TEXT NOT NULL,
    "sinceMs" BIGINT,
    "untilMs" BIGINT,
    "prevSinceMs" BIGINT,
    "prevUntilMs" BIGINT,

    CONSTRAINT "MetricsWindow_pkey" PRIMARY KEY ("workspaceId")
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

-- AddForeignKey
ALTER TABLE "IdentityWindowTotal" ADD CONSTRAINT "IdentityWindowTotal_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IdentityWindowTotal" ADD CONSTRAINT "IdentityWindowTotal_identityId_fkey" FOREIGN KEY ("identityId") REFERENCES "Identity"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MetricsWindow" ADD CONSTRAINT "MetricsWindow_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Identity search (ILIKE on display name, e-mail and external id) reads trigram indexes instead of every row.
-- Not expressible in schema.prisma (its models must match the SQLite ones), so kept here only.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- CreateIndex
CREATE INDEX "Identity_displayName_trgm_idx" ON "Identity" USING GIN ("displayName" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "Identity_email_trgm_idx" ON "Identity" USING GIN ("email" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "Identity_externalId_trgm_idx" ON "Identity" USING GIN ("externalId" gin_trgm_ops);
