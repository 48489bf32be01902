'use client';

import { useId, useState } from 'react';
import { Plus, X } from 'lucide-react';
import { promptVariables } from '../../lib/deployments/template';
import { ActionForm, FormFields } from '../ui/action-form';
import { Button } from '../ui/button';
import { Field } from '../ui/field';
import { Input, Select, Textarea } from '../ui/input';
import {
  readFallbackIds,
  readPromptRows,
  ROLE_LABELS,
  type DeploymentFormState,
  type DeploymentFormValues,
  type PromptRow,
} from './deployment-form-state';

export type DeploymentFormAction = (state: DeploymentFormState, formData: FormData) => Promise<DeploymentFormState>;

type DeploymentFormProps = {
  mode: 'create' | 'edit';
  action: DeploymentFormAction;
  initialValues: DeploymentFormValues;
  /** Router prefixes the model fields suggest ("openai/", …). */
  providerNames: string[];
  /** Called once per successful submission (e.g. to close the panel). */
  onSuccess?: () => void;
};

/** Create / edit a deployment: the server action validates with the API's zod schemas; errors show inline, typed values stay. */
export function DeploymentForm({ mode, action, initialValues, providerNames, onSuccess }: DeploymentFormProps) {
  return (
    <ActionForm action={action} initialValues={initialValues} submitLabel={mode === 'create' ? 'Create deployment' : 'Save changes'} onSuccess={onSuccess}>
      {(state) => <DeploymentFields mode={mode} state={state} providerNames={providerNames} />}
    </ActionForm>
  );
}

function DeploymentFields({ mode, state, providerNames }: { mode: 'create' | 'edit'; state: DeploymentFormState; providerNames: string[] }) {
  const v = state.values;
  const listId = useId();
  const modelListId = `${listId}-models`;

  return (
    <FormFields state={state}>
      {(e) => (
        <>
          <datalist id={modelListId}>
            {providerNames.map((name) => (
              <option key={name} value={`${name}/`} />
            ))}
          </datalist>

          {mode === 'create' ? (
            <Field id="key" label="Key" error={e.key} hint="What callers pass as key to invoke it: letters, digits, “_”, “.” and “-”.">
              {(aria) => <Input {...aria} name="key" defaultValue={v.key} autoComplete="off" spellCheck={false} placeholder="customer-support" className="font-mono" />}
            </Field>
          ) : (
            <input type="hidden" name="key" value={v.key ?? ''} />
          )}

          <Field id="model" label="Model" error={e.model} hint="provider/model, as the router names it.">
            {(aria) => (
              <Input {...aria} name="model" list={modelListId} defaultValue={v.model} autoComplete="off" spellCheck={false} placeholder="openai/gpt-4o" className="font-mono" />
            )}
          </Field>

          <Field id="description" label="Description" optional error={e.description}>
            {(aria) => <Textarea {...aria} name="description" defaultValue={v.description} rows={2} className="min-h-0 font-sans" placeholder="What the deployment is for" />}
          </Field>

          <PromptEditor initial={v.messages} error={e.messages} />

          <fieldset className="space-y-3">
            <legend className="mb-3 text-sm font-semibold text-zinc-900">Parameters</legend>
            <div className="grid grid-cols-3 gap-3">
              <Field id="temperature" label="Temperature" error={e.temperature}>
                {(aria) => <Input {...aria} name="temperature" inputMode="decimal" defaultValue={v.temperature} placeholder="1" className="tabular-nums" autoComplete="off" />}
              </Field>
              <Field id="max_tokens" label="Max tokens" error={e.max_tokens}>
                {(aria) => <Input {...aria} name="max_tokens" inputMode="numeric" defaultValue={v.max_tokens} placeholder="1,024" className="tabular-nums" autoComplete="off" />}
              </Field>
              <Field id="top_p" label="Top P" error={e.top_p}>
                {(aria) => <Input {...aria} name="top_p" inputMode="decimal" defaultValue={v.top_p} placeholder="1" className="tabular-nums" autoComplete="off" />}
              </Field>
            </div>
            <p className="text-xs text-zinc-500">Empty: the provider&apos;s default. Calls can override them with extra_params.</p>
          </fieldset>

          <FallbacksEditor initial={v.fallbacks} error={e.fallbacks} listId={modelListId} />
        </>
      )}
    </FormFields>
  );
}

type KeyedRow<T> = T & { id: number };

/** A list editor's rows with stable keys, so removing one keeps the others' focus and text. */
function useRows<T>(initial: T[], blank: T) {
  const [rows, setRows] = useState<KeyedRow<T>[]>(() => initial.map((row, id) => ({ ...row, id })));
  const [nextId, setNextId] = useState(initial.length);
  return {
    rows,
    add: () => {
      setRows([...rows, { ...blank, id: nextId }]);
      setNextId(nextId + 1);
    },
    remove: (id: number) => setRows(rows.filter((row) => row.id !== id)),
    change: (id: number, patch: Partial<T>) => setRows(rows.map((row) => (row.id === id ? { ...row, ...patch } : row))),
  };
}

/** Prompt messages: a role and a text each, in order; {{variables}} are filled from the call's inputs. */
function PromptEditor({ initial, error }: { initial: string | undefined; error?: string }) {
  const { rows, add, remove, change } = useRows<PromptRow>(readPromptRows(initial), { role: 'user', content: '' });
  const value = JSON.stringify(rows.map(({ role, content }) => ({ role, content })));
  const variables = promptVariables(rows);

  return (
    <fieldset className="space-y-3" aria-describedby={error ? 'messages-error' : 'messages-hint'}>
      <legend className="mb-1 text-sm font-semibold text-zinc-900">Prompt</legend>
      <input type="hidden" name="messages" value={value} />
      {rows.length === 0 && <p className="text-sm text-zinc-500">No prompt: calls send their own messages.</p>}
      <ol className="space-y-3">
        {rows.map((row, i) => (
          <li key={row.id} className="rounded-lg border border-zinc-200 p-3" data-prompt-row={i + 1}>
            <div className="mb-2 flex items-center justify-between gap-2">
              <label htmlFor={`message-${row.id}-role`} className="sr-only">
                Role of message {i + 1}
              </label>
              <div className="w-36">
                <Select id={`message-${row.id}-role`} value={row.role} onChange={(event) => change(row.id, { role: event.target.value as PromptRow['role'] })} className="h-8">
                  {Object.entries(ROLE_LABELS).map(([role, label]) => (
                    <option key={role} value={role}>
                      {label}
                    </option>
                  ))}
                </Select>
              </div>
              <Button variant="ghost" size="icon" aria-label={`Remove message ${i + 1}`} title="Remove" onClick={() => remove(row.id)}>
                <X aria-hidden="true" />
              </Button>
            </div>
            <label htmlFor={`message-${row.id}-content`} className="sr-only">
              Content of message {i + 1}
            </label>
            <Textarea
              id={`message-${row.id}-content`}
              value={row.content}
              onChange={(event) => change(row.id, { content: event.target.value })}
              rows={row.role === 'system' ? 4 : 2}
              placeholder={row.role === 'system' ? 'You are a helpful assistant for {{company}}.' : '{{question}}'}
              aria-invalid={error && i === 0 ? true : undefined}
            />
          </li>
        ))}
      </ol>
      <Button variant="secondary" size="sm" onClick={add}>
        <Plus aria-hidden="true" />
        Add message
      </Button>
      {error ? (
        <p id="messages-error" className="text-sm text-red-700" data-field-error>
          {error}
        </p>
      ) : (
        <p id="messages-hint" className="text-xs text-zinc-500">
          {variables.length > 0 ? (
            <>
              Variables: {variables.map((name) => <code key={name} className="mr-1 rounded bg-zinc-100 px-1 font-mono">{name}</code>)}— filled from the call&apos;s inputs.
            </>
          ) : (
            <>
              Write <code className="rounded bg-zinc-100 px-1 font-mono">{'{{name}}'}</code> for a value the call passes in inputs. Calls&apos; own messages follow the prompt.
            </>
          )}
        </p>
      )}
    </fieldset>
  );
}

/** Fallback models, tried in order when the primary model's provider fails. */
function FallbacksEditor({ initial, error, listId }: { initial: string | undefined; error?: string; listId: string }) {
  const { rows, add, remove, change } = useRows<{ model: string }>(
    readFallbackIds(initial).map((model) => ({ model })),
    { model: '' },
  );
  const value = JSON.stringify(rows.map((row) => row.model));

  return (
    <fieldset className="space-y-3" aria-describedby={error ? 'fallbacks-error' : 'fallbacks-hint'}>
      <legend className="mb-1 text-sm font-semibold text-zinc-900">Fallbacks</legend>
      <input type="hidden" name="fallbacks" value={value} />
      {rows.length > 0 && (
        <ol className="space-y-2">
          {rows.map((row, i) => (
            <li key={row.id} className="flex items-center gap-2" data-fallback-row={i + 1}>
              <span className="w-5 shrink-0 text-right text-xs text-zinc-500 tabular-nums" aria-hidden="true">
                {i + 1}.
              </span>
              <label htmlFor={`fallback-${row.id}`} className="sr-only">
                Fallback model {i + 1}
              </label>
              <Input
                id={`fallback-${row.id}`}
                list={listId}
                value={row.model}
                onChange={(event) => change(row.id, { model: event.target.value })}
                autoComplete="off"
                spellCheck={false}
                placeholder="anthropic/claude-3-5-haiku-latest"
                className="font-mono"
                aria-invalid={error && i === 0 ? true : undefined}
              />
              <Button variant="ghost" size="icon" aria-label={`Remove fallback ${i + 1}`} title="Remove" onClick={() => remove(row.id)}>
                <X aria-hidden="true" />
              </Button>
            </li>
          ))}
        </ol>
      )}
      <Button variant="secondary" size="sm" onClick={add}>
        <Plus aria-hidden="true" />
        Add fallback
      </Button>
      {error ? (
        <p id="fallbacks-error" className="text-sm text-red-700" data-field-error>
          {error}
        </p>
      ) : (
        <p id="fallbacks-hint" className="text-xs text-zinc-500">
          Tried in order, as provider/model, when the primary model&apos;s provider fails.
        </p>
      )}
    </fieldset>
  );
}
