// Wire shapes of notifiers and their webhook deliveries (snake_case; the signing secret only on creation).
import type { DeliveryResponse, NotifierResponse } from './schema';
import type { DeliveryRow, NotifierRow } from './service';

export function serializeNotifier(row: NotifierRow, signingSecret?: string): NotifierResponse {
  return {
    id: row.id,
    object: 'notifier',
    name: row.name,
    url: row.url,
    is_active: row.isActive,
    created: row.createdAt.toISOString(),
    updated: row.updatedAt.toISOString(),
    ...(signingSecret ? { signing_secret: signingSecret } : {}),
  };
}

function parsePayload(payload: string): Record<string, unknown> {
  try {
    return JSON.parse(payload) as Record<string, unknown>;
  } catch {
    return {};
  }
}

export function serializeDelivery(row: DeliveryRow): DeliveryResponse {
  return {
    id: row.id,
    object: 'webhook_delivery',
    notifier_id: row.notifierId,
    // The outbox writes only the values the schema lists (WebhookEventType; pending → delivered | failed).
    event_type: row.eventType as DeliveryResponse['event_type'],
    status: row.status as DeliveryResponse['status'],
    attempts: row.attempts,
    next_attempt_at: row.status === 'pending' ? row.nextAttemptAt.toISOString() : null,
    last_status: row.lastStatus,
    last_error: row.lastError,
    created: row.createdAt.toISOString(),
    delivered_at: row.deliveredAt ? row.deliveredAt.toISOString() : null,
    payload: parsePayload(row.payload),
    attempt_log: row.attemptsLog.map((a) => ({
      attempted_at: a.attemptedAt.toISOString(),
      status_code: a.statusCode,
      error: a.error,
      duration_ms: a.durationMs,
    })),
  };
}
