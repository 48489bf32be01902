import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { ApiError, toApiError, validationError } from './errors';

describe('toApiError', () => {
  test('keeps an ApiError as it is', () => {
    const err = new ApiError('not_found', 'Identity x not found');
    expect(toApiError(err)).toBe(err);
    expect(err.status).toBe(404);
  });

  test('maps Prisma P2025 to 404 and P2002 to 409 naming the field', () => {
    expect(toApiError({ code: 'P2025' }).status).toBe(404);
    const conflict = toApiError({ code: 'P2002', meta: { target: ['workspaceId', 'externalId'] } });
    expect(conflict.status).toBe(409);
    expect(conflict.code).toBe('conflict');
    expect(conflict.details).toEqual([{ field: 'external_id', issue: 'already exists' }]);
  });

  test('hides unknown errors behind a generic 500', () => {
    const err = toApiError(new Error('SQLITE_BUSY: secret path /var/db'));
    expect(err.status).toBe(500);
    expect(err.message).not.toContain('secret');
  });

  test('names every invalid field from zod', () => {
    const schema = z.object({ limits: z.object({ amount: z.number().positive('must be positive') }) });
    const result = schema.safeParse({ limits: { amount: -1 } });
    expect(result.success).toBe(false);
    const err = validationError(result.error!);
    expect(err.status).toBe(400);
    expect(err.toBody()).toEqual({
      error: {
        code: 'invalid_request',
        message: 'Invalid limits.amount: must be positive',
        details: [{ field: 'limits.amount', issue: 'must be positive' }],
      },
    });
  });

  test('names each field a strict object does not know, in its place', () => {
    const schema = z.strictObject({ events: z.array(z.strictObject({ output_tokens: z.number() })) });
    const result = schema.safeParse({ events: [{ output_tokens: 1 }, { output_tokens: 1, output_token: 5, reservationId: 'r' }], extra: true });
    expect(validationError(result.error!).details).toEqual([
      { field: 'events.1.output_token', issue: 'is not a known field' },
      { field: 'events.1.reservationId', issue: 'is not a known field' },
      { field: 'extra', issue: 'is not a known field' },
    ]);
  });
});
