-- CreateTable
CREATE TABLE "SignInThrottle" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "failures" INTEGER NOT NULL,
    "lastAtMs" BIGINT NOT NULL
);

-- CreateIndex
CREATE INDEX "SignInThrottle_lastAtMs_idx" ON "SignInThrottle"("lastAtMs");
