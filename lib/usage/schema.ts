// zod schema of POST /v2/usage: one entry per LLM call an application made directly.
import { z } from 'zod';
import { usdToMicros } from '../money';
import { metadataSchema } from '../api/metadata';
import { parseJsonBytes } from '../api/json-body';
import { budgetStatusResponseSchema } from '../budgets/schema';
import type { CustomPrice } from './pricing';

// A billion tokens an event: its counts, summed, stay within a 32-bit column (PostgreSQL's token columns).
const tokens = z.number({ error: 'must be a number' }).int('must be a whole number').min(0, 'cannot be negative').max(1e9, 'must be at most 1,000,000,000');
/** The most one event may cost, in USD (given as `cost`, or priced from its tokens). */
export const MAX_EVENT_COST_USD = 1_000_000;

// Tollbooth's own request bodies refuse fields they do not know: a misspelt `output_token` or `reservationId` would
// otherwise be dropped silently, and the call counted without it.
export const usageEventSchema = z
  .strictObject({
    event_id: z.string().trim().min(1, 'cannot be empty').max(255).optional().meta({ description: 'Caller id of this event; a retried event with the same id is counted once' }),
    request_id: z.string().trim().min(1, 'cannot be empty').max(255).optional().meta({ description: 'Provider request id; used as the idempotency key when event_id is absent' }),
    identity_id: z.string().trim().min(1).optional().meta({ description: 'Tollbooth _id of the identity' }),
    external_id: z.string().trim().min(1).max(255).optional().meta({ description: 'External id; an unknown one creates the identity' }),
    display_name: z.string().trim().max(200).optional().meta({ description: 'Used only when the identity is created' }),
    email: z.email({ error: 'must be a valid email address' }).optional(),
    timestamp: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time with a time zone' }).optional(),
    provider: z.string().trim().min(1).max(100).optional(),
    model: z.string().trim().min(1).max(200).optional(),
    input_tokens: tokens.default(0).meta({ description: 'Every input (prompt) token, cache reads and writes included' }),
    output_tokens: tokens.default(0),
    cache_read_tokens: tokens.optional().meta({ description: 'Of input_tokens, those read from the prompt cache' }),
    cache_write_tokens: tokens.optional().meta({ description: 'Of input_tokens, those written to the prompt cache' }),
    cost: z.number({ error: 'must be a number (USD)' }).min(0, 'cannot be negative').max(MAX_EVENT_COST_USD, 'must be at most 1,000,000 USD').optional().meta({ description: 'USD; computed from the price table when absent' }),
    status: z.enum(['success', 'error'], { error: 'must be success or error' }).default('success'),
    error_code: z.string().trim().max(100).optional(),
    latency_ms: z.number({ error: 'must be a number' }).int('must be a whole number').min(0, 'cannot be negative').max(86_400_000, 'must be at most 86,400,000 (a day)').optional(),
    metadata: metadataSchema.optional(),
    reservation_id: z.string().trim().min(1, 'cannot be empty').max(64).optional().meta({ description: 'The reservation (from POST /v2/usage/check) this call settles' }),
  })
  .superRefine((e, ctx) => {
    if (!e.event_id && !e.request_id) ctx.addIssue({ code: 'custom', path: ['event_id'], message: 'is required (or request_id), so retries are not counted twice' });
    if (!e.identity_id && !e.external_id) ctx.addIssue({ code: 'custom', path: ['external_id'], message: 'is required (or identity_id)' });
    // As OpenAI reports them (prompt_tokens and its cached_tokens), and as the price table reads them.
    const read = e.cache_read_tokens ?? 0;
    const written = e.cache_write_tokens ?? 0;
    if (read + written > e.input_tokens) {
      const both = read > 0 && written > 0;
      ctx.addIssue({
        code: 'custom',
        path: [read > 0 ? 'cache_read_tokens' : 'cache_write_tokens'],
        message:
          `${both ? `with cache_write_tokens (${read} + ${written} = ${read + written}) ` : ''}cannot exceed input_tokens (${e.input_tokens}): ` +
          'input_tokens counts every input token, cache reads and writes included',
      });
    }
  })
  .meta({ id: 'UsageEvent' });
export type UsageEventInput = z.output<typeof usageEventSchema>;

export const MAX_EVENTS_PER_BATCH = 1000;

export const ingestUsageSchema = z
  .strictObject({
    events: z
      .array(usageEventSchema, { error: 'must be a list of usage events' })
      .min(1, 'must contain at least one event')
      .max(MAX_EVENTS_PER_BATCH, `must contain at most ${MAX_EVENTS_PER_BATCH} events`),
  })
  .meta({ id: 'IngestUsageRequest' });

const reserveSchema = z
  .strictObject({
    provider: z.string().trim().min(1, 'cannot be empty').max(100).optional(),
    model: z.string().trim().min(1, 'cannot be empty').max(200).optional(),
    input_tokens: tokens.optional(),
    max_output_tokens: tokens.optional(),
    cost: z.number({ error: 'must be a number (USD)' }).positive('must be greater than 0').max(1_000_000, 'must be at most 1,000,000 USD').optional(),
  })
  .superRefine((r, ctx) => {
    if (r.cost !== undefined) {
      if (r.input_tokens !== undefined || r.max_output_tokens !== undefined) ctx.addIssue({ code: 'custom', path: ['cost'], message: 'give either cost or model and token counts, not both' });
      return;
    }
    if (!r.model) ctx.addIssue({ code: 'custom', path: ['model'], message: 'is required to price the reservation (or give cost in USD)' });
    if (r.input_tokens === undefined) ctx.addIssue({ code: 'custom', path: ['input_tokens'], message: 'is required (the prompt\'s tokens)' });
    if (r.max_output_tokens === undefined) ctx.addIssue({ code: 'custom', path: ['max_output_tokens'], message: 'is required (the max_tokens the call is made with)' });
  })
  .meta({ id: 'UsageReservationRequest' });

export const checkUsageSchema = z
  .strictObject({
    external_id: z.string().trim().min(1, 'cannot be empty').max(255).optional(),
    identity_id: z.string().trim().min(1, 'cannot be empty').optional(),
    provider: z.string().trim().min(1, 'cannot be empty').max(100).optional().meta({ description: 'Provider of the call, for provider and model budgets' }),
    model: z.string().trim().min(1, 'cannot be empty').max(200).optional().meta({ description: 'Model of the call, e.g. gpt-4o or openai/gpt-4o' }),
    reserve: reserveSchema.optional().meta({ description: 'Admit the call and hold its estimated cost until a usage event with the returned reservation_id settles it' }),
    ttl_seconds: z.number({ error: 'must be a number' }).int('must be a whole number').min(1, 'must be at least 1').max(86_400, 'must be at most 86400 (a day)').optional(),
  })
  .superRefine((b, ctx) => {
    if (!b.external_id && !b.identity_id) ctx.addIssue({ code: 'custom', path: ['external_id'], message: 'is required (or identity_id)' });
    if (b.ttl_seconds !== undefined && !b.reserve) ctx.addIssue({ code: 'custom', path: ['ttl_seconds'], message: 'only applies with reserve' });
  })
  .meta({ id: 'CheckUsageRequest' });
export type CheckUsageInput = z.output<typeof checkUsageSchema>;

/** One LLM call to record, in the domain's terms (camelCase, micro-USD), whoever reported it. */
export type UsageRecord = {
  /** Idempotency key: the caller's event id or request id, or one minted by the gateway. */
  eventKey: string;
  requestId?: string | null;
  identityId?: string;
  externalId?: string;
  /** Used only when the identity is created by this record. */
  displayName?: string;
  email?: string;
  occurredAt?: Date;
  provider?: string | null;
  model?: string | null;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
  /** A cost the caller states; priced from custom prices or the table when absent. */
  costMicros?: bigint;
  status: 'success' | 'error';
  errorCode?: string | null;
  latencyMs?: number | null;
  metadata?: Record<string, unknown>;
  /** Token counts were counted by Tollbooth, not reported by the provider. */
  estimated?: boolean;
  /** The admission this record settles (its estimate is released). */
  reservationId?: string;
  /** The API key the call was made or reported with. */
  apiKeyId?: string | null;
  /** The deployment the call was made through (POST /v2/deployments/invoke|stream). */
  deploymentId?: string | null;
  /**
   * Recorded by the gateway: the event key is freshly minted (never a duplicate) and the identity
   * (id and external id) was resolved by the gateway, so neither is looked up again.
   */
  fromGateway?: boolean;
  /**
   * Recorded by the gateway: the custom price its call was admitted under (null: none, so the bundled table's), so that
   * a price changed or removed while the call was in flight does not change what it is charged.
   */
  admittedPrice?: CustomPrice | null;
};

/** POST /v2/usage's body (bytes) as records, sent with key `apiKeyId`; throws the API's 400s (lib/api/json-body.ts). */
export function usageRecordsFromBody(body: Uint8Array, apiKeyId: string): UsageRecord[] {
  return parseJsonBytes(body, ingestUsageSchema).events.map((e) => toUsageRecord(e, apiKeyId));
}

/** Wire (snake_case, USD) → domain. */
export function toUsageRecord(event: UsageEventInput, apiKeyId: string | null = null): UsageRecord {
  return {
    eventKey: (event.event_id ?? event.request_id) as string,
    requestId: event.request_id ?? null,
    identityId: event.identity_id,
    externalId: event.external_id,
    displayName: event.display_name,
    email: event.email,
    occurredAt: event.timestamp ? new Date(event.timestamp) : undefined,
    provider: event.provider ?? null,
    model: event.model ?? null,
    inputTokens: event.input_tokens,
    outputTokens: event.output_tokens,
    cacheReadTokens: event.cache_read_tokens,
    cacheWriteTokens: event.cache_write_tokens,
    costMicros: event.cost !== undefined ? usdToMicros(event.cost) : undefined,
    status: event.status,
    errorCode: event.error_code ?? null,
    latencyMs: event.latency_ms ?? null,
    metadata: event.metadata,
    reservationId: event.reservation_id,
    apiKeyId,
  };
}

/** POST /v2/usage's answer: serializeIngestResults' type, and the OpenAPI document's. */
export const ingestResponseSchema = z
  .object({
    object: z.literal('usage.ingest'),
    accepted: z.number().int(),
    duplicates: z.number().int(),
    data: z.array(
      z.object({
        event_id: z.string(),
        id: z.string(),
        identity_id: z.string(),
        external_id: z.string(),
        status: z.enum(['created', 'duplicate']),
        cost: z.number().optional().meta({ description: 'USD; absent when the model is not in the price table' }),
        priced: z.boolean(),
      }),
    ),
  })
  .meta({ id: 'IngestUsageResponse' });
export type IngestResponse = z.output<typeof ingestResponseSchema>;

/** POST /v2/usage/check's answer (a refusal is a 429 error instead): serializeCheckResult's type, and the OpenAPI document's. */
export const checkResponseSchema = z
  .object({
    allowed: z.literal(true),
    identity_id: z.string().optional(),
    external_id: z.string().optional(),
    reservation_id: z.string().optional().meta({ description: 'With `reserve`: send it on the usage event that settles the call' }),
    reservation: z
      .object({ reservation_id: z.string(), amount: z.number().optional().meta({ description: 'USD held' }), tokens: z.number(), expires_at: z.string() })
      .optional(),
    budget: budgetStatusResponseSchema.optional().meta({ description: "The identity's own budget, else the most used that applies" }),
    budgets: z.array(budgetStatusResponseSchema).meta({ description: 'Every active budget that applies to the call, most used first' }),
  })
  .meta({ id: 'CheckUsageResponse' });
export type CheckResponse = z.output<typeof checkResponseSchema>;
