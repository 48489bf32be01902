// zod schemas for deployments (wire, snake_case) and the domain types they map to (camelCase).
import { z } from 'zod';
import { splitRouterModel } from '../gateway/providers';
import { cursorParams, oneCursorOnly, oneCursorOnlyIssue, pageLimit } from '../api/query';

export const DEPLOYMENT_KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
/** Deployment ids are ULIDs; a key may not look like one, so `/v2/deployments/{id or key}` is never ambiguous. */
const ULID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/i;

export const PROMPT_ROLES = ['system', 'developer', 'user', 'assistant'] as const;
export type PromptRole = (typeof PROMPT_ROLES)[number];

export const MAX_PROMPT_MESSAGES = 50;
export const MAX_FALLBACKS = 5;

/** "openai/gpt-4o" → { provider: "openai", model: "gpt-4o" }; the provider is lower-cased, the model kept as written. */
export function splitModelId(id: string): { provider: string; model: string } | null {
  // The router's own split, stricter: a stored model id has no whitespace.
  return /\s/.test(id) ? null : splitRouterModel(id);
}

export const modelIdOf = (target: { provider: string; model: string }) => `${target.provider}/${target.model}`;

export const deploymentKeySchema = z
  .string({ error: 'is required, e.g. "customer-support"' })
  .trim()
  .min(1, 'is required, e.g. "customer-support"')
  .max(128, 'must be at most 128 characters')
  .regex(DEPLOYMENT_KEY_PATTERN, 'must start with a letter or digit and contain only letters, digits, "_", "." and "-"')
  .refine((key) => !ULID_PATTERN.test(key), 'cannot look like a deployment id (26 characters of a ULID)');

const modelIdSchema = (example: string) =>
  z
    .string({ error: `is required, e.g. "${example}"` })
    .trim()
    .min(1, `is required, e.g. "${example}"`)
    .max(300, 'must be at most 300 characters')
    .refine((id) => splitModelId(id) !== null, `must be "provider/model", e.g. "${example}"`)
    .transform((id) => modelIdOf(splitModelId(id) as { provider: string; model: string }));

const promptMessageSchema = z.object(
  {
    role: z.enum(PROMPT_ROLES, { error: `must be one of ${PROMPT_ROLES.join(', ')}` }),
    content: z
      .string({ error: 'must be text' })
      .refine((text) => text.trim().length > 0, 'cannot be empty')
      .refine((text) => text.length <= 100_000, 'must be at most 100,000 characters'),
  },
  { error: 'must be an object {role, content}' },
);

const messagesSchema = z
  .array(promptMessageSchema, { error: 'must be a list of {role, content} messages' })
  .max(MAX_PROMPT_MESSAGES, `must have at most ${MAX_PROMPT_MESSAGES} messages`);

const fallbacksSchema = z
  .array(modelIdSchema('anthropic/claude-3-5-haiku-latest'), { error: 'must be a list of "provider/model" ids' })
  .max(MAX_FALLBACKS, `must have at most ${MAX_FALLBACKS} models`)
  .superRefine((ids, ctx) => {
    ids.forEach((id, i) => {
      if (ids.indexOf(id) !== i) ctx.addIssue({ code: 'custom', path: [i], message: `repeats "${id}"` });
    });
  });

const number = (min: number, max: number) =>
  z.number({ error: 'must be a number' }).min(min, `must be between ${min} and ${max}`).max(max, `must be between ${min} and ${max}`);
const wholeNumber = (min: number, max: number) => number(min, max).int('must be a whole number');

/** Parameters the deployment always sends, with OpenAI's names; known ones are checked, others kept as JSON. */
export const RESERVED_PARAMETERS = ['model', 'messages', 'stream', 'stream_options'] as const;


/** Any JSON value (z.json()'s union), named: the OpenAPI document then refers to one JsonValue. */
type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
const jsonValue: z.ZodType<Json> = z
  .lazy(() => z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(jsonValue), z.record(z.string(), jsonValue)]))
  .meta({ id: 'JsonValue' });
export const parametersSchema = z
  .object(
    {
      temperature: number(0, 2).optional(),
      max_tokens: wholeNumber(1, 10_000_000).optional(),
      max_completion_tokens: wholeNumber(1, 10_000_000).optional(),
      top_p: number(0, 1).optional(),
      top_k: wholeNumber(0, 1_000_000).optional(),
      frequency_penalty: number(-2, 2).optional(),
      presence_penalty: number(-2, 2).optional(),
      seed: z.number({ error: 'must be a number' }).int('must be a whole number').optional(),
      stop: z
        .union([z.string(), z.array(z.string()).max(4, 'must have at most 4 sequences')], { error: 'must be a string or a list of strings' })
        .optional(),
      reasoning_effort: z.string({ error: 'must be a string, e.g. "low"' }).min(1, 'cannot be empty').optional(),
      response_format: z.record(z.string(), jsonValue, { error: 'must be an object, e.g. {"type": "json_object"}' }).optional(),
    },
    { error: 'must be an object, e.g. {"temperature": 0.2}' },
  )
  .catchall(jsonValue)
  .superRefine((params, ctx) => {
    for (const name of Object.keys(params)) {
      if ((RESERVED_PARAMETERS as readonly string[]).includes(name)) {
        ctx.addIssue({ code: 'custom', path: [name], message: 'is set per call and cannot be a deployment parameter' });
      } else if (!/^[a-z][a-z0-9_]*$/.test(name)) {
        ctx.addIssue({ code: 'custom', path: [name], message: 'must be an OpenAI parameter name in snake_case, e.g. max_tokens' });
      }
    }
  })
  .meta({ description: 'Call parameters with their OpenAI names (temperature, max_tokens, top_p, …); sent with every call' });

const description = z.string({ error: 'must be text' }).trim().max(1000, 'must be at most 1,000 characters');

export const createDeploymentSchema = z
  .object({
    key: deploymentKeySchema.meta({ description: 'Unique per workspace; what callers pass as `key`' }),
    model: modelIdSchema('openai/gpt-4o').meta({ description: 'Router model id, "provider/model"' }),
    description: description.optional(),
    messages: messagesSchema.optional().meta({ description: 'Prompt messages; `{{variable}}` is filled from the call\'s `inputs`' }),
    parameters: parametersSchema.optional(),
    fallbacks: fallbacksSchema.optional().meta({ description: 'Router model ids tried in order when the provider fails' }),
  })
  .superRefine((input, ctx) => {
    (input.fallbacks ?? []).forEach((id, i) => {
      if (id === input.model) ctx.addIssue({ code: 'custom', path: ['fallbacks', i], message: 'is already the primary model' });
    });
  })
  .meta({ id: 'CreateDeploymentRequest' });
export type CreateDeploymentInput = z.output<typeof createDeploymentSchema>;

// Update: fields left out keep their values; a list or `parameters` replaces the whole value; null clears it.
export const updateDeploymentSchema = z
  .object({
    key: deploymentKeySchema.optional(),
    model: modelIdSchema('openai/gpt-4o').optional(),
    description: description.nullable().optional(),
    messages: messagesSchema.nullable().optional(),
    parameters: parametersSchema.nullable().optional(),
    fallbacks: fallbacksSchema.nullable().optional(),
  })
  .meta({ id: 'UpdateDeploymentRequest' });
export type UpdateDeploymentInput = z.output<typeof updateDeploymentSchema>;

export const listDeploymentsQuerySchema = z
  .object({
    limit: pageLimit(50, 10),
    ...cursorParams,
  })
  .refine(oneCursorOnly, oneCursorOnlyIssue);
export type ListDeploymentsQuery = z.output<typeof listDeploymentsQuerySchema>;

/** A chat message of a call (prefix_messages / messages), OpenAI-shaped and passed on as sent. */
const callMessageSchema = z.looseObject({
  role: z.string({ error: 'is required, e.g. "user"' }).min(1, 'is required, e.g. "user"'),
});

/**
 * The body of `POST /v2/deployments/get_config` (and of invoke / stream) as the orq SDK sends it: the
 * fields a deployment call reads are checked, the rest (identity, context, metadata…) kept as sent.
 */
export const deploymentCallSchema = z
  .looseObject({
    key: z.string({ error: 'is required: the deployment key' }).min(1, 'is required: the deployment key'),
    inputs: z.record(z.string(), z.unknown(), { error: 'must be an object of variables' }).optional(),
    prefix_messages: z.array(callMessageSchema, { error: 'must be a list of messages' }).optional(),
    messages: z.array(callMessageSchema, { error: 'must be a list of messages' }).optional(),
    extra_params: z.record(z.string(), z.unknown(), { error: 'must be an object' }).optional(),
  })
  .meta({ id: 'DeploymentCallRequest' });
export type DeploymentCallInput = z.output<typeof deploymentCallSchema>;

// ---- Domain ----

export type PromptMessage = { role: PromptRole; content: string };
/** OpenAI-named call parameters, JSON values. */
export type DeploymentParameters = Record<string, unknown>;

/** A deployment as the service hands it out. */
export type Deployment = {
  id: string;
  workspaceId: string;
  key: string;
  description: string;
  /** Router model id parts: "openai/gpt-4o" → provider "openai", model "gpt-4o". */
  provider: string;
  model: string;
  parameters: DeploymentParameters;
  messages: PromptMessage[];
  /** Router model ids ("provider/model") tried in order after the primary fails. */
  fallbacks: string[];
  version: number;
  createdAt: Date;
  updatedAt: Date;
};

export type NewDeployment = Pick<Deployment, 'key' | 'provider' | 'model' | 'description' | 'parameters' | 'messages' | 'fallbacks'>;
/** A change: fields left undefined keep their value. */
export type DeploymentChange = Partial<NewDeployment>;

/** Wire (create) → domain. */
export function toNewDeployment(input: CreateDeploymentInput): NewDeployment {
  const target = splitModelId(input.model) as { provider: string; model: string };
  return {
    key: input.key,
    ...target,
    description: input.description ?? '',
    parameters: input.parameters ?? {},
    messages: input.messages ?? [],
    fallbacks: input.fallbacks ?? [],
  };
}

/** Wire (update) → domain: null clears to the empty value. */
export function toDeploymentChange(input: UpdateDeploymentInput): DeploymentChange {
  const change: DeploymentChange = {};
  if (input.key !== undefined) change.key = input.key;
  if (input.model !== undefined) Object.assign(change, splitModelId(input.model));
  if (input.description !== undefined) change.description = input.description ?? '';
  if (input.parameters !== undefined) change.parameters = input.parameters ?? {};
  if (input.messages !== undefined) change.messages = input.messages ?? [];
  if (input.fallbacks !== undefined) change.fallbacks = input.fallbacks ?? [];
  return change;
}

// ---- Responses (documentation and the serializers' types) ----

const wireMessageSchema = z.looseObject({ role: z.string(), content: z.unknown() });

/** orq's `promptConfig` (what `deployments.list` of the SDK parses), with camelCase model parameters as orq names them. */
const promptConfigSchema = z.object({
  tools: z.array(z.never()),
  model: z.string(),
  model_type: z.literal('chat'),
  model_parameters: z.record(z.string(), z.unknown()),
  provider: z.string().meta({ description: 'orq provider name (closed list); the exact provider is in `model`' }),
  messages: z.array(wireMessageSchema),
});

export const deploymentResponseSchema = z
  .object({
    id: z.string().meta({ description: 'ULID of the deployment' }),
    key: z.string(),
    description: z.string(),
    model: z.string().meta({ description: 'Router model id, "provider/model"' }),
    parameters: z.record(z.string(), z.unknown()),
    messages: z.array(z.object({ role: z.enum(PROMPT_ROLES), content: z.string() })),
    fallbacks: z.array(z.string()),
    version: z.string().meta({ description: 'Incremented on every change (a string, as orq sends it)' }),
    prompt_config: promptConfigSchema,
    created: z.string().meta({ description: 'ISO 8601, UTC' }),
    updated: z.string(),
  })
  .meta({ id: 'Deployment' });
export type DeploymentResponse = z.input<typeof deploymentResponseSchema>;

export const deploymentConfigResponseSchema = z
  .object({
    id: z.string(),
    key: z.string(),
    provider: z.string().meta({ description: 'orq provider name' }),
    model: z.string().meta({ description: 'The provider\'s model (without the provider prefix)' }),
    type: z.literal('chat'),
    version: z.string(),
    messages: z.array(wireMessageSchema).meta({ description: 'Prompt messages with the inputs filled in, then prefix_messages, then messages' }),
    parameters: z.record(z.string(), z.unknown()).meta({ description: 'orq\'s camelCase names (maxTokens, topP, …): deployment parameters overridden by extra_params' }),
    fallbacks: z.array(z.string()),
  })
  .meta({ id: 'DeploymentConfig' });
export type DeploymentConfigResponse = z.input<typeof deploymentConfigResponseSchema>;
