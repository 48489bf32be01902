// zod schema of POST /v2/usage: one entry per LLM call an application made directly.
import { z } from 'zod';

const tokens = z.number({ error: 'must be a number' }).int('must be a whole number').min(0, 'cannot be negative').max(1e12);

export const usageEventSchema = z
  .object({
    event_id: z.string().trim().min(1, 'cannot be empty').max(255).optional().meta({ description: 'Caller id of this event; a retried event with the same id is counted once' }),
    request_id: z.string().trim().min(1, 'cannot be empty').max(255).optional().meta({ description: 'Provider request id; used as the idempotency key when event_id is absent' }),
    identity_id: z.string().trim().min(1).optional().meta({ description: 'Tollbooth _id of the identity' }),
    external_id: z.string().trim().min(1).max(255).optional().meta({ description: 'External id; an unknown one creates the identity' }),
    display_name: z.string().trim().max(200).optional().meta({ description: 'Used only when the identity is created' }),
    email: z.email({ error: 'must be a valid email address' }).optional(),
    timestamp: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time with a time zone' }).optional(),
    provider: z.string().trim().min(1).max(100).optional(),
    model: z.string().trim().min(1).max(200).optional(),
    input_tokens: tokens.default(0),
    output_tokens: tokens.default(0),
    cache_read_tokens: tokens.optional(),
    cache_write_tokens: tokens.optional(),
    cost: z.number({ error: 'must be a number (USD)' }).min(0, 'cannot be negative').max(1_000_000).optional().meta({ description: 'USD; computed from the price table when absent' }),
    status: z.enum(['success', 'error'], { error: 'must be success or error' }).default('success'),
    error_code: z.string().trim().max(100).optional(),
    latency_ms: z.number({ error: 'must be a number' }).int('must be a whole number').min(0).max(86_400_000).optional(),
    metadata: z.record(z.string(), z.unknown(), { error: 'must be a JSON object' }).optional(),
  })
  .superRefine((e, ctx) => {
    if (!e.event_id && !e.request_id) ctx.addIssue({ code: 'custom', path: ['event_id'], message: 'is required (or request_id), so retries are not counted twice' });
    if (!e.identity_id && !e.external_id) ctx.addIssue({ code: 'custom', path: ['external_id'], message: 'is required (or identity_id)' });
  })
  .meta({ id: 'UsageEvent' });
export type UsageEventInput = z.output<typeof usageEventSchema>;

export const MAX_EVENTS_PER_BATCH = 1000;

export const ingestUsageSchema = z
  .object({
    events: z
      .array(usageEventSchema, { error: 'must be a list of usage events' })
      .min(1, 'must contain at least one event')
      .max(MAX_EVENTS_PER_BATCH, `must contain at most ${MAX_EVENTS_PER_BATCH} events`),
  })
  .meta({ id: 'IngestUsageRequest' });

export const checkUsageSchema = z
  .object({
    external_id: z.string().trim().min(1, 'cannot be empty').max(255).optional(),
    identity_id: z.string().trim().min(1, 'cannot be empty').optional(),
  })
  .refine((b) => Boolean(b.external_id || b.identity_id), { path: ['external_id'], message: 'is required (or identity_id)' })
  .meta({ id: 'CheckUsageRequest' });
