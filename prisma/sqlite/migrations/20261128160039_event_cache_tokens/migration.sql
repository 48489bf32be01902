-- AlterTable: added in place (a table redefinition would copy every usage event).
ALTER TABLE "UsageEvent" ADD COLUMN "cacheReadTokens" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "UsageEvent" ADD COLUMN "cacheWriteTokens" INTEGER NOT NULL DEFAULT 0;
