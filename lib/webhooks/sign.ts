// Standard Webhooks signatures through the reference library (never a hand-rolled HMAC).
import { Webhook } from 'standardwebhooks';

export type SignedHeaders = { 'webhook-id': string; 'webhook-timestamp': string; 'webhook-signature': string };

/** The three headers that let the receiver verify `payload` (the exact body sent) with the notifier's "whsec_…" secret. */
export function signedHeaders(secret: string, messageId: string, at: Date, payload: string): SignedHeaders {
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(messageId, at, payload),
  };
}
