// zod schemas for notifiers (webhook endpoints that budget alerts are sent to): the API, the Studio's actions, OpenAPI.
import { z } from 'zod';
import { cursorParams, oneCursorOnly, oneCursorOnlyIssue, pageLimit } from '../api/query';

const name = z.string({ error: 'is required' }).trim().min(1, 'is required').max(100, 'must be at most 100 characters');
const url = z
  .string({ error: 'is required' })
  .trim()
  .min(1, 'is required')
  .pipe(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. https://example.com/hooks/tollbooth' }))
  .pipe(z.string().max(2048, 'must be at most 2048 characters'));

export const createNotifierSchema = z.object({ name, url }).meta({ id: 'CreateNotifierRequest' });
export type CreateNotifierInput = z.output<typeof createNotifierSchema>;

export const updateNotifierSchema = z
  .object({
    name: name.optional(),
    url: url.optional(),
    is_active: z.boolean({ error: 'must be true or false' }).optional(),
  })
  .meta({ id: 'UpdateNotifierRequest' });
export type UpdateNotifierInput = z.output<typeof updateNotifierSchema>;

export const listNotifiersQuerySchema = z
  .object({ limit: pageLimit(200, 50), ...cursorParams })
  .refine(oneCursorOnly, oneCursorOnlyIssue);
export type ListNotifiersQuery = z.output<typeof listNotifiersQuerySchema>;

export const listDeliveriesQuerySchema = z
  .object({ limit: pageLimit(200, 50), ...cursorParams })
  .refine(oneCursorOnly, oneCursorOnlyIssue);
export type ListDeliveriesQuery = z.output<typeof listDeliveriesQuerySchema>;

/** Domain input (camelCase), mapped once from the wire. */
export type NotifierChange = { name?: string; url?: string; isActive?: boolean };
export const toNotifierChange = (input: UpdateNotifierInput): NotifierChange => ({ name: input.name, url: input.url, isActive: input.is_active });

/** Shape of a notifier in responses (documentation; the serializer produces it). */
export const notifierResponseSchema = z
  .object({
    id: z.string().meta({ description: 'ULID of the notifier: what budget alerts name in notifier_ids' }),
    object: z.literal('notifier'),
    name: z.string(),
    url: z.string(),
    is_active: z.boolean(),
    created: z.string().meta({ description: 'ISO 8601, UTC' }),
    updated: z.string(),
    signing_secret: z.string().optional().meta({ description: '"whsec_…" (Standard Webhooks): only in the answer to POST /v2/notifiers' }),
  })
  .meta({ id: 'Notifier' });
export type NotifierResponse = z.output<typeof notifierResponseSchema>;

export const webhookAttemptResponseSchema = z.object({
  attempted_at: z.string(),
  status_code: z.number().nullable(),
  error: z.string().nullable(),
  duration_ms: z.number(),
});

export const webhookDeliveryResponseSchema = z
  .object({
    id: z.string().meta({ description: 'The Standard Webhooks message id ("msg_…"), sent as webhook-id on every attempt' }),
    object: z.literal('webhook_delivery'),
    notifier_id: z.string(),
    event_type: z.enum(['budget.alert', 'test']),
    status: z.enum(['pending', 'delivered', 'failed']),
    attempts: z.number(),
    next_attempt_at: z.string().nullable(),
    last_status: z.number().nullable(),
    last_error: z.string().nullable(),
    created: z.string(),
    delivered_at: z.string().nullable(),
    payload: z.record(z.string(), z.unknown()),
    attempt_log: z.array(webhookAttemptResponseSchema),
  })
  .meta({ id: 'WebhookDelivery' });
export type DeliveryResponse = z.output<typeof webhookDeliveryResponseSchema>;
