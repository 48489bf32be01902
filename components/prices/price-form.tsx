'use client';

import { ActionForm, FormFields } from '../ui/action-form';
import { Field } from '../ui/field';
import { DollarInput, Input } from '../ui/input';
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
  return (
    <ActionForm action={action} initialValues={initialValues} submitLabel={mode === 'create' ? 'Add price' : 'Save changes'} onSuccess={onSuccess}>
      {(state) => <PriceFields mode={mode} state={state} />}
    </ActionForm>
  );
}

function PriceFields({ mode, state }: { mode: 'create' | 'edit'; state: PriceFormState }) {
  const v = state.values;

  return (
    <FormFields state={state}>
      {(e) => {
        const rate = (name: PriceField, label: string, optional: boolean, placeholder: string, hint?: string) => (
          <Field id={name} label={label} optional={optional} error={e[name]} hint={hint}>
            {(aria) => <DollarInput {...aria} name={name} defaultValue={v[name]} placeholder={placeholder} />}
          </Field>
        );
        return (
          <>
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
          </>
        );
      }}
    </FormFields>
  );
}
