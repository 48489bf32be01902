-- CreateTable
CREATE TABLE "WindowTotalDelta" (
    "id" BIGSERIAL NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "identityId" TEXT NOT NULL,
    "requests" INTEGER NOT NULL,
    "errors" INTEGER NOT NULL,
    "costMicros" BIGINT NOT NULL,
    "tokens" BIGINT NOT NULL,
    "unpriced" INTEGER NOT NULL,

    CONSTRAINT "WindowTotalDelta_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "WindowTotalDelta_workspaceId_id_idx" ON "WindowTotalDelta"("workspaceId", "id");

-- AddForeignKey
ALTER TABLE "WindowTotalDelta" ADD CONSTRAINT "WindowTotalDelta_identityId_fkey" FOREIGN KEY ("identityId") REFERENCES "Identity"("id") ON DELETE CASCADE ON UPDATE CASCADE;
