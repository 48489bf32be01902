// Query-string building blocks shared by the list endpoints (values arrive as strings).
import { z } from 'zod';

export const queryBool = z.stringbool({ error: 'must be true or false' });

/** `limit`: a whole number from 1 to `max`, `fallback` when absent. */
export const pageLimit = (max: number, fallback: number) =>
  z.coerce
    .number({ error: 'must be a whole number' })
    .int('must be a whole number')
    .min(1, `must be between 1 and ${max}`)
    .max(max, `must be between 1 and ${max}`)
    .default(fallback);

const cursor = z.string().min(1, 'cannot be empty').optional();

/** Stripe-style cursors: `starting_after` / `ending_before` hold an id and cannot be combined. */
export const cursorParams = { starting_after: cursor, ending_before: cursor };

export const oneCursorOnly = (q: { starting_after?: string; ending_before?: string }) => !(q.starting_after && q.ending_before);
export const oneCursorOnlyIssue = { path: ['ending_before'], message: 'cannot be combined with starting_after' };
