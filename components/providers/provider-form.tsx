'use client';

import { useState } from 'react';
import { DEFAULT_BASE_URLS, PROVIDER_KINDS, type ProviderKind } from '../../lib/providers/kinds';
import { ActionForm, FormFields } from '../ui/action-form';
import { Field } from '../ui/field';
import { Input, Select } from '../ui/input';
import { KIND_LABELS, type ProviderField, type ProviderFormState, type ProviderFormValues, type ProviderValue } from './provider-form-state';

export type ProviderFormAction = (state: ProviderFormState, formData: FormData) => Promise<ProviderFormState>;

type ProviderFormProps = {
  mode: 'create' | 'edit';
  action: ProviderFormAction;
  initialValues: ProviderFormValues;
  /** Edit: what the stored key ends with ("abcd"), '' for a key too short to show, undefined without a key. */
  keyHint?: string;
  onSuccess?: () => void;
};

/** Add / edit a provider; the server action validates with the API's zod schemas. The key is never sent back to the page. */
export function ProviderForm({ mode, action, initialValues, keyHint, onSuccess }: ProviderFormProps) {
  return (
    <ActionForm<ProviderField, ProviderValue>
      action={action}
      initialValues={initialValues}
      submitLabel={mode === 'create' ? 'Add provider' : 'Save changes'}
      onSuccess={onSuccess}
    >
      {(state) => <ProviderFields mode={mode} state={state} keyHint={keyHint} />}
    </ActionForm>
  );
}

const isKind = (value: string | undefined): value is ProviderKind => (PROVIDER_KINDS as readonly string[]).includes(value ?? '');

function ProviderFields({ mode, state, keyHint }: { mode: 'create' | 'edit'; state: ProviderFormState; keyHint?: string }) {
  const v = state.values;
  const [kind, setKind] = useState<ProviderKind>(isKind(v.kind) ? v.kind : 'openai');
  const [removeKey, setRemoveKey] = useState(v.remove_api_key === 'on');
  const defaultUrl = DEFAULT_BASE_URLS[kind];
  const hasKey = keyHint !== undefined;

  return (
    <FormFields state={state}>
      {(e) => (
        <>
          <Field id="name" label="Name" error={e.name} hint={<>The router prefix: models are called as <code className="font-mono">name/model</code>, e.g. openai/gpt-4o.</>}>
            {(aria) => <Input {...aria} name="name" defaultValue={v.name} autoComplete="off" spellCheck={false} placeholder="openai" className="font-mono" />}
          </Field>

          <Field id="kind" label="Kind" error={e.kind}>
            {(aria) => (
              <Select {...aria} name="kind" value={kind} onChange={(event) => setKind(event.target.value as ProviderKind)}>
                {PROVIDER_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {KIND_LABELS[k]}
                  </option>
                ))}
              </Select>
            )}
          </Field>

          <Field
            id="base_url"
            label="Base URL"
            optional={Boolean(defaultUrl)}
            error={e.base_url}
            hint={defaultUrl ? `Leave blank for ${defaultUrl}.` : 'Any OpenAI-compatible API: /chat/completions and /models are called under it.'}
          >
            {(aria) => (
              <Input
                {...aria}
                name="base_url"
                type="url"
                defaultValue={v.base_url}
                autoComplete="off"
                spellCheck={false}
                placeholder={defaultUrl ?? 'https://api.openai.com/v1'}
                className="font-mono"
              />
            )}
          </Field>

          <Field
            id="api_key"
            label="API key"
            optional
            error={e.api_key}
            hint={
              mode === 'edit' && hasKey
                ? `Leave blank to keep the current key (••••${keyHint}); enter a new one to rotate it.`
                : 'Encrypted at rest; only its last 4 characters are shown afterwards.'
            }
          >
            {(aria) => (
              <Input
                {...aria}
                name="api_key"
                type="password"
                autoComplete="new-password"
                spellCheck={false}
                placeholder={mode === 'edit' && hasKey ? 'Leave blank to keep the current key' : 'sk-…'}
                className="font-mono"
                disabled={removeKey}
              />
            )}
          </Field>

          {mode === 'edit' && hasKey && (
            <label className="flex items-center gap-2 text-sm text-zinc-700">
              <input
                type="checkbox"
                name="remove_api_key"
                checked={removeKey}
                onChange={(event) => setRemoveKey(event.target.checked)}
                className="size-4 rounded border-zinc-300 accent-zinc-900"
              />
              Remove the stored key (the provider needs none)
            </label>
          )}
        </>
      )}
    </FormFields>
  );
}
