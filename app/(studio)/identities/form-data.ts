// FormData of the identity form → the API's zod schemas (POST / PATCH /v2/identities, the Studio's budget), and their
// issues → inline messages.
import { z } from 'zod';
import { fieldSentence, formText } from '@/lib/actions/result';
import { createIdentitySchema, updateIdentitySchema, type CreateIdentityInput, type UpdateIdentityInput } from '@/lib/identities/schema';
import { studioBudgetSchema } from '@/lib/budgets/schema';
import type { StudioBudget } from '@/lib/budgets/service';
import { usdToMicros } from '@/lib/money';
import { checkJsonTree } from '@/lib/api/json-guard';
import { FIELD_LABELS, IDENTITY_FIELDS, type FieldErrors, type IdentityField, type IdentityFormValues } from '@/components/identities/identity-form-state';

/** "must be a valid email address" → "Email must be a valid email address"; sentences stay as they are. */
export function fieldMessage(field: IdentityField, issue: string): string {
  return fieldSentence(FIELD_LABELS[field], issue);
}

/** Maps an issue path of the identity or budget schema to the form field that shows it. */
export function fieldOfPath(path: readonly PropertyKey[], scope: 'identity' | 'budget'): IdentityField | undefined {
  const head = String(path[0] ?? '');
  if (scope === 'budget') return head === 'period' ? 'budget_period' : head === 'amount' ? 'budget_amount' : undefined;
  return (IDENTITY_FIELDS as readonly string[]).includes(head) ? (head as IdentityField) : undefined;
}

export function collectIssues(error: z.ZodError, scope: 'identity' | 'budget', into: FieldErrors): void {
  for (const issue of error.issues) {
    const field = fieldOfPath(issue.path, scope);
    if (field && !into[field]) into[field] = fieldMessage(field, issue.message);
  }
}

export function readValues(formData: FormData): IdentityFormValues {
  const values: IdentityFormValues = {};
  for (const name of [...IDENTITY_FIELDS, 'budget_enabled'] as const) values[name] = formText(formData, name);
  return values;
}

/** "a, b ,, c" → ["a", "b", "c"] */
export const splitTags = (raw: string): string[] =>
  raw
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);

type BudgetResult = { budget: StudioBudget | null };

function parseBudget(values: IdentityFormValues, errors: FieldErrors): BudgetResult | null {
  if (values.budget_enabled !== 'on') return { budget: null };
  const amount = (values.budget_amount ?? '').replace(/[$,\s]/g, '');
  if (amount === '') {
    errors.budget_amount = 'Enter a budget amount in USD, or turn the budget off.';
    return null;
  }
  const parsed = studioBudgetSchema.safeParse({ period: values.budget_period, amount });
  if (!parsed.success) {
    collectIssues(parsed.error, 'budget', errors);
    return null;
  }
  return { budget: { period: parsed.data.period, amountMicros: usdToMicros(parsed.data.amount) } };
}

function parseMetadata(raw: string, errors: FieldErrors): Record<string, unknown> | undefined | null {
  if (raw.trim() === '') return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    errors.metadata = 'Metadata must be valid JSON, e.g. {"plan": "pro"}.';
    return undefined;
  }
  // The checks the API runs on every body (a `__proto__` key would otherwise vanish without a word).
  const problem = checkJsonTree(parsed);
  if (problem) {
    errors.metadata = `Metadata ${problem.field === '(body)' ? '' : `"${problem.field}" `}${problem.issue}.`;
    return undefined;
  }
  return parsed as Record<string, unknown>;
}

export type ParsedCreate = { ok: true; input: CreateIdentityInput; budget: BudgetResult['budget'] } | { ok: false; fieldErrors: FieldErrors };

/** Create: the same createIdentitySchema as POST /v2/identities, plus the Studio budget fields. */
export function parseCreateForm(values: IdentityFormValues): ParsedCreate {
  const errors: FieldErrors = {};
  const metadata = parseMetadata(values.metadata ?? '', errors);
  const candidate = {
    external_id: values.external_id ?? '',
    ...(values.display_name?.trim() ? { display_name: values.display_name } : {}),
    ...(values.email?.trim() ? { email: values.email.trim() } : {}),
    ...(values.tags?.trim() ? { tags: splitTags(values.tags) } : {}),
    ...(metadata ? { metadata } : {}),
  };
  const parsed = createIdentitySchema.safeParse(candidate);
  if (!parsed.success) collectIssues(parsed.error, 'identity', errors);
  const budget = parseBudget(values, errors);
  if (!parsed.success || !budget || Object.keys(errors).length > 0) return { ok: false, fieldErrors: errors };
  return { ok: true, input: parsed.data, budget: budget.budget };
}

export type ParsedUpdate = { ok: true; input: UpdateIdentityInput; budget: BudgetResult['budget'] } | { ok: false; fieldErrors: FieldErrors };

/** Edit: updateIdentitySchema (PATCH), where an emptied field is cleared (null). */
export function parseUpdateForm(values: IdentityFormValues): ParsedUpdate {
  const errors: FieldErrors = {};
  const metadata = parseMetadata(values.metadata ?? '', errors);
  const candidate = {
    display_name: values.display_name?.trim() ? values.display_name : null,
    email: values.email?.trim() ? values.email.trim() : null,
    tags: splitTags(values.tags ?? ''),
    metadata: metadata ?? {},
  };
  const parsed = updateIdentitySchema.safeParse(candidate);
  if (!parsed.success) collectIssues(parsed.error, 'identity', errors);
  const budget = parseBudget(values, errors);
  if (!parsed.success || !budget || Object.keys(errors).length > 0) return { ok: false, fieldErrors: errors };
  return { ok: true, input: parsed.data, budget: budget.budget };
}
