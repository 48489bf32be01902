// The budget form's fields and state, shared by the form (client) and its server actions.
import type { FormState } from '../../lib/actions/result';

export const BUDGET_FIELDS = [
  'scope_kind',
  'identity_external_id',
  'api_key_id',
  'provider',
  'model_id',
  'period',
  'amount',
  'token_limit',
  'requests_per_minute',
  'is_active',
  'alert_thresholds',
  'alert_notifier_ids',
] as const;
export type BudgetField = (typeof BUDGET_FIELDS)[number];
export type BudgetFormValues = Partial<Record<BudgetField, string>>;
export type BudgetFormState = FormState<BudgetField>;

export const BUDGET_FIELD_LABELS: Record<BudgetField, string> = {
  scope_kind: 'Scope',
  identity_external_id: 'External ID',
  api_key_id: 'API key',
  provider: 'Provider',
  model_id: 'Model',
  period: 'Period',
  amount: 'Amount',
  token_limit: 'Token limit',
  requests_per_minute: 'Requests per minute',
  is_active: 'Active',
  alert_thresholds: 'Alert thresholds',
  alert_notifier_ids: 'Notifiers',
};

export const BUDGET_PERIOD_OPTIONS = [
  { value: 'daily', label: 'Daily' },
  { value: 'weekly', label: 'Weekly' },
  { value: 'monthly', label: 'Monthly' },
  { value: 'yearly', label: 'Yearly' },
  { value: 'one_time', label: 'One-time (never resets)' },
] as const;

/** An API key the form offers for an API-key budget. */
export type ApiKeyOption = { id: string; name: string; prefix: string };

/** A notifier the form offers for budget alerts. */
export type NotifierOption = { id: string; name: string };
