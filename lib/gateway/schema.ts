// Request body of POST /v2/router/chat/completions: an OpenAI chat completion request plus orq's
// `orq.identity` (contract §5). Unknown OpenAI fields are passed through to the provider.
import { z } from 'zod';

export const publicIdentitySchema = z.object({
  id: z.string({ error: 'is required: the identity\'s external id' }).trim().min(1, 'is required: the identity\'s external id').max(255),
  display_name: z.string().trim().min(1).max(200).optional(),
  email: z.email({ error: 'must be a valid email address' }).optional(),
  logo_url: z.string().optional(),
  tags: z.array(z.string().trim().min(1).max(64)).max(50).optional(),
  metadata: z.array(z.record(z.string(), z.unknown())).optional(),
});
export type PublicIdentity = z.output<typeof publicIdentitySchema>;

export const routerChatSchema = z
  .looseObject({
    model: z.string({ error: 'is required, e.g. "openai/gpt-4o"' }).trim().min(1, 'is required, e.g. "openai/gpt-4o"'),
    messages: z.array(z.unknown(), { error: 'must be a list of messages' }).min(1, 'must contain at least one message'),
    stream: z.boolean({ error: 'must be true or false' }).optional(),
    orq: z.object({ identity: publicIdentitySchema.optional(), contact: publicIdentitySchema.optional() }).optional(),
  })
  .meta({ id: 'RouterChatCompletionRequest' });
export type RouterChatInput = z.output<typeof routerChatSchema>;
