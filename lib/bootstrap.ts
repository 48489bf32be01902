import 'server-only';
import { ensureDefaultWorkspace } from './workspaces/service';
import { assertStrongRootKey, ensureApiKey, shortenStoredPrefixes } from './api-keys/service';
import { ensureAdminUser } from './users/service';
import { initMissingCounters } from './budgets/service';
import { startReservationSweeper } from './budgets/admission';
import { startUsageRetention } from './usage/retention';
import { startUsagePartitions } from './usage/partitions';
import { startWebhookWorker } from './webhooks/worker';
import { assertEncryptionKeyConfig } from './providers/encryption-key';

// On globalThis: Next's instrumentation and the API served beside it (scripts/server.ts, its own copy of this module)
// share one start-up; a second would race the first's inserts and start every background job twice.
const shared = globalThis as unknown as { tollboothBootstrap?: Promise<void> };

/** Start-up work: default workspace, root API key and first admin from the environment. Idempotent, once per process. */
export function bootstrap(): Promise<void> {
  shared.tollboothBootstrap ??= (async () => {
    // A malformed TOLLBOOTH_ENCRYPTION_KEY stops the start, rather than the first provider save.
    assertEncryptionKeyConfig();
    const rootKey = process.env.TOLLBOOTH_API_KEY;
    // A weak root key stops the start: its unsalted hash in the database would give it away.
    if (rootKey) assertStrongRootKey(rootKey);
    const workspaceId = await ensureDefaultWorkspace();
    await shortenStoredPrefixes();
    if (rootKey) await ensureApiKey(workspaceId, rootKey, 'Root key (TOLLBOOTH_API_KEY)');
    const email = process.env.TOLLBOOTH_ADMIN_EMAIL;
    const password = process.env.TOLLBOOTH_ADMIN_PASSWORD;
    if (email && password) await ensureAdminUser(workspaceId, email, password);
    // Budgets from before counters existed start theirs from recorded usage; then expired holds are released.
    await initMissingCounters(new Date());
    startReservationSweeper();
    // TOLLBOOTH_RETENTION_DAYS: raw usage events past it are deleted shortly after start, then hourly.
    startUsageRetention();
    // PostgreSQL: the usage events' partitions of this month and the next two, made now and checked daily.
    startUsagePartitions();
    // Budget alert webhooks: the outbox worker sends (and retries) what is queued, including messages from before a restart.
    startWebhookWorker();
  })();
  return shared.tollboothBootstrap;
}
