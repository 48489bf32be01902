'use client';

import { useActionState, useEffect, useRef, useState } from 'react';
import { toast } from 'sonner';
import { Button } from '../ui/button';
import { DialogCancel, DialogFooter } from '../ui/dialog';
import { Field, FormMessage } from '../ui/field';
import { Input } from '../ui/input';
import type { PriceField, PriceFormState, PriceFormValues } from './price-form-state';

export type PriceFormAction = (state: PriceFormState, formData: FormData) => Promise<PriceFormState>;

type PriceFormProps = {
  mode: 'create' | 'edit';
  action: PriceFormAction;
  initialValues: PriceFormValues;
  /** Called once per successful submission (e.g. to close the panel). */
  onSuccess?: () => void;
};

/** Add / edit a model price in USD per million tokens; the server action validates with the API's zod schemas. */
export function PriceForm({ mode, action, initialValues, onSuccess }: PriceFormProps) {
  const initialState: PriceFormState = { status: 'idle', fieldErrors: {}, values: initialValues, submittedAt: 0 };
  const onSuccessRef = useRef(onSuccess);
  useEffect(() => {
    onSuccessRef.current = onSuccess;
  });
  // Success is handled where the action returns, not in an effect: the panel may unmount as the page re-renders.
  const [state, formAction, pending] = useActionState(async (prev: PriceFormState, formData: FormData) => {
    const next = await action(prev, formData);
    if (next.status === 'success') {
      toast.success(next.message ?? 'Saved');
      onSuccessRef.current?.();
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
      <PriceFields key={state.submittedAt} mode={mode} state={state} />
      <DialogFooter className="mt-auto">
        <DialogCancel disabled={pending} />
        <Button type="submit" variant="primary" pending={pending}>
          {mode === 'create' ? 'Add price' : 'Save changes'}
        </Button>
      </DialogFooter>
    </form>
  );
}

function PriceFields({ mode, state }: { mode: 'create' | 'edit'; state: PriceFormState }) {
  const v = state.values;
  // A field's error goes away as soon as it is edited; the next submission re-checks everything.
  const [edited, setEdited] = useState<ReadonlySet<string>>(new Set());
  const e = Object.fromEntries(Object.entries(state.fieldErrors).filter(([field]) => !edited.has(field))) as PriceFormState['fieldErrors'];
  const markEdited = (event: React.FormEvent<HTMLDivElement>) => {
    const name = (event.target as HTMLInputElement).name;
    if (name && name in state.fieldErrors && !edited.has(name)) setEdited(new Set(edited).add(name));
  };
  const rate = (name: PriceField, label: string, optional: boolean, placeholder: string, hint?: string) => (
    <Field id={name} label={label} optional={optional} error={e[name]} hint={hint}>
      {(aria) => (
        <div className="relative">
          <span className="pointer-events-none absolute inset-y-0 left-3 flex items-center text-sm text-zinc-500" aria-hidden="true">
            $
          </span>
          <Input {...aria} name={name} inputMode="decimal" defaultValue={v[name]} placeholder={placeholder} className="pl-7 tabular-nums" autoComplete="off" />
        </div>
      )}
    </Field>
  );

  return (
    <div className="space-y-5 px-5 py-5" onInput={markEdited}>
      {/* "Fix the highlighted fields" goes once every highlighted field has been edited. */}
      {state.status === 'error' && state.message && (Object.keys(state.fieldErrors).length === 0 || Object.keys(e).length > 0) && (
        <FormMessage>{state.message}</FormMessage>
      )}

      {mode === 'create' ? (
        <div className="grid grid-cols-1 gap-4 sm:grid-cols-5">
          <Field id="provider" label="Provider" error={e.provider} className="sm:col-span-2">
            {(aria) => <Input {...aria} name="provider" defaultValue={v.provider} autoComplete="off" spellCheck={false} placeholder="openai" className="font-mono" />}
          </Field>
          <Field id="model" label="Model" error={e.model} className="sm:col-span-3">
            {(aria) => <Input {...aria} name="model" defaultValue={v.model} autoComplete="off" spellCheck={false} placeholder="gpt-4o" className="font-mono" />}
          </Field>
          <p className="-mt-2 text-xs text-zinc-500 sm:col-span-5">As in usage events and router model ids (provider/model).</p>
        </div>
      ) : (
        <>
          <input type="hidden" name="provider" value={v.provider ?? ''} />
          <input type="hidden" name="model" value={v.model ?? ''} />
        </>
      )}

      <fieldset className="space-y-4">
        <legend className="mb-3 text-sm font-semibold text-zinc-900">USD per million tokens</legend>
        <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
          {rate('input_per_million', 'Input', false, '2.50')}
          {rate('output_per_million', 'Output', false, '10.00')}
          {rate('cache_read_per_million', 'Cache read', true, '1.25', 'Defaults to the input price.')}
          {rate('cache_write_per_million', 'Cache write', true, '3.75', 'Defaults to the input price.')}
        </div>
      </fieldset>

      <Field
        id="max_output_tokens"
        label="Default max output tokens"
        optional
        error={e.max_output_tokens}
        hint="What the gateway holds against budgets for a call that sets no max_tokens."
      >
        {(aria) => <Input {...aria} name="max_output_tokens" inputMode="numeric" defaultValue={v.max_output_tokens} placeholder="4,096" className="tabular-nums" autoComplete="off" />}
      </Field>
    </div>
  );
}
