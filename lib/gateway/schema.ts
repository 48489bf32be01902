// Request bodies of the router (POST /v2/router/chat/completions, /v3/router/chat/completions,
// /v2/router/embeddings): an OpenAI request plus orq's identity (contract §5) and fallbacks. Unknown
// OpenAI fields are passed through to the provider; orq's own fields never are.
import { z } from 'zod';
import { externalIdSchema } from '../identities/schema';
import { metadataIssue, metadataSchema } from '../api/metadata';

export const publicIdentitySchema = z.object({
  id: externalIdSchema,
  display_name: z.string().trim().min(1, 'cannot be empty').max(200, 'must be at most 200 characters').optional(),
  email: z.email({ error: 'must be a valid email address' }).max(320, 'must be at most 320 characters').optional(),
  logo_url: z.string().max(2048, 'must be at most 2048 characters').optional(),
  tags: z.array(z.string().trim().min(1, 'cannot be empty').max(64, 'must be at most 64 characters')).max(50, 'must have at most 50 tags').optional(),
  // orq sends a list of objects, merged in order into the identity's metadata: the merge has the same limits.
  metadata: z
    .array(metadataSchema, { error: 'must be a list of objects' })
    .max(50, 'must have at most 50 entries')
    .superRefine((list, ctx) => {
      const issue = metadataIssue(Object.assign({}, ...list) as Record<string, unknown>);
      if (issue) ctx.addIssue({ code: 'custom', path: issue.path, message: `merged: ${issue.message}` });
    })
    .optional(),
});
export type PublicIdentity = z.output<typeof publicIdentitySchema>;

const routerModel = z.string({ error: 'is required, e.g. "openai/gpt-4o"' }).trim().min(1, 'is required, e.g. "openai/gpt-4o"');
/** orq's fallbacks: router models tried in order when the provider fails. */
const fallbacks = z.array(z.object({ model: routerModel }), { error: 'must be a list of {model}' }).max(10, 'must have at most 10 models').nullable().optional();
/** orq's retry: the same model tried again, up to `count` times, when the provider answers one of `on_codes`. */
const retry = z
  .object({
    count: z.number({ error: 'must be a whole number' }).int('must be a whole number').min(1, 'must be at least 1').max(5, 'must be at most 5').optional(),
    on_codes: z
      .array(z.number({ error: 'must be HTTP status codes' }).int('must be HTTP status codes').min(400, 'must be an HTTP error status (400–599)').max(599, 'must be an HTTP error status (400–599)'))
      .max(20, 'must have at most 20 codes')
      .optional(),
  })
  .nullable()
  .optional();
const threadSchema = z.object({ id: z.string().trim().min(1, 'cannot be empty').max(255, 'must be at most 255 characters'), tags: z.array(z.string().max(64)).max(50).optional() });
/** orq's own parameters of a v2 call; `fallbacks` here is the SDK's deprecated place for the top-level one. */
const orqParams = z
  .object({ identity: publicIdentitySchema.optional(), contact: publicIdentitySchema.optional(), fallbacks, retry, thread: threadSchema.optional() })
  .loose()
  .optional();

/** orq fields that configure the router and are never sent to the provider. */
export const ORQ_ONLY_FIELDS = ['orq', 'identity', 'thread', 'fallbacks', 'retry', 'cache', 'load_balancer', 'timeout', 'name'] as const;

const orqOnly: ReadonlySet<string> = new Set(ORQ_ONLY_FIELDS);

/**
 * The request body without orq's own fields: what the provider gets (the model is set by the gateway). Made by copying
 * the other fields rather than deleting orq's from a copy: an object fields were deleted from is slower to copy and to
 * serialize (V8 makes it a dictionary), and the gateway does both with it on every call.
 */
export function providerBody(body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  // (`__proto__` never gets this far: parseJsonBytes refuses it. Were it here, assigning it would set a prototype.)
  for (const field of Object.keys(body)) if (!orqOnly.has(field) && field !== '__proto__') out[field] = body[field];
  return out;
}

/** A whole number of tokens or choices, as the provider takes it (null: its default). */
const whole = (max: number) =>
  z
    .number({ error: 'must be a whole number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(max, `must be at most ${max.toLocaleString('en-US')}`)
    .nullable()
    .optional();

const chatFields = {
  model: routerModel,
  messages: z.array(z.unknown(), { error: 'must be a list of messages' }).min(1, 'must contain at least one message'),
  stream: z.boolean({ error: 'must be true or false' }).optional(),
  // What a call's estimate holds: bounded as a deployment's parameters are.
  max_tokens: whole(10_000_000),
  max_completion_tokens: whole(10_000_000),
  n: whole(128),
  fallbacks,
  retry,
};

export const routerChatSchema = z.looseObject({ ...chatFields, orq: orqParams }).meta({ id: 'RouterChatCompletionRequest' });
export type RouterChatInput = z.output<typeof routerChatSchema>;

/** v3: the identity at the top level of the body, and an optional thread the call belongs to. */
export const routerChatV3Schema = z
  .looseObject({
    ...chatFields,
    identity: publicIdentitySchema.optional(),
    thread: threadSchema.optional(),
  })
  .meta({ id: 'RouterChatCompletionV3Request' });
export type RouterChatV3Input = z.output<typeof routerChatV3Schema>;

export const routerEmbeddingsSchema = z
  .looseObject({
    model: routerModel,
    input: z.union([z.string(), z.array(z.union([z.string(), z.number().int(), z.array(z.number().int())]))], {
      error: 'must be a string, a list of strings or a list of token lists',
    }),
    fallbacks,
    retry,
    orq: orqParams,
  })
  .meta({ id: 'RouterEmbeddingsRequest' });
export type RouterEmbeddingsInput = z.output<typeof routerEmbeddingsSchema>;
export type RetryInput = z.output<typeof retry>;

/** A thread a call belongs to, as its usage event's metadata (thread_id, thread_tags). */
export const threadMetadata = (thread: z.output<typeof threadSchema> | undefined) =>
  thread ? { thread_id: thread.id, ...(thread.tags?.length ? { thread_tags: thread.tags } : {}) } : undefined;
