// The durable webhook outbox: messages are written in the transaction of what caused them, then claimed, sent and
// retried by the worker (lib/webhooks/worker.ts). Functions take the client, so they run in any transaction.
import type { Tx } from '../db';
import { newId } from '../ids';
import { MAX_ATTEMPTS, retryDelayMs } from './backoff';

export type WebhookEventType = 'budget.alert' | 'test';

/** How long a worker holds a claimed message: longer than one attempt (10 s timeout); a crashed worker's hold lapses. */
export const CLAIM_MS = 30_000;

export const newMessageId = () => `msg_${newId()}`;

/**
 * Queues one message per active notifier of the workspace among `notifierIds` (unknown, deleted or inactive ones are
 * skipped); the body is stored exactly as it will be signed and sent. Returns the message ids.
 */
export async function enqueueMessages(
  tx: Tx,
  message: { workspaceId: string; notifierIds: string[]; eventType: WebhookEventType; body: Record<string, unknown>; now: Date },
): Promise<string[]> {
  const ids = [...new Set(message.notifierIds)];
  if (ids.length === 0) return [];
  const notifiers = await tx.notifier.findMany({ where: { workspaceId: message.workspaceId, id: { in: ids }, isActive: true }, select: { id: true } });
  const payload = JSON.stringify(message.body);
  const rows = notifiers.map((n) => ({
    id: newMessageId(),
    workspaceId: message.workspaceId,
    notifierId: n.id,
    eventType: message.eventType,
    payload,
    status: 'pending',
    nextAttemptAt: message.now,
    createdAt: message.now,
  }));
  if (rows.length > 0) await tx.webhookDelivery.createMany({ data: rows });
  return rows.map((r) => r.id);
}

export type ClaimedMessage = { id: string; notifierId: string; payload: string; attempts: number; lockedUntil: Date };

/**
 * Claims up to `limit` due messages for this worker: each is taken by one conditional update (only while nobody holds
 * it), so workers in several instances never send the same message at the same time; a lapsed hold is taken again.
 */
export async function claimDueMessages(client: Tx, now: Date, limit = 10): Promise<ClaimedMessage[]> {
  const free = { OR: [{ lockedUntil: null }, { lockedUntil: { lt: now } }] };
  const due = await client.webhookDelivery.findMany({
    where: { status: 'pending', nextAttemptAt: { lte: now }, ...free },
    orderBy: [{ nextAttemptAt: 'asc' }, { id: 'asc' }],
    take: limit,
    select: { id: true, notifierId: true, payload: true, attempts: true },
  });
  const lockedUntil = new Date(now.getTime() + CLAIM_MS);
  const claimed: ClaimedMessage[] = [];
  for (const row of due) {
    const { count } = await client.webhookDelivery.updateMany({ where: { id: row.id, status: 'pending', ...free }, data: { lockedUntil } });
    if (count === 1) claimed.push({ ...row, lockedUntil });
  }
  return claimed;
}

export type AttemptOutcome = { statusCode: number | null; error: string | null; durationMs: number };

export const isSuccess = (outcome: AttemptOutcome) => outcome.statusCode !== null && outcome.statusCode >= 200 && outcome.statusCode < 300;

/**
 * Records one try and what follows from it, in one transaction: 2xx → delivered; otherwise tried again after the
 * backoff, or failed after the last attempt. Returns the message's new status.
 */
export async function recordAttempt(
  client: Tx,
  message: Pick<ClaimedMessage, 'id' | 'attempts'>,
  outcome: AttemptOutcome,
  attemptedAt: Date,
  retryBaseMs: number,
): Promise<'delivered' | 'pending' | 'failed'> {
  const attempts = message.attempts + 1;
  const delay = retryDelayMs(attempts, retryBaseMs);
  const status = isSuccess(outcome) ? 'delivered' : delay === null || attempts >= MAX_ATTEMPTS ? 'failed' : 'pending';
  const finishedAt = new Date(attemptedAt.getTime() + outcome.durationMs);
  await client.webhookAttempt.create({
    data: { id: newId(), deliveryId: message.id, attemptedAt, statusCode: outcome.statusCode, error: outcome.error, durationMs: outcome.durationMs },
  });
  await client.webhookDelivery.update({
    where: { id: message.id },
    data: {
      status,
      attempts,
      lastStatus: outcome.statusCode,
      lastError: outcome.error,
      lockedUntil: null,
      ...(status === 'pending' ? { nextAttemptAt: new Date(finishedAt.getTime() + (delay ?? 0)) } : {}),
      ...(status === 'delivered' ? { deliveredAt: finishedAt } : {}),
    },
  });
  return status;
}
