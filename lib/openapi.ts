// OpenAPI 3.1 document generated from the same zod schemas that validate requests.
import { z } from 'zod';
import { createDocument } from 'zod-openapi';
import {
  createIdentitySchema,
  identityResponseSchema,
  listIdentitiesQuerySchema,
  retrieveIdentityQuerySchema,
  updateIdentitySchema,
} from './identities/schema';
import { createBudgetSchema, listBudgetsQuerySchema, resetBudgetSchema, updateBudgetSchema, WIRE_PERIODS } from './budgets/schema';
import { checkUsageSchema, ingestUsageSchema } from './usage/schema';
import { routerChatSchema } from './gateway/schema';

const errorSchema = z
  .object({
    error: z.object({
      code: z.string().meta({ description: 'Stable machine-readable code, e.g. invalid_request, not_found, conflict' }),
      message: z.string(),
      details: z.array(z.object({ field: z.string().meta({ description: 'Dotted path of the offending field' }), issue: z.string() })),
    }),
  })
  .meta({ id: 'Error' });

const budgetSchema = z
  .object({
    budgetId: z.string(),
    scope: z.object({ identity: z.object({ identityExternalId: z.string() }) }),
    limits: z.object({ period: z.enum(WIRE_PERIODS), amount: z.number().optional(), tokenLimit: z.number().optional() }),
    rateLimit: z.object({ requestsPerMinute: z.number().int() }).optional(),
    isActive: z.boolean(),
    expiresAt: z.string().optional(),
    lastResetAt: z.string().optional(),
    alerts: z.array(z.object({ id: z.string(), thresholdPercent: z.number().int(), notifierIds: z.array(z.string()), dimension: z.string().optional() })).optional(),
    usage: z
      .object({ amount: z.number(), tokens: z.number(), requests: z.number().int() })
      .optional()
      .meta({ description: 'Current-period consumption, on get, list and reset' }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Budget' });

const ingestResultSchema = z
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

const jsonContent = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });
const ok = (description: string, schema: z.ZodType) => ({ description, ...jsonContent(schema) });
const errors = {
  '400': ok('Invalid input: `error.details` names each offending field', errorSchema),
  '401': ok('Missing or invalid API key', errorSchema),
};
const notFound = { '404': ok('Not found', errorSchema) };
const identityPath = z.object({ id: z.string().meta({ description: 'Identity `_id` or `external_id`' }) });
const budgetPath = z.object({ budget_id: z.string() });
const identityEnvelope = z.object({ identity: identityResponseSchema });
const budgetEnvelope = z.object({ budget: budgetSchema });
const empty = z.object({});

export function buildOpenApiDocument(serverUrl?: string) {
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Tollbooth API',
      version: '1.0.0',
      description: 'Self-hosted, orq.ai-compatible API for identities, budgets and LLM usage. Authenticate with `Authorization: Bearer <API key>`.',
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    security: [{ bearer: [] }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths: {
      '/v2/identities': {
        get: {
          summary: 'List identities',
          requestParams: { query: listIdentitiesQuerySchema },
          responses: {
            '200': ok('A page of identities', z.object({ object: z.literal('list'), data: z.array(identityResponseSchema), has_more: z.boolean() })),
            ...errors,
          },
        },
        post: {
          summary: 'Create an identity',
          requestBody: jsonContent(createIdentitySchema),
          responses: { '201': ok('Created', identityEnvelope), ...errors, '409': ok('external_id already exists', errorSchema) },
        },
      },
      '/v2/identities/{id}': {
        get: {
          summary: 'Retrieve an identity by _id or external_id',
          requestParams: { path: identityPath, query: retrieveIdentityQuerySchema },
          responses: { '200': ok('The identity', identityEnvelope), ...errors, ...notFound },
        },
        patch: {
          summary: 'Update an identity (null clears a field)',
          requestParams: { path: identityPath },
          requestBody: jsonContent(updateIdentitySchema),
          responses: { '200': ok('The updated identity', identityEnvelope), ...errors, ...notFound },
        },
        delete: {
          summary: 'Delete an identity with its budget and usage',
          requestParams: { path: identityPath },
          responses: { '200': ok('Deleted', empty), ...errors, ...notFound },
        },
      },
      '/v2/budgets': {
        get: {
          summary: 'List budgets with current-period usage',
          requestParams: { query: listBudgetsQuerySchema },
          responses: { '200': ok('A page of budgets', z.object({ object: z.literal('list'), data: z.array(budgetSchema), hasMore: z.boolean() })), ...errors },
        },
        post: {
          summary: 'Create an identity budget',
          requestBody: jsonContent(createBudgetSchema),
          responses: {
            '200': ok('Created (200, as the orq SDK expects)', budgetEnvelope),
            ...errors,
            ...notFound,
            '409': ok('The identity already has a budget', errorSchema),
            '422': ok('A rule was broken (e.g. expires_at in the past, unsupported scope)', errorSchema),
          },
        },
      },
      '/v2/budgets/{budget_id}': {
        get: { summary: 'Get a budget', requestParams: { path: budgetPath }, responses: { '200': ok('The budget', budgetEnvelope), ...errors, ...notFound } },
        patch: {
          summary: 'Update a budget',
          requestParams: { path: budgetPath },
          requestBody: jsonContent(updateBudgetSchema),
          responses: { '200': ok('The updated budget', budgetEnvelope), ...errors, ...notFound },
        },
        delete: { summary: 'Delete a budget', requestParams: { path: budgetPath }, responses: { '200': ok('Deleted', empty), ...errors, ...notFound } },
      },
      '/v2/budgets/{budget_id}/reset-consumption': {
        post: {
          summary: 'Reset the current-period consumption',
          requestParams: { path: budgetPath },
          requestBody: jsonContent(resetBudgetSchema),
          responses: { '200': ok('The budget, with usage back at zero', budgetEnvelope), ...errors, ...notFound },
        },
      },
      '/v2/router/chat/completions': {
        post: {
          summary: 'Chat completion through the gateway (orq router)',
          description:
            'OpenAI-compatible chat completion for `orq.identity` (or the `X-ORQ-IDENTITY-ID` header), forwarded to the provider named in `model` ("openai/gpt-4o"). ' +
            'Refused with 429 `budget_exceeded` / `rate_limited` when the identity\'s budget is spent or its requests-per-minute limit is reached; every call is recorded as usage. `stream: true` answers with server-sent events.',
          requestBody: jsonContent(routerChatSchema),
          responses: {
            '200': ok('The provider\'s chat completion (or an event stream)', z.record(z.string(), z.unknown())),
            ...errors,
            '429': ok('Budget spent or rate limit reached', errorSchema),
            '502': ok('The provider could not be reached', errorSchema),
          },
        },
      },
      '/v2/usage/check': {
        post: {
          summary: 'Check an identity\'s budget before an LLM call',
          description: 'Answers 200 with what is left, or 429 `budget_exceeded` (with `Retry-After` in seconds until the window resets) when the active budget is spent.',
          requestBody: jsonContent(checkUsageSchema),
          responses: {
            '200': ok('Allowed', z.object({ allowed: z.literal(true), identity_id: z.string().optional(), external_id: z.string().optional(), budget: z.record(z.string(), z.unknown()).optional() })),
            ...errors,
            '429': ok('The budget for the current period is spent', errorSchema),
          },
        },
      },
      '/v2/usage': {
        post: {
          summary: 'Ingest usage events (idempotent by event_id / request_id)',
          requestBody: jsonContent(ingestUsageSchema),
          responses: { '200': ok('Per-event results', ingestResultSchema), ...errors, ...notFound },
        },
      },
    },
  });
}
