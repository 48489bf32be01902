// FormData of the budget form → the API's zod schemas (POST / PATCH /v2/budgets), and their issues → inline messages.
import { z } from 'zod';
import { fieldSentence, FIX_BELOW, formText } from '@/lib/actions/result';
import type { ApiError } from '@/lib/api/errors';
import { createBudgetSchema, periodToWire, updateBudgetSchema, type CreateBudgetInput, type UpdateBudgetInput } from '@/lib/budgets/schema';
import type { ScopeKind } from '@/lib/budgets/scopes';
import { usdToMicros } from '@/lib/money';
import { BUDGET_PERIODS, type BudgetPeriod } from '@/lib/time/periods';
import {
  BUDGET_FIELD_LABELS,
  BUDGET_FIELDS,
  type BudgetField,
  type BudgetFormState,
  type BudgetFormValues,
} from '@/components/budgets/budget-form-state';
import { isScopeKind } from '@/components/budgets/scope-labels';
import { alertFormValues } from '@/lib/alerts/form-values';
import { PROVIDER_NAME_PATTERN } from '@/lib/providers/schema';
import { formNumber, notationIssue } from '../form-number';

type FieldErrors = BudgetFormState['fieldErrors'];

export function readBudgetValues(formData: FormData): BudgetFormValues {
  const values: BudgetFormValues = {};
  for (const name of BUDGET_FIELDS) values[name] = formText(formData, name);
  // One checkbox per notifier: every checked one.
  values.alert_notifier_ids = formData.getAll('alert_notifier_ids').filter((v): v is string => typeof v === 'string' && v !== '').join(',');
  return values;
}

/** The form field that shows an issue at this path of the create / update schema (or a service error). */
export function budgetFieldOf(path: string): BudgetField | undefined {
  if (path.startsWith('scope.identity')) return 'identity_external_id';
  if (path.startsWith('scope.api_key')) return 'api_key_id';
  if (path.startsWith('scope.provider')) return 'provider';
  if (path.startsWith('scope.model')) return 'model_id';
  if (path.startsWith('scope')) return 'scope_kind';
  if (path === 'limits.period') return 'period';
  if (path === 'limits.token_limit') return 'token_limit';
  // "Set at least one limit" is reported on `limits`: the amount is the first limit field.
  if (path === 'limits.amount' || path === 'limits') return 'amount';
  if (path.startsWith('rate_limit')) return 'requests_per_minute';
  if (path === 'is_active') return 'is_active';
  if (path.startsWith('alerts') && path.includes('notifier_ids')) return 'alert_notifier_ids';
  if (path.startsWith('alerts') || path === 'clear_alerts') return 'alert_thresholds';
  return undefined;
}

const AT_LEAST_ONE_LIMIT = 'Set a USD amount, a token limit or a requests-per-minute limit.';

function collect(error: z.ZodError, into: FieldErrors): void {
  for (const issue of error.issues) {
    const path = issue.path.map(String).join('.');
    const field = budgetFieldOf(path);
    if (!field || into[field]) continue;
    into[field] = path === 'limits' ? AT_LEAST_ONE_LIMIT : fieldSentence(BUDGET_FIELD_LABELS[field], issue.message);
  }
}

const NUMBER_FIELDS = ['amount', 'token_limit', 'requests_per_minute'] as const;

/** "1e3" in a limit field is refused by name, not read as 1,000. */
function notationIssues(values: BudgetFormValues, errors: FieldErrors): void {
  for (const field of NUMBER_FIELDS) {
    const issue = notationIssue(field === 'amount' ? 'Amount (USD)' : BUDGET_FIELD_LABELS[field], values[field]);
    if (issue) errors[field] = issue;
  }
}

const PROVIDER_NAME_ISSUE =
  'Provider must be a provider’s name as in model ids, e.g. "openai": lowercase letters, digits, "-" or "_" (for one model such as "openai/gpt-4o", choose Model).';

const isPeriod = (value: string): value is BudgetPeriod => (BUDGET_PERIODS as readonly string[]).includes(value);

type FormAlert = { threshold_percent: number; notifier_ids: string[]; dimension: 'BUDGET_ALERT_DIMENSION_COST' | 'BUDGET_ALERT_DIMENSION_TOKENS' };

/**
 * The form's alerts: the thresholds typed ("80, 100") each sent to every notifier ticked, on cost when the budget has
 * an amount, else on tokens. Null when the fields disagree (errors are added).
 */
export function formAlerts(values: BudgetFormValues, hasAmount: boolean, errors: FieldErrors): FormAlert[] | null {
  const words = (values.alert_thresholds ?? '').split(/[\s,;]+/).map((w) => w.replace(/%$/, '')).filter((w) => w !== '');
  const notifierIds = (values.alert_notifier_ids ?? '').split(',').filter((id) => id !== '');
  const thresholds = words.map(Number);
  if (thresholds.some((t) => !Number.isInteger(t) || t < 1 || t > 100)) {
    errors.alert_thresholds = 'Alert thresholds must be whole percentages from 1 to 100, e.g. 80, 100.';
    return null;
  }
  if (thresholds.length > 0 && notifierIds.length === 0) {
    errors.alert_notifier_ids = 'Choose at least one notifier to send the alerts to.';
    return null;
  }
  if (thresholds.length === 0 && notifierIds.length > 0) {
    errors.alert_thresholds = 'Enter the percentages to alert at, e.g. 80, 100.';
    return null;
  }
  const dimension = hasAmount ? 'BUDGET_ALERT_DIMENSION_COST' : 'BUDGET_ALERT_DIMENSION_TOKENS';
  return [...new Set(thresholds)].sort((a, b) => a - b).map((t) => ({ threshold_percent: t, notifier_ids: notifierIds, dimension }));
}

const thresholdSet = (text: string | undefined) => [...new Set((text ?? '').split(/[\s,;]+/).map((w) => w.replace(/%$/, '')).filter(Boolean).map(Number))].sort((a, b) => a - b).join();
const idSet = (text: string | undefined) => [...new Set((text ?? '').split(',').filter(Boolean))].sort().join();

/** Do the form's alert fields say what is stored (same thresholds, same notifiers, in any order)? */
function sameAlerts(values: BudgetFormValues, stored: Pick<BudgetFormValues, 'alert_thresholds' | 'alert_notifier_ids'>): boolean {
  return thresholdSet(values.alert_thresholds) === thresholdSet(stored.alert_thresholds) && idSet(values.alert_notifier_ids) === idSet(stored.alert_notifier_ids);
}

function scopeOf(kind: ScopeKind, values: BudgetFormValues): NonNullable<CreateBudgetInput['scope']> {
  switch (kind) {
    case 'workspace':
      return { workspace: {} };
    case 'identity':
      return { identity: { identity_external_id: values.identity_external_id ?? '' } };
    case 'api_key':
      return { api_key: { api_key_id: values.api_key_id ?? '' } };
    case 'provider':
      return { provider: { provider: values.provider ?? '' } };
    case 'model':
      return { model: { model_id: values.model_id ?? '' } };
  }
}

export type ParsedCreateBudget = { ok: true; input: CreateBudgetInput; kind: ScopeKind } | { ok: false; fieldErrors: FieldErrors };

/** Create: the same createBudgetSchema as POST /v2/budgets. */
export function parseCreateBudgetForm(values: BudgetFormValues): ParsedCreateBudget {
  const errors: FieldErrors = {};
  const kind = values.scope_kind ?? '';
  if (!isScopeKind(kind)) errors.scope_kind = 'Choose what the budget applies to.';
  const period = values.period ?? '';
  if (!isPeriod(period)) errors.period = 'Choose a period.';
  if (!isScopeKind(kind) || !isPeriod(period)) return { ok: false, fieldErrors: errors };
  const amount = formNumber(values.amount);
  const tokenLimit = formNumber(values.token_limit);
  const rpm = formNumber(values.requests_per_minute);
  const alerts = formAlerts(values, amount !== undefined, errors);
  if (!alerts) return { ok: false, fieldErrors: errors };
  notationIssues(values, errors);
  // The providers API's rule for names: anything else ("openai/gpt-4o") could never match a call.
  const provider = (values.provider ?? '').trim();
  if (kind === 'provider' && provider !== '' && !PROVIDER_NAME_PATTERN.test(provider)) errors.provider = PROVIDER_NAME_ISSUE;
  const parsed = createBudgetSchema.safeParse({
    scope: scopeOf(kind, values),
    limits: { period: periodToWire(period), ...(amount !== undefined ? { amount } : {}), ...(tokenLimit !== undefined ? { token_limit: tokenLimit } : {}) },
    ...(rpm !== undefined ? { rate_limit: { requests_per_minute: rpm } } : {}),
    is_active: true,
    ...(alerts.length > 0 ? { alerts } : {}),
  });
  if (!parsed.success) {
    collect(parsed.error, errors);
    return { ok: false, fieldErrors: Object.keys(errors).length > 0 ? errors : { scope_kind: fieldSentence('Scope', parsed.error.issues[0]?.message ?? 'is invalid') } };
  }
  if (Object.keys(errors).length > 0) return { ok: false, fieldErrors: errors };
  return { ok: true, input: parsed.data, kind };
}

/** The stored limits an edit starts from (to send only what changed, and to refuse removing a limit). */
export type CurrentLimits = { period: string; amountMicros: bigint | null; tokenLimit: bigint | null; requestsPerMinute: number | null; isActive: boolean; alerts?: unknown };

export type ParsedUpdateBudget = { ok: true; input: UpdateBudgetInput; changed: boolean } | { ok: false; fieldErrors: FieldErrors };

const CANNOT_REMOVE = (what: string) => `The ${what} cannot be removed from a budget; set another value, or delete the budget and create a new one.`;

/** Edit: updateBudgetSchema (PATCH) with only the fields that changed. */
export function parseUpdateBudgetForm(values: BudgetFormValues, current: CurrentLimits): ParsedUpdateBudget {
  const errors: FieldErrors = {};
  const period = values.period ?? '';
  if (!isPeriod(period)) errors.period = 'Choose a period.';
  const amount = formNumber(values.amount);
  const tokenLimit = formNumber(values.token_limit);
  const rpm = formNumber(values.requests_per_minute);
  if (amount === undefined && current.amountMicros !== null) errors.amount = CANNOT_REMOVE('USD limit');
  if (tokenLimit === undefined && current.tokenLimit !== null) errors.token_limit = CANNOT_REMOVE('token limit');
  if (rpm === undefined && current.requestsPerMinute !== null) errors.requests_per_minute = CANNOT_REMOVE('requests-per-minute limit');
  notationIssues(values, errors);
  // Alerts are checked and sent only when the form's thresholds or notifiers differ from the stored ones (alerts made
  // through the API, e.g. without notifiers, stay as they are when the form leaves them alone).
  const alertsChanged = !sameAlerts(values, alertFormValues(current.alerts));
  const alerts = alertsChanged ? formAlerts(values, amount !== undefined || current.amountMicros !== null, errors) : [];
  if (!isPeriod(period) || !alerts || Object.keys(errors).length > 0) return { ok: false, fieldErrors: errors };

  const isActive = values.is_active === 'on';
  const limits: NonNullable<UpdateBudgetInput['limits']> = {};
  if (period !== current.period) limits.period = periodToWire(period);
  // NaN and other bad numbers go to the schema, which words the error.
  if (amount !== undefined && (!Number.isFinite(amount) || current.amountMicros === null || usdToMicros(amount) !== current.amountMicros)) limits.amount = amount;
  if (tokenLimit !== undefined && (!Number.isInteger(tokenLimit) || current.tokenLimit === null || BigInt(tokenLimit) !== current.tokenLimit)) limits.token_limit = tokenLimit;
  const candidate = {
    ...(Object.keys(limits).length > 0 ? { limits } : {}),
    ...(rpm !== undefined && rpm !== current.requestsPerMinute ? { rate_limit: { requests_per_minute: rpm } } : {}),
    ...(isActive !== current.isActive ? { is_active: isActive } : {}),
    ...(alertsChanged ? (alerts.length > 0 ? { alerts } : { clear_alerts: true }) : {}),
  };
  const parsed = updateBudgetSchema.safeParse(candidate);
  if (!parsed.success) {
    collect(parsed.error, errors);
    return { ok: false, fieldErrors: errors };
  }
  return { ok: true, input: parsed.data, changed: Object.keys(candidate).length > 0 };
}

const ALREADY_HAS: Record<ScopeKind, string> = {
  workspace: 'The workspace already has a budget',
  identity: 'This identity already has a budget',
  api_key: 'This API key already has a budget',
  provider: 'This provider already has a budget',
  model: 'This model already has a budget',
};

/** A service error as form feedback: a taken scope or an unknown identity inline, anything else as one message. */
export function budgetServiceFailure(apiError: ApiError, values: BudgetFormValues): BudgetFormState {
  const fieldErrors: FieldErrors = {};
  for (const d of apiError.details) {
    if (d.field === 'expires_at') {
      fieldErrors.is_active ??= 'This budget has expired, so it cannot be switched on: create a new budget instead.';
      continue;
    }
    const field = budgetFieldOf(d.field);
    if (!field || fieldErrors[field]) continue;
    const kind = values.scope_kind ?? '';
    if (apiError.code === 'conflict' && isScopeKind(kind)) fieldErrors[field] = `${ALREADY_HAS[kind]}: edit that one in the list.`;
    else if (apiError.code === 'not_found' && field === 'identity_external_id') fieldErrors[field] = `${fieldSentence('', d.issue).trim()} Create the identity first, or send usage with that external ID.`;
    else fieldErrors[field] = fieldSentence(BUDGET_FIELD_LABELS[field], d.issue);
  }
  const message = Object.keys(fieldErrors).length > 0 ? FIX_BELOW : apiError.message;
  return { status: 'error', message, fieldErrors, values, submittedAt: Date.now() };
}
