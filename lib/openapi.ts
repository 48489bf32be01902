// OpenAPI 3.1 document generated from the same zod schemas that validate requests.
import { z } from 'zod';
import { createDocument, type ZodOpenApiResponseObject } from 'zod-openapi';
import { ERROR_CODES, type ErrorCode } from './api/errors';
import {
  createIdentitySchema,
  identityResponseSchema,
  listIdentitiesQuerySchema,
  retrieveIdentityQuerySchema,
  updateIdentitySchema,
} from './identities/schema';
import { budgetResponseSchema, refusedBudgetSchema, createBudgetSchema, listBudgetsQuerySchema, resetBudgetSchema, updateBudgetSchema } from './budgets/schema';
import { checkResponseSchema, checkUsageSchema, ingestResponseSchema, ingestUsageSchema } from './usage/schema';
import { routerChatSchema, routerChatV3Schema, routerEmbeddingsSchema } from './gateway/schema';
import { deploymentInvokeSchema } from './deployments/invoke-schema';
import { createPriceSchema, priceResponseSchema, repriceResponseSchema, repriceSchema, settingsResponseSchema, settingsSchema, updatePriceSchema } from './prices/schema';
import {
  createDeploymentSchema,
  deploymentCallSchema,
  deploymentConfigResponseSchema,
  deploymentResponseSchema,
  listDeploymentsQuerySchema,
  updateDeploymentSchema,
} from './deployments/schema';
import { createProviderSchema, providerResponseSchema, providerTestSchema, updateProviderSchema } from './providers/schema';
import {
  createNotifierSchema,
  listDeliveriesQuerySchema,
  listNotifiersQuerySchema,
  notifierResponseSchema,
  updateNotifierSchema,
  webhookDeliveryResponseSchema,
} from './notifiers/schema';
import { auditEntryResponseSchema, listAuditQuerySchema } from './audit/schema';

const errorSchema = z
  .object({
    error: z.object({
      code: z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]).meta({ description: 'Stable machine-readable code (lib/api/errors.ts: each has one HTTP status)' }),
      message: z.string(),
      details: z.array(z.object({ field: z.string().meta({ description: 'Dotted path of the offending field' }), issue: z.string() })),
      budget: refusedBudgetSchema.optional().meta({ description: 'On 429 `budget_exceeded` / `rate_limited`: the budget that refused the call' }),
    }),
  })
  .meta({ id: 'Error' });


/** A cursor page of the API's lists (`has_more`; /v2/budgets also says `hasMore`, as the SDK reads it). */
const listOf = (item: z.ZodType) => z.object({ object: z.literal('list'), data: z.array(item), has_more: z.boolean() });
const jsonContent = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });
const ok = (description: string, schema: z.ZodType) => ({ description, ...jsonContent(schema) });
const errors = {
  '400': ok('Invalid input: `error.details` names each offending field', errorSchema),
  '401': ok('Missing or invalid API key', errorSchema),
  '403': ok('A read-only API key (`forbidden`): it may read and check budgets; changes, calls and reservations need a read & write key', errorSchema),
};
const notFound = { '404': ok('Not found', errorSchema) };
const rateLimited = {
  '429': {
    ...ok('Refused: a budget that applies is spent (`budget_exceeded`) or its requests per minute are used (`rate_limited`); `error.budget` names it', errorSchema),
    headers: {
      'Retry-After': { description: 'Seconds until the budget admits calls again', schema: { type: 'integer' as const } },
      'X-RateLimit-Limit': { description: 'The refusing budget\'s limit (USD, tokens or requests per minute)', schema: { type: 'string' as const } },
      'X-RateLimit-Remaining': { description: 'Always 0 on a refusal', schema: { type: 'string' as const } },
      'X-RateLimit-Reset': { description: 'Seconds until the window resets', schema: { type: 'integer' as const } },
    },
  },
};

/** What every LLM call path answers besides its 200: bad input, unpriced models, budget refusals, provider failures. */
const callResponses = (success: ZodOpenApiResponseObject) => ({
  '200': success,
  ...errors,
  '422': ok('The model has no price while a USD budget applies (add one with POST /v2/prices)', errorSchema),
  ...rateLimited,
  '502': ok('The provider could not be reached, or failed (after the fallbacks)', errorSchema),
  '504': ok('The provider did not answer in time', errorSchema),
});
const priceEnvelope = z.object({ price: priceResponseSchema });
const pricePath = z.object({ price_id: z.string() });
const providerPath = z.object({ provider_id: z.string().meta({ description: 'Provider id, or its name' }) });
const identityPath = z.object({ id: z.string().meta({ description: 'Identity `_id` or `external_id`' }) });
const budgetPath = z.object({ budget_id: z.string() });
const identityEnvelope = z.object({ identity: identityResponseSchema });
const budgetEnvelope = z.object({ budget: budgetResponseSchema });
const empty = z.object({});
const deploymentEnvelope = z.object({ deployment: deploymentResponseSchema });
const notifierPath = z.object({ notifier_id: z.string() });
const deploymentPath = z.object({ deployment_id: z.string().meta({ description: 'Deployment id or key' }) });

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
            '200': ok('A page of identities', listOf(identityResponseSchema)),
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
          responses: { '200': ok('A page of budgets', listOf(budgetResponseSchema).extend({ hasMore: z.boolean() })), ...errors },
        },
        post: {
          summary: 'Create a budget for an identity, the workspace, an API key, a provider or a model',
          requestBody: jsonContent(createBudgetSchema),
          responses: {
            '200': ok('Created (200, as the orq SDK expects)', budgetEnvelope),
            ...errors,
            ...notFound,
            '409': ok('The scope already has a budget', errorSchema),
            '422': ok('A rule was broken (e.g. expires_at in the past, a project scope)', errorSchema),
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
            'Admitted only while every budget that applies (identity, workspace, API key, provider, model) has spend + reservations below its limit; its estimated cost is held until the call ends and is replaced by the real cost. ' +
            '`stream: true` answers with server-sent events.',
          requestBody: jsonContent(routerChatSchema),
          responses: callResponses(ok('The provider\'s chat completion (or an event stream)', z.record(z.string(), z.unknown()))),
        },
      },
      '/v3/router/chat/completions': {
        post: {
          summary: 'Chat completion through the gateway (orq router v3: top-level identity)',
          description:
            'The same call as `/v2/router/chat/completions` with the identity at the top level of the body (`identity`), and an optional `thread` whose id is stored with the usage event. ' +
            'Without an identity the call is attributed to the API key\'s owner identity. `fallbacks: [{model}]` are tried in order when the provider fails.',
          requestBody: jsonContent(routerChatV3Schema),
          responses: callResponses(ok('The provider\'s chat completion (or an event stream)', z.record(z.string(), z.unknown()))),
        },
      },
      '/v2/router/embeddings': {
        post: {
          summary: 'Embeddings through the gateway, priced and budgeted like chat',
          description: 'OpenAI-compatible embeddings for `orq.identity` (or the header, or the key\'s owner), admitted against every budget that applies; the input\'s tokens are held until the provider reports its usage.',
          requestBody: jsonContent(routerEmbeddingsSchema),
          responses: callResponses(ok('The provider\'s embeddings', z.record(z.string(), z.unknown()))),
        },
      },
      '/v2/deployments/invoke': {
        post: {
          summary: 'Invoke a deployment (orq deployments.invoke)',
          description:
            'Fills the deployment\'s prompt with `inputs`, adds `prefix_messages` and `messages`, merges `extra_params` over its parameters and calls its model — then each fallback model in turn when the provider fails — ' +
            'under the same budgets as the router. The identity comes from `identity`, else the `X-ORQ-IDENTITY-ID` header, else the API key\'s owner. Every attempt is a usage event naming the deployment.',
          requestBody: jsonContent(deploymentInvokeSchema),
          responses: callResponses(ok('orq\'s invoke answer: id, created, object, model, provider, is_final, telemetry, choices, usage', z.record(z.string(), z.unknown()))),
        },
      },
      '/v2/deployments/stream': {
        post: {
          summary: 'Invoke a deployment as server-sent events (orq deployments.stream)',
          description: 'As `/v2/deployments/invoke`, answered with `text/event-stream`: one `data: {…}` event per delta (`is_final: false`), a final event with `is_final: true` and the usage, then `data: [DONE]`.',
          requestBody: jsonContent(deploymentInvokeSchema),
          responses: callResponses({ description: 'Server-sent events', content: { 'text/event-stream': { schema: z.string() } } }),
        },
      },
      '/v2/usage/check': {
        post: {
          summary: 'Check (and optionally reserve) budget before an LLM call made directly to a provider',
          description:
            'Without `reserve`: what is left of every budget that applies, or 429 once one is spent. With `reserve`: the same admission as the gateway — the estimate is held and a `reservation_id` returned; ' +
            'a `POST /v2/usage` event carrying it settles the hold, which otherwise expires (`ttl_seconds`, default 10 minutes).',
          requestBody: jsonContent(checkUsageSchema),
          responses: {
            '200': ok('Allowed', checkResponseSchema),
            ...errors,
            '422': ok('The model has no price while a USD budget applies', errorSchema),
            ...rateLimited,
          },
        },
      },
      '/v2/usage': {
        post: {
          summary: 'Ingest usage events (idempotent by event_id / request_id)',
          requestBody: jsonContent(ingestUsageSchema),
          responses: { '200': ok('Per-event results', ingestResponseSchema), ...errors, ...notFound, '409': ok('An event id was already recorded with different content', errorSchema) },
        },
      },
      '/v2/prices': {
        get: { summary: 'List the workspace\'s own model prices', responses: { '200': ok('Prices', listOf(priceResponseSchema)), ...errors } },
        post: {
          summary: 'Add a price (USD per million tokens) for a provider + model; overrides the bundled price table',
          requestBody: jsonContent(createPriceSchema),
          responses: { '201': ok('Created', priceEnvelope), ...errors, '409': ok('The model already has a price', errorSchema) },
        },
      },
      '/v2/prices/{price_id}': {
        get: { summary: 'Get a price', requestParams: { path: pricePath }, responses: { '200': ok('The price', priceEnvelope), ...errors, ...notFound } },
        patch: { summary: 'Update a price', requestParams: { path: pricePath }, requestBody: jsonContent(updatePriceSchema), responses: { '200': ok('The price', priceEnvelope), ...errors, ...notFound } },
        delete: { summary: 'Delete a price (events keep the price they were charged)', requestParams: { path: pricePath }, responses: { '200': ok('Deleted', empty), ...errors, ...notFound } },
      },
      '/v2/prices/reprice': {
        post: {
          summary: 'Price unpriced events that have a price now; their cost then counts toward budgets and metrics',
          requestBody: jsonContent(repriceSchema),
          responses: { '200': ok('How many were priced', repriceResponseSchema), ...errors },
        },
      },
      '/v2/providers': {
        get: {
          summary: 'List providers: the workspace\'s own, then those configured by environment variables (read-only)',
          responses: { '200': ok('Providers', listOf(providerResponseSchema)), ...errors },
        },
        post: {
          summary: 'Add an upstream provider; the router sends "<name>/<model>" to it (it overrides an environment provider of the same name)',
          requestBody: jsonContent(createProviderSchema),
          responses: { '201': ok('Created', z.object({ provider: providerResponseSchema })), ...errors, '409': ok('A provider has this name', errorSchema) },
        },
      },
      '/v2/providers/{provider_id}': {
        get: {
          summary: 'Get a provider by id, or by name (environment providers have only a name)',
          requestParams: { path: providerPath },
          responses: { '200': ok('The provider', z.object({ provider: providerResponseSchema })), ...errors, ...notFound },
        },
        patch: {
          summary: 'Update a provider; a new api_key rotates the key from the next call',
          requestParams: { path: providerPath },
          requestBody: jsonContent(updateProviderSchema),
          responses: {
            '200': ok('The provider', z.object({ provider: providerResponseSchema })),
            ...errors,
            ...notFound,
            '409': ok('The name is taken, or the provider is configured by environment variables', errorSchema),
          },
        },
        delete: {
          summary: 'Delete a provider',
          requestParams: { path: providerPath },
          responses: { '200': ok('Deleted', empty), ...errors, ...notFound, '409': ok('The provider is configured by environment variables', errorSchema) },
        },
      },
      '/v2/providers/{provider_id}/test': {
        post: {
          summary: 'Test the connection: GET {base_url}/models with the key (10 s timeout); the result is kept on database providers',
          requestParams: { path: providerPath },
          responses: {
            '200': ok('What happened (`test.ok` false for a refused key or an unreachable host)', z.object({ test: providerTestSchema, provider: providerResponseSchema })),
            ...errors,
            ...notFound,
          },
        },
      },
      '/v2/deployments': {
        get: {
          summary: 'List deployments, newest first',
          description: 'Each item carries Tollbooth\'s fields and orq\'s `prompt_config`, the shape the orq SDK\'s `deployments.list` parses.',
          requestParams: { query: listDeploymentsQuerySchema },
          responses: {
            '200': ok('A page of deployments', listOf(deploymentResponseSchema)),
            ...errors,
          },
        },
        post: {
          summary: 'Create a deployment: a key, a "provider/model", an optional prompt, parameters and fallbacks',
          requestBody: jsonContent(createDeploymentSchema),
          responses: { '201': ok('Created', deploymentEnvelope), ...errors, '409': ok('The key is taken', errorSchema) },
        },
      },
      '/v2/deployments/{deployment_id}': {
        get: { summary: 'Get a deployment by id or key', requestParams: { path: deploymentPath }, responses: { '200': ok('The deployment', deploymentEnvelope), ...errors, ...notFound } },
        patch: {
          summary: 'Update a deployment (a list or `parameters` replaces the whole value; null clears it); the version goes up',
          requestParams: { path: deploymentPath },
          requestBody: jsonContent(updateDeploymentSchema),
          responses: { '200': ok('The deployment', deploymentEnvelope), ...errors, ...notFound, '409': ok('The key is taken', errorSchema) },
        },
        delete: {
          summary: 'Delete a deployment (its usage events keep their cost)',
          requestParams: { path: deploymentPath },
          responses: { '200': ok('Deleted', empty), ...errors, ...notFound },
        },
      },
      '/v2/deployments/get_config': {
        post: {
          summary: 'The call a deployment would make for an invoke body: provider, model, the prompt filled from `inputs`, parameters',
          description: 'The body is the one `deployments.invoke` sends (`key`, `inputs`, `prefix_messages`, `messages`, `extra_params`, …); nothing is sent to a provider.',
          requestBody: jsonContent(deploymentCallSchema),
          responses: { '200': ok('The resolved configuration', deploymentConfigResponseSchema), ...errors, '404': ok('No deployment with this key', errorSchema) },
        },
      },
      '/v2/notifiers': {
        get: {
          summary: 'List notifiers (webhook endpoints for budget alerts), newest first',
          requestParams: { query: listNotifiersQuerySchema },
          responses: { '200': ok('A page of notifiers', listOf(notifierResponseSchema)), ...errors },
        },
        post: {
          summary: 'Create a notifier; the answer carries its Standard Webhooks signing_secret ("whsec_…") this once',
          requestBody: jsonContent(createNotifierSchema),
          responses: { '201': ok('Created', z.object({ notifier: notifierResponseSchema })), ...errors },
        },
      },
      '/v2/notifiers/{notifier_id}': {
        get: { summary: 'Retrieve a notifier', requestParams: { path: notifierPath }, responses: { '200': ok('The notifier', z.object({ notifier: notifierResponseSchema })), ...errors, ...notFound } },
        patch: {
          summary: 'Update a notifier (name, url, is_active)',
          requestParams: { path: notifierPath },
          requestBody: jsonContent(updateNotifierSchema),
          responses: { '200': ok('The notifier', z.object({ notifier: notifierResponseSchema })), ...errors, ...notFound },
        },
        delete: { summary: 'Delete a notifier with its deliveries', requestParams: { path: notifierPath }, responses: { '200': ok('Deleted', empty), ...errors, ...notFound } },
      },
      '/v2/notifiers/{notifier_id}/test': {
        post: {
          summary: 'Queue a signed test message to the notifier',
          requestParams: { path: notifierPath },
          responses: { '202': ok('Queued; the outbox worker sends it', z.object({ delivery: webhookDeliveryResponseSchema })), ...errors, ...notFound },
        },
      },
      '/v2/notifiers/{notifier_id}/deliveries': {
        get: {
          summary: "The notifier's messages, newest first, each with its attempts (response code or error, duration)",
          requestParams: { path: notifierPath, query: listDeliveriesQuerySchema },
          responses: { '200': ok('A page of deliveries', listOf(webhookDeliveryResponseSchema)), ...errors, ...notFound },
        },
      },
      '/v2/audit-log': {
        get: {
          summary: 'List audit log entries (who changed what, newest first)',
          requestParams: { query: listAuditQuerySchema },
          responses: { '200': ok('A page of audit entries', listOf(auditEntryResponseSchema)), ...errors },
        },
      },
      '/v2/settings': {
        get: { summary: 'Workspace settings', responses: { '200': ok('Settings', z.object({ settings: settingsResponseSchema })), ...errors } },
        patch: {
          summary: 'Change workspace settings',
          requestBody: jsonContent(settingsSchema),
          responses: { '200': ok('Settings', z.object({ settings: settingsResponseSchema })), ...errors },
        },
      },
    },
  });
}
