// The identity form's fields, values and state: shared by the form (client) and its actions' parsing
// (app/(studio)/identities/form-data.ts).
import type { FormState } from '../../lib/actions/result';

export const IDENTITY_FIELDS = ['external_id', 'display_name', 'email', 'tags', 'metadata', 'budget_period', 'budget_amount'] as const;
export type IdentityField = (typeof IDENTITY_FIELDS)[number];
export type IdentityFormValues = Partial<Record<IdentityField | 'budget_enabled', string>>;
export type FieldErrors = Partial<Record<IdentityField, string>>;

export type IdentityFormState = FormState<IdentityField, IdentityField | 'budget_enabled'> & { identityId?: string };

export const FIELD_LABELS: Record<IdentityField, string> = {
  external_id: 'External ID',
  display_name: 'Display name',
  email: 'Email',
  tags: 'Tags',
  metadata: 'Metadata',
  budget_period: 'Period',
  budget_amount: 'Amount',
};
