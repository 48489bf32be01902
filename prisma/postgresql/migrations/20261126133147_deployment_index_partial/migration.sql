-- Most usage events have no deployment: the (deploymentId, occurredAt) index keeps only the events that do
-- (on every monthly partition). The deployment views query "deploymentId" = $1 / IN (…), which imply IS NOT NULL.
-- Prisma 6 cannot express a partial index: schema.prisma keeps the plain @@index of the same name.
DROP INDEX "UsageEvent_deploymentId_occurredAt_idx";
CREATE INDEX "UsageEvent_deploymentId_occurredAt_idx" ON "UsageEvent"("deploymentId", "occurredAt") WHERE "deploymentId" IS NOT NULL;
