'use client';

import { useActionState, useEffect, useRef, useState } from 'react';
import { toast } from 'sonner';
import { Button } from '../ui/button';
import { DialogCancel, DialogFooter } from '../ui/dialog';
import { Field, FormMessage } from '../ui/field';
import { Input, Select, Textarea } from '../ui/input';
import { Switch } from '../ui/switch';
import type { IdentityFormState, IdentityFormValues } from './identity-form-data';

type IdentityFormProps = {
  mode: 'create' | 'edit';
  action: (state: IdentityFormState, formData: FormData) => Promise<IdentityFormState>;
  initialValues: IdentityFormValues;
  /** Called once per successful submission (e.g. to close the panel). */
  onSuccess?: (state: IdentityFormState) => void;
};

const PERIODS = [
  { value: 'daily', label: 'Daily' },
  { value: 'weekly', label: 'Weekly' },
  { value: 'monthly', label: 'Monthly' },
  { value: 'yearly', label: 'Yearly' },
] as const;

/** Create / edit identity: server action validates with the API's zod schemas; errors show inline, typed values stay. */
export function IdentityForm({ mode, action, initialValues, onSuccess }: IdentityFormProps) {
  const initialState: IdentityFormState = { status: 'idle', fieldErrors: {}, values: initialValues, submittedAt: 0 };
  const onSuccessRef = useRef(onSuccess);
  useEffect(() => {
    onSuccessRef.current = onSuccess;
  });
  // Success is handled where the action returns, not in an effect: the panel may unmount as the page re-renders.
  const [state, formAction, pending] = useActionState(async (prev: IdentityFormState, formData: FormData) => {
    const next = await action(prev, formData);
    if (next.status === 'success') {
      toast.success(next.message ?? 'Saved');
      onSuccessRef.current?.(next);
    }
    return next;
  }, initialState);
  const formRef = useRef<HTMLFormElement>(null);

  useEffect(() => {
    if (state.status === 'error') formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [state]);

  return (
    <form ref={formRef} action={formAction} noValidate className="flex h-full flex-col">
      {/* Remounting on each result shows the values the server echoed back, even after React resets the form. */}
      <IdentityFields key={state.submittedAt} mode={mode} state={state} />
      <DialogFooter className="mt-auto">
        <DialogCancel disabled={pending} />
        <Button type="submit" variant="primary" pending={pending}>
          {mode === 'create' ? 'Create identity' : 'Save changes'}
        </Button>
      </DialogFooter>
    </form>
  );
}

function IdentityFields({ mode, state }: { mode: 'create' | 'edit'; state: IdentityFormState }) {
  const v = state.values;
  const [budgetOn, setBudgetOn] = useState(v.budget_enabled === 'on');
  // A field's error goes away as soon as it is edited; the next submission re-checks everything.
  const [edited, setEdited] = useState<ReadonlySet<string>>(new Set());
  const e = Object.fromEntries(Object.entries(state.fieldErrors).filter(([field]) => !edited.has(field))) as IdentityFormState['fieldErrors'];
  const markEdited = (event: React.FormEvent<HTMLDivElement>) => {
    const name = (event.target as HTMLInputElement).name;
    if (name && name in state.fieldErrors && !edited.has(name)) setEdited(new Set(edited).add(name));
  };
  return (
    <div className="space-y-5 px-5 py-5" onInput={markEdited}>
      {/* "Fix the highlighted fields" goes once every highlighted field has been edited. */}
      {state.status === 'error' && state.message && (Object.keys(state.fieldErrors).length === 0 || Object.keys(e).length > 0) && (
        <FormMessage>{state.message}</FormMessage>
      )}

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
            {(aria) => (
              <div className="relative">
                <span className="pointer-events-none absolute inset-y-0 left-3 flex items-center text-sm text-zinc-500" aria-hidden="true">
                  $
                </span>
                <Input {...aria} name="budget_amount" inputMode="decimal" defaultValue={v.budget_amount} placeholder="10.00" className="pl-7 tabular-nums" autoComplete="off" />
              </div>
            )}
          </Field>
        </div>
      </fieldset>
    </div>
  );
}
