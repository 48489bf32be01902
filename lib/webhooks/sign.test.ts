import { describe, expect, test } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { signedHeaders } from './sign';

const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;

describe('Standard Webhooks signing', () => {
  test('a receiver verifies the body with the secret; a changed body or another secret fails', () => {
    const body = JSON.stringify({ type: 'test', data: { hello: 'world' } });
    const headers = signedHeaders(secret, 'msg_01', new Date(), body);
    expect(headers['webhook-signature']).toMatch(/^v1,/);
    expect(new Webhook(secret).verify(body, headers)).toEqual({ type: 'test', data: { hello: 'world' } });
    expect(() => new Webhook(secret).verify(`${body} `, headers)).toThrow();
    const other = `whsec_${Buffer.alloc(32, 8).toString('base64')}`;
    expect(() => new Webhook(other).verify(body, headers)).toThrow();
  });

  test('the timestamp header is in seconds; a stale one is refused by the receiver', () => {
    const at = new Date('2026-01-01T00:00:00.900Z');
    const headers = signedHeaders(secret, 'msg_02', at, '{}');
    expect(headers['webhook-timestamp']).toBe(String(Date.UTC(2026, 0, 1) / 1000));
    expect(() => new Webhook(secret).verify('{}', headers)).toThrow(/timestamp/i);
  });
});
