-- The window totals count unpriced requests too (the list shows them next to the cost). Existing totals lack them:
-- every workspace's window is rebuilt from the rollups and raw events at its next view.
ALTER TABLE "IdentityWindowTotal" ADD COLUMN "unpricedRequests" INTEGER NOT NULL DEFAULT 0;
UPDATE "MetricsWindow" SET "sinceMs" = NULL, "untilMs" = NULL;
