// zod schemas for budgets, in the SDK's wire casing (snake_case requests), and the service's camelCase inputs they
// map to once (toNewBudget, toBudgetChange).
import { z } from 'zod';
import { fieldError } from '../api/errors';
import { cursorParams, oneCursorOnly, oneCursorOnlyIssue, pageLimit, queryBool } from '../api/query';
import { isWholeMicros, usdToMicros, WHOLE_MICROS_MESSAGE } from '../money';
import { PROVIDER_NAME_PATTERN } from '../providers/schema';
import { BUDGET_PERIODS, type BudgetPeriod } from '../time/periods';

export const WIRE_PERIODS = [
  'BUDGET_PERIOD_UNSPECIFIED',
  'BUDGET_PERIOD_DAILY',
  'BUDGET_PERIOD_WEEKLY',
  'BUDGET_PERIOD_MONTHLY',
  'BUDGET_PERIOD_YEARLY',
  'BUDGET_PERIOD_ONE_TIME',
] as const;
export type WirePeriod = (typeof WIRE_PERIODS)[number];

export const SCOPE_KINDS = [
  'BUDGET_SCOPE_KIND_UNSPECIFIED',
  'BUDGET_SCOPE_KIND_WORKSPACE',
  'BUDGET_SCOPE_KIND_PROJECT',
  'BUDGET_SCOPE_KIND_IDENTITY',
  'BUDGET_SCOPE_KIND_API_KEY',
  'BUDGET_SCOPE_KIND_PROVIDER',
  'BUDGET_SCOPE_KIND_MODEL',
] as const;

/** What a budget can apply to, as stored (Budget.scopeKind) and as statuses and refusals name it. */
export const SCOPE_KIND_NAMES = ['identity', 'workspace', 'api_key', 'provider', 'model'] as const;
export type ScopeKind = (typeof SCOPE_KIND_NAMES)[number];

export const BUDGET_SORT_FIELDS = [
  'BUDGET_SORT_FIELD_UNSPECIFIED',
  'BUDGET_SORT_FIELD_EXPIRES_AT',
  'BUDGET_SORT_FIELD_CREATED_AT',
  'BUDGET_SORT_FIELD_UPDATED_AT',
] as const;

export const ALERT_DIMENSIONS = ['BUDGET_ALERT_DIMENSION_UNSPECIFIED', 'BUDGET_ALERT_DIMENSION_COST', 'BUDGET_ALERT_DIMENSION_TOKENS'] as const;

const PERIOD_FROM_WIRE: Record<WirePeriod, BudgetPeriod> = {
  BUDGET_PERIOD_UNSPECIFIED: 'monthly',
  BUDGET_PERIOD_DAILY: 'daily',
  BUDGET_PERIOD_WEEKLY: 'weekly',
  BUDGET_PERIOD_MONTHLY: 'monthly',
  BUDGET_PERIOD_YEARLY: 'yearly',
  BUDGET_PERIOD_ONE_TIME: 'one_time',
};

export const periodFromWire = (p: WirePeriod | undefined): BudgetPeriod => PERIOD_FROM_WIRE[p ?? 'BUDGET_PERIOD_UNSPECIFIED'];
export const periodToWire = (p: BudgetPeriod): WirePeriod => `BUDGET_PERIOD_${p.toUpperCase()}` as WirePeriod;

const periodEnum = z.enum(WIRE_PERIODS, { error: `must be one of ${WIRE_PERIODS.join(', ')}` });
const amountUsd = z
  .number({ error: 'must be a number (USD)' })
  .positive('must be greater than 0')
  // Amounts are stored in micro-dollars: anything smaller would be stored as $0 and refuse every call.
  .min(0.000001, 'must be at least 0.000001 (one micro-dollar)')
  .max(1_000_000_000, 'must be at most 1,000,000,000')
  .refine(isWholeMicros, WHOLE_MICROS_MESSAGE);
const tokenLimit = z.number({ error: 'must be a number' }).int('must be a whole number').positive('must be greater than 0').max(Number.MAX_SAFE_INTEGER, 'must be at most 9,007,199,254,740,991');
const requestsPerMinute = z.number({ error: 'must be a number' }).int('must be a whole number').positive('must be greater than 0').max(1_000_000, 'must be at most 1,000,000');

export const limitsSchema = z.object({
  period: periodEnum.optional(),
  amount: amountUsd.optional(),
  token_limit: tokenLimit.optional(),
});

const alertSchema = z.object({
  id: z.string().optional(),
  threshold_percent: z.number({ error: 'must be a number' }).int('must be a whole number').min(1, 'must be between 1 and 100').max(100, 'must be between 1 and 100'),
  notifier_ids: z.array(z.string()).default([]),
  dimension: z.enum(ALERT_DIMENSIONS).optional(),
});

const scopeSchema = z
  .object({
    workspace: z.object({}).optional(),
    project: z.object({ project_id: z.string() }).optional(),
    identity: z.object({ identity_external_id: z.string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') }).trim().min(1, 'is required') }).optional(),
    api_key: z.object({ api_key_id: z.string({ error: 'is required: the id of an API key' }).trim().min(1, 'is required: the id of an API key') }).optional(),
    provider: z
      .object({
        provider: z
          .string({ error: 'is required, e.g. "openai"' })
          .trim()
          .min(1, 'is required, e.g. "openai"')
          // A name no call's provider can have would make a budget that never applies.
          .refine((name) => PROVIDER_NAME_PATTERN.test(name.toLowerCase()), 'must be a provider\'s name: letters, digits, "-" or "_" (the "openai" in "openai/gpt-4o"; a model budget takes "provider/model")'),
      })
      .optional(),
    model: z
      .object({
        model_id: z
          .string({ error: 'is required, e.g. "openai/gpt-4o"' })
          .trim()
          .regex(/^[^/\s]+\/\S.*$/, 'must be "provider/model", e.g. "openai/gpt-4o"')
          .max(300),
      })
      .optional(),
  })
  .superRefine((scope, ctx) => {
    const kinds = Object.entries(scope).filter(([, v]) => v !== undefined).map(([k]) => k);
    if (kinds.length !== 1) {
      ctx.addIssue({ code: 'custom', message: 'exactly one scope variant must be set (identity, workspace, project, api_key, provider or model)' });
    }
  });

const atLeastOneLimit = (b: { limits?: { amount?: number; token_limit?: number }; rate_limit?: { requests_per_minute?: number } }) =>
  b.limits?.amount !== undefined || b.limits?.token_limit !== undefined || b.rate_limit?.requests_per_minute !== undefined;

export const createBudgetSchema = z
  .object({
    scope: scopeSchema.optional(),
    match: z.object({ cel: z.string().optional() }).optional(),
    limits: limitsSchema.default({}),
    rate_limit: z.object({ requests_per_minute: requestsPerMinute.optional() }).optional(),
    is_active: z.boolean({ error: 'must be true or false' }).default(true),
    expires_at: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time with a time zone' }).optional(),
    alerts: z.array(alertSchema).max(10, 'must have at most 10 alerts').optional(),
  })
  .superRefine((b, ctx) => {
    if (!b.scope) ctx.addIssue({ code: 'custom', path: ['scope'], message: 'is required: set one of scope.identity, scope.workspace, scope.api_key, scope.provider or scope.model' });
    if (b.scope && b.match) ctx.addIssue({ code: 'custom', path: ['match'], message: 'cannot be combined with scope' });
    if (!atLeastOneLimit(b)) {
      ctx.addIssue({ code: 'custom', path: ['limits'], message: 'set at least one of limits.amount, limits.token_limit or rate_limit.requests_per_minute' });
    }
    b.alerts?.forEach((a, i) => {
      if (a.id !== undefined) ctx.addIssue({ code: 'custom', path: ['alerts', i, 'id'], message: 'must be left out when creating a budget' });
    });
  })
  .meta({ id: 'CreateBudgetRequest' });
export type CreateBudgetInput = z.output<typeof createBudgetSchema>;

export const updateBudgetSchema = z
  .object({
    scope: z.unknown().optional(),
    limits: limitsSchema.optional(),
    rate_limit: z.object({ requests_per_minute: requestsPerMinute.optional() }).optional(),
    is_active: z.boolean({ error: 'must be true or false' }).optional(),
    expires_at: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time with a time zone' }).optional(),
    clear_expires_at: z.boolean().optional(),
    match: z.object({ cel: z.string().optional() }).optional(),
    alerts: z.array(alertSchema).max(10, 'must have at most 10 alerts').optional(),
    clear_alerts: z.boolean().optional(),
  })
  .superRefine((b, ctx) => {
    if (b.scope !== undefined) ctx.addIssue({ code: 'custom', path: ['scope'], message: 'cannot be changed; delete the budget and create a new one' });
    if (b.match !== undefined) ctx.addIssue({ code: 'custom', path: ['match'], message: 'can only be changed on dynamic budgets (without a scope)' });
    if (b.clear_expires_at && b.expires_at) ctx.addIssue({ code: 'custom', path: ['expires_at'], message: 'cannot be combined with clear_expires_at' });
    if (b.clear_alerts && b.alerts && b.alerts.length > 0) ctx.addIssue({ code: 'custom', path: ['alerts'], message: 'cannot be combined with clear_alerts' });
  })
  .meta({ id: 'UpdateBudgetRequest' });
export type UpdateBudgetInput = z.output<typeof updateBudgetSchema>;

export type AlertDimensionName = (typeof ALERT_DIMENSIONS)[number];

/** A budget alert as the service takes it; stored (and returned) with the SDK's field names. */
export type AlertSetting = { id?: string; thresholdPercent: number; notifierIds: string[]; dimension?: AlertDimensionName };

/** What a budget applies to. A project scope is accepted by the schema (the SDK has it) and refused by the service. */
export type BudgetScope =
  | { kind: 'workspace' }
  | { kind: 'identity'; externalId: string }
  | { kind: 'api_key'; apiKeyId: string }
  | { kind: 'provider'; provider: string }
  | { kind: 'model'; modelId: string }
  | { kind: 'project'; projectId: string };

/** A new budget, as the service takes it (toNewBudget): money in micro-dollars, dates as dates. */
export type NewBudget = {
  scope: BudgetScope;
  period: BudgetPeriod;
  amountMicros?: bigint;
  tokenLimit?: bigint;
  requestsPerMinute?: number;
  isActive: boolean;
  expiresAt: Date | null;
  alerts?: AlertSetting[];
};

/** A change to a budget (toBudgetChange): a field left out stays as it is; null clears the expiry or the alerts. */
export type BudgetChange = {
  period?: BudgetPeriod;
  amountMicros?: bigint;
  tokenLimit?: bigint;
  requestsPerMinute?: number;
  isActive?: boolean;
  expiresAt?: Date | null;
  alerts?: AlertSetting[] | null;
};

type AlertInput = z.output<typeof alertSchema>;
const toAlertSetting = (a: AlertInput): AlertSetting => ({ id: a.id, thresholdPercent: a.threshold_percent, notifierIds: a.notifier_ids, dimension: a.dimension });

function toBudgetScope(scope: CreateBudgetInput['scope']): BudgetScope {
  if (scope?.workspace) return { kind: 'workspace' };
  if (scope?.identity) return { kind: 'identity', externalId: scope.identity.identity_external_id };
  if (scope?.api_key) return { kind: 'api_key', apiKeyId: scope.api_key.api_key_id };
  if (scope?.provider) return { kind: 'provider', provider: scope.provider.provider };
  if (scope?.model) return { kind: 'model', modelId: scope.model.model_id };
  if (scope?.project) return { kind: 'project', projectId: scope.project.project_id };
  // createBudgetSchema refuses a body without a scope; this keeps the mapping total.
  throw fieldError('invalid_request', 'scope', 'is required: set one of scope.identity, scope.workspace, scope.api_key, scope.provider or scope.model');
}

export const toNewBudget = (input: CreateBudgetInput): NewBudget => ({
  scope: toBudgetScope(input.scope),
  period: periodFromWire(input.limits.period),
  amountMicros: input.limits.amount !== undefined ? usdToMicros(input.limits.amount) : undefined,
  tokenLimit: input.limits.token_limit !== undefined ? BigInt(input.limits.token_limit) : undefined,
  requestsPerMinute: input.rate_limit?.requests_per_minute,
  isActive: input.is_active,
  expiresAt: input.expires_at ? new Date(input.expires_at) : null,
  alerts: input.alerts?.map(toAlertSetting),
});

export function toBudgetChange(input: UpdateBudgetInput): BudgetChange {
  const change: BudgetChange = {};
  // UNSPECIFIED names no period: on a change it keeps the budget's (on create it means the default, monthly).
  if (input.limits?.period !== undefined && input.limits.period !== 'BUDGET_PERIOD_UNSPECIFIED') change.period = periodFromWire(input.limits.period);
  if (input.limits?.amount !== undefined) change.amountMicros = usdToMicros(input.limits.amount);
  if (input.limits?.token_limit !== undefined) change.tokenLimit = BigInt(input.limits.token_limit);
  if (input.rate_limit?.requests_per_minute !== undefined) change.requestsPerMinute = input.rate_limit.requests_per_minute;
  if (input.is_active !== undefined) change.isActive = input.is_active;
  if (input.expires_at !== undefined) change.expiresAt = new Date(input.expires_at);
  if (input.clear_expires_at) change.expiresAt = null;
  if (input.clear_alerts) change.alerts = null;
  else if (input.alerts !== undefined) change.alerts = input.alerts.map(toAlertSetting);
  return change;
}

export const listBudgetsQuerySchema = z
  .object({
    limit: pageLimit(200, 25),
    ...cursorParams,
    scope_kind: z.array(z.enum(SCOPE_KINDS, { error: `must be one of ${SCOPE_KINDS.join(', ')}` })).optional(),
    scope_target_id: z.string().trim().min(1).optional(),
    is_active: queryBool.optional(),
    period: z.array(periodEnum).optional(),
    query: z.string().trim().max(200).optional(),
    sort_by: z.enum(BUDGET_SORT_FIELDS, { error: `must be one of ${BUDGET_SORT_FIELDS.join(', ')}` }).optional(),
  })
  .refine(oneCursorOnly, oneCursorOnlyIssue);
export type ListBudgetsQuery = z.output<typeof listBudgetsQuerySchema>;

export const resetBudgetSchema = z.object({}).meta({ id: 'ResetBudgetConsumptionRequest' });

// Responses. /v2/budgets answers in camelCase (the SDK's budget models); an identity's `budget` (include_budget) and
// /v2/usage/check's budget statuses in snake_case. Money in USD, times ISO 8601 (UTC).

const isoTime = z.string().meta({ description: 'ISO 8601, UTC' });

export const budgetResponseSchema = z
  .object({
    budgetId: z.string(),
    scope: z.union([
      z.object({ identity: z.object({ identityExternalId: z.string() }) }),
      z.object({ workspace: z.object({}) }),
      z.object({ apiKey: z.object({ apiKeyId: z.string() }) }),
      z.object({ provider: z.object({ provider: z.string() }) }),
      z.object({ model: z.object({ modelId: z.string() }) }),
    ]),
    limits: z.object({ period: z.enum(WIRE_PERIODS), amount: z.number().optional(), tokenLimit: z.number().optional() }),
    rateLimit: z.object({ requestsPerMinute: z.number().int() }).optional(),
    isActive: z.boolean(),
    createdAt: isoTime,
    updatedAt: isoTime,
    expiresAt: isoTime.optional(),
    lastResetAt: isoTime.optional(),
    alerts: z
      .array(z.object({ id: z.string().optional(), thresholdPercent: z.number().int(), notifierIds: z.array(z.string()), dimension: z.string().optional() }))
      .optional(),
    usage: z
      .object({
        amount: z.number(),
        tokens: z.number(),
        requests: z.number().int(),
        reserved: z.number().meta({ description: 'USD held by calls in flight' }),
        reservedTokens: z.number(),
        inFlight: z.number().int(),
      })
      .optional()
      .meta({ description: 'Current-period consumption, on get, list and reset' }),
  })
  .meta({ id: 'Budget' });
export type BudgetResponse = z.output<typeof budgetResponseSchema>;

/** An identity's budget (include_budget): the same fields as a Budget, in snake_case (contract §4.4). */
export const identityBudgetResponseSchema = z
  .object({
    budget_id: z.string(),
    scope: z.union([
      z.object({ identity: z.object({ identity_external_id: z.string() }) }),
      z.object({ workspace: z.object({}) }),
      z.object({ api_key: z.object({ api_key_id: z.string() }) }),
      z.object({ provider: z.object({ provider: z.string() }) }),
      z.object({ model: z.object({ model_id: z.string() }) }),
    ]),
    limits: z.object({ period: z.enum(WIRE_PERIODS), amount: z.number().optional(), token_limit: z.number().optional() }),
    rate_limit: z.object({ requests_per_minute: z.number().int() }).optional(),
    is_active: z.boolean(),
    created_at: isoTime,
    updated_at: isoTime,
    expires_at: isoTime.optional(),
    last_reset_at: isoTime.optional(),
    alerts: z
      .array(z.object({ id: z.string().optional(), threshold_percent: z.number().int(), notifier_ids: z.array(z.string()), dimension: z.string().optional() }))
      .optional(),
    usage: z
      .object({ amount: z.number(), tokens: z.number(), requests: z.number().int(), reserved: z.number(), reserved_tokens: z.number(), in_flight: z.number().int() })
      .optional(),
  })
  .meta({ id: 'IdentityBudget' });
export type IdentityBudgetResponse = z.output<typeof identityBudgetResponseSchema>;

/** A budget's scope as statuses and refusals name it: its kind and the scope's target (an external id, a key id …). */
const scopeRefSchema = z.object({ kind: z.enum(SCOPE_KIND_NAMES), target_id: z.string() });

/** A budget's live state as POST /v2/usage/check reports it. */
export const budgetStatusResponseSchema = z
  .object({
    budget_id: z.string(),
    scope: scopeRefSchema,
    period: z.enum(BUDGET_PERIODS),
    is_active: z.boolean(),
    amount: z.number().optional().meta({ description: 'The USD limit' }),
    remaining: z.number().optional().meta({ description: 'USD left: the limit less what is spent and reserved, never below 0' }),
    token_limit: z.number().optional(),
    requests_per_minute: z.number().int().optional(),
    consumed: z.number().meta({ description: 'USD spent by finished calls this period' }),
    reserved: z.number().meta({ description: 'USD held by calls in flight' }),
    tokens: z.number(),
    reserved_tokens: z.number(),
    requests: z.number().int(),
    in_flight: z.number().int(),
    percent: z.number().meta({ description: 'Share of the limit spent, in percent' }),
    exceeded: z.boolean(),
    resets_at: isoTime.optional(),
  })
  .meta({ id: 'BudgetStatus' });
export type BudgetStatusResponse = z.output<typeof budgetStatusResponseSchema>;

/** The budget named in a 429's error body (`error.budget`): what refused the call and how far it is used. */
export const refusedBudgetSchema = z
  .object({
    budget_id: z.string(),
    scope: scopeRefSchema,
    period: z.enum(BUDGET_PERIODS).optional(),
    amount: z.number().optional().meta({ description: 'The USD limit' }),
    consumed: z.number().optional(),
    reserved: z.number().optional(),
    token_limit: z.number().optional(),
    tokens: z.number().optional().meta({ description: 'Tokens used and held' }),
    requests_per_minute: z.number().int().optional(),
    resets_at: isoTime.optional(),
  })
  .meta({ id: 'RefusedBudget' });
export type RefusedBudget = z.output<typeof refusedBudgetSchema>;

/** The Studio's budget fields (period + USD amount), validated with the same rules as the API. */
export const studioBudgetSchema = z.object({
  period: z.enum(['daily', 'weekly', 'monthly', 'yearly'], { error: 'choose a period' }),
  amount: z.coerce.number({ error: 'must be a number' }).pipe(amountUsd),
});
