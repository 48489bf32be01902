import { describe, expect, it } from 'vitest';
import { notifierResponseSchema, webhookDeliveryResponseSchema } from './schema';
import { serializeDelivery, serializeNotifier } from './serialize';
import type { DeliveryRow, NotifierRow } from './service';

const at = new Date('2026-11-27T10:00:00Z');
const notifier: NotifierRow = { id: 'n1', workspaceId: 'ws', name: 'Ops', url: 'https://hooks.example.test/x', signingSecretEncrypted: 'jwe', isActive: true, createdAt: at, updatedAt: at };
const delivery: DeliveryRow = {
  id: 'msg_1',
  workspaceId: 'ws',
  notifierId: 'n1',
  eventType: 'budget.alert',
  payload: '{"type":"budget.alert","data":{"threshold_percent":80}}',
  status: 'pending',
  attempts: 1,
  nextAttemptAt: at,
  lockedUntil: null,
  lastStatus: 500,
  lastError: 'HTTP 500',
  createdAt: at,
  deliveredAt: null,
  attemptsLog: [{ id: 'a1', deliveryId: 'msg_1', attemptedAt: at, statusCode: 500, error: null, durationMs: 12 }],
};

// A schema strips keys it does not know: parsing back to the same object means no undeclared field.
describe('notifier serializers answer what their response schemas declare', () => {
  it('a notifier, with the signing secret only when given', () => {
    for (const out of [serializeNotifier(notifier), serializeNotifier(notifier, 'whsec_abc')]) expect(notifierResponseSchema.parse(out)).toEqual(out);
    expect(serializeNotifier(notifier)).not.toHaveProperty('signing_secret');
  });

  it('a delivery, pending and delivered; a payload that is not JSON becomes {}', () => {
    const delivered = { ...delivery, status: 'delivered', deliveredAt: at, payload: 'not json' };
    for (const row of [delivery, delivered]) {
      const out = serializeDelivery(row);
      expect(webhookDeliveryResponseSchema.parse(out)).toEqual(out);
    }
    expect(serializeDelivery(delivery).next_attempt_at).toBe(at.toISOString());
    expect(serializeDelivery(delivered)).toMatchObject({ next_attempt_at: null, delivered_at: at.toISOString(), payload: {} });
  });
});
