'use client';

import { useState } from 'react';
import { ActionForm, FormFields } from '../ui/action-form';
import { Field } from '../ui/field';
import { DollarInput, Input, Select, Textarea } from '../ui/input';
import { Switch } from '../ui/switch';
import type { IdentityFormState, IdentityFormValues } from './identity-form-state';

type IdentityFormProps = {
  mode: 'create' | 'edit';
  action: (state: IdentityFormState, formData: FormData) => Promise<IdentityFormState>;
  initialValues: IdentityFormValues;
  /** Called once per successful submission (e.g. to close the panel). */
  onSuccess?: () => void;
};

const PERIODS = [
  { value: 'daily', label: 'Daily' },
  { value: 'weekly', label: 'Weekly' },
  { value: 'monthly', label: 'Monthly' },
  { value: 'yearly', label: 'Yearly' },
] as const;

/** Create / edit identity: server action validates with the API's zod schemas; errors show inline, typed values stay. */
export function IdentityForm({ mode, action, initialValues, onSuccess }: IdentityFormProps) {
  return (
    <ActionForm action={action} initialValues={initialValues} submitLabel={mode === 'create' ? 'Create identity' : 'Save changes'} onSuccess={onSuccess}>
      {(state) => <IdentityFields mode={mode} state={state} />}
    </ActionForm>
  );
}

function IdentityFields({ mode, state }: { mode: 'create' | 'edit'; state: IdentityFormState }) {
  const v = state.values;
  const [budgetOn, setBudgetOn] = useState(v.budget_enabled === 'on');

  return (
    <FormFields state={state}>
      {(e) => (
        <>
          {mode === 'create' ? (
            <Field
              id="external_id"
              label="External ID"
              error={e.external_id}
              hint="Your id for this user, team, project or client. Send it with usage events; it cannot be changed later."
            >
              {(aria) => (
                <Input {...aria} name="external_id" defaultValue={v.external_id} required autoComplete="off" spellCheck={false} placeholder="user_12345" className="font-mono" />
              )}
            </Field>
          ) : (
            <input type="hidden" name="external_id" value={v.external_id ?? ''} />
          )}

          <Field id="display_name" label="Display name" optional error={e.display_name}>
            {(aria) => <Input {...aria} name="display_name" defaultValue={v.display_name} autoComplete="off" placeholder="Jane Smith" />}
          </Field>

          <Field id="email" label="Email" optional error={e.email}>
            {(aria) => <Input {...aria} name="email" type="email" defaultValue={v.email} autoComplete="off" placeholder="jane@example.com" />}
          </Field>

          <Field id="tags" label="Tags" optional error={e.tags} hint="Comma-separated, e.g. enterprise, beta. Filter the list by tag.">
            {(aria) => <Input {...aria} name="tags" defaultValue={v.tags} autoComplete="off" placeholder="enterprise, beta" />}
          </Field>

          {mode === 'edit' && (
            <Field id="metadata" label="Metadata" optional error={e.metadata} hint='A JSON object, e.g. {"plan": "pro"}.'>
              {(aria) => <Textarea {...aria} name="metadata" defaultValue={v.metadata} rows={4} spellCheck={false} />}
            </Field>
          )}

          <fieldset className="rounded-lg border border-zinc-200 p-4">
            <legend className="sr-only">Budget</legend>
            <div className="flex items-start justify-between gap-4">
              <div>
                <label htmlFor="budget_enabled" className="text-sm font-medium text-zinc-800">
                  Budget
                </label>
                <p id="budget_enabled-hint" className="mt-0.5 text-xs text-zinc-500">
                  Requests over the limit are refused with 429 until the period resets.
                </p>
              </div>
              <Switch id="budget_enabled" name="budget_enabled" checked={budgetOn} onCheckedChange={setBudgetOn} aria-describedby="budget_enabled-hint" />
            </div>
            <div hidden={!budgetOn} className="mt-4 grid grid-cols-1 gap-4 sm:grid-cols-2">
              <Field id="budget_period" label="Period" error={e.budget_period}>
                {(aria) => (
                  <Select {...aria} name="budget_period" defaultValue={v.budget_period || 'monthly'}>
                    {PERIODS.map((p) => (
                      <option key={p.value} value={p.value}>
                        {p.label}
                      </option>
                    ))}
                  </Select>
                )}
              </Field>
              <Field id="budget_amount" label="Amount (USD)" error={e.budget_amount}>
                {(aria) => <DollarInput {...aria} name="budget_amount" defaultValue={v.budget_amount} placeholder="10.00" />}
              </Field>
            </div>
          </fieldset>
        </>
      )}
    </FormFields>
  );
}
