// zod schemas for identities: the single source for the API, the Studio's server actions and OpenAPI.
import { z } from 'zod';
import { metadataSchema } from '../api/metadata';
import { cursorParams, oneCursorOnly, oneCursorOnlyIssue, pageLimit, queryBool } from '../api/query';
import { identityBudgetResponseSchema } from '../budgets/schema';

export const IDENTITY_SOURCES = ['studio', 'api', 'usage', 'gateway'] as const;
export type IdentitySource = (typeof IDENTITY_SOURCES)[number];

export const IDENTITY_SORT_FIELDS = [
  'IDENTITY_SORT_FIELD_UNSPECIFIED',
  'IDENTITY_SORT_FIELD_DISPLAY_NAME',
  'IDENTITY_SORT_FIELD_UPDATED',
] as const;
export type IdentitySortField = (typeof IDENTITY_SORT_FIELDS)[number];

export const externalIdSchema = z
  .string({ error: 'is required' })
  .trim()
  .min(1, 'is required')
  .max(255, 'must be at most 255 characters');

const displayName = z.string().trim().min(1, 'cannot be empty').max(200, 'must be at most 200 characters');
const email = z.email({ error: 'must be a valid email address' }).max(320, 'must be at most 320 characters');
const avatarUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2048, 'must be at most 2048 characters');
const tag = z.string().trim().min(1, 'cannot be empty').max(64, 'must be at most 64 characters');
const tags = z
  .array(tag, { error: 'must be a list of strings' })
  .max(50, 'must have at most 50 tags')
  .transform((list) => [...new Set(list)]);
const metadata = metadataSchema;

export const createIdentitySchema = z
  .object({
    external_id: externalIdSchema,
    display_name: displayName.optional(),
    email: email.optional(),
    avatar_url: avatarUrl.optional(),
    tags: tags.optional(),
    metadata: metadata.optional(),
  })
  .meta({ id: 'CreateIdentityRequest' });
export type CreateIdentityInput = z.output<typeof createIdentitySchema>;

// Update: every field optional; `null` clears a field (raw API; the SDK never sends null).
export const updateIdentitySchema = z
  .object({
    external_id: z.never({ error: 'cannot be changed; create a new identity instead' }).optional(),
    display_name: displayName.nullable().optional(),
    email: email.nullable().optional(),
    avatar_url: avatarUrl.nullable().optional(),
    tags: tags.nullable().optional(),
    metadata: metadata.nullable().optional(),
  })
  .meta({ id: 'UpdateIdentityRequest' });
export type UpdateIdentityInput = z.output<typeof updateIdentitySchema>;

/** The profile fields of an identity, as the service stores them. */
type Profile = { displayName: string; email: string; avatarUrl: string; tags: string[]; metadata: Record<string, unknown> };

/** A new identity, as the service takes it: the API's and the Studio's input mapped once (toNewIdentity). */
export type NewIdentity = { externalId: string } & Partial<Profile>;

/** A change to an identity (toIdentityChange): a field left out stays as it is, null clears it. */
export type IdentityChange = { [K in keyof Profile]?: Profile[K] | null };

export const toNewIdentity = (input: CreateIdentityInput): NewIdentity => ({
  externalId: input.external_id,
  displayName: input.display_name,
  email: input.email,
  avatarUrl: input.avatar_url,
  tags: input.tags,
  metadata: input.metadata,
});

export const toIdentityChange = (input: UpdateIdentityInput): IdentityChange => ({
  displayName: input.display_name,
  email: input.email,
  avatarUrl: input.avatar_url,
  tags: input.tags,
  metadata: input.metadata,
});

export const listIdentitiesQuerySchema = z
  .object({
    limit: pageLimit(50, 10),
    ...cursorParams,
    search: z.string().trim().max(200, 'must be at most 200 characters').optional(),
    'filter_by.tags': z.array(z.string().trim().min(1, 'cannot be empty')).optional(),
    include_metrics: queryBool.default(false),
    include_budget: queryBool.default(false),
    sort_by: z.enum(IDENTITY_SORT_FIELDS, { error: `must be one of ${IDENTITY_SORT_FIELDS.join(', ')}` }).optional(),
  })
  .refine(oneCursorOnly, oneCursorOnlyIssue);
export type ListIdentitiesQuery = z.output<typeof listIdentitiesQuerySchema>;

export const retrieveIdentityQuerySchema = z.object({
  include_metrics: queryBool.default(false),
  include_budget: queryBool.default(false),
});

/** Shape of an identity in responses: serializeIdentity's type, and the OpenAPI document's. */
export const identityResponseSchema = z
  .object({
    _id: z.string().meta({ description: 'ULID of the identity' }),
    external_id: z.string(),
    workspace_id: z.string(),
    display_name: z.string().optional(),
    email: z.string().optional(),
    avatar_url: z.string().optional(),
    tags: z.array(z.string()),
    metadata: z.record(z.string(), z.unknown()),
    source: z.enum(IDENTITY_SOURCES),
    created: z.string().meta({ description: 'ISO 8601, UTC' }),
    updated: z.string(),
    metrics: z
      .object({ total_cost: z.number(), total_tokens: z.number(), total_requests: z.number(), error_rate: z.number() })
      .optional()
      .meta({ description: '30-day metrics, present with include_metrics=true' }),
    budget: identityBudgetResponseSchema.optional().meta({ description: 'Identity budget, present with include_budget=true' }),
  })
  .meta({ id: 'Identity' });
export type IdentityResponse = z.output<typeof identityResponseSchema>;
