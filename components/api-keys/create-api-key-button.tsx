'use client';

import { KeyRound, Plus } from 'lucide-react';
import { ShownOnce } from '../ui/shown-once';
import { CreateRevealDialog } from '../ui/create-reveal-dialog';
import { Field } from '../ui/field';
import { Input } from '../ui/input';
import type { ApiKeyFormState } from './api-key-form-state';
import { API_KEY_SCOPES, API_KEY_SCOPE_LABELS } from '../../lib/api-keys/scope';
import { cn } from '../ui/cn';

const SCOPE_HINTS = {
  read_write: 'Everything: gateway calls, usage ingestion, creating and changing identities and budgets.',
  read_only: 'Reads and budget checks only (dashboards, reports); every change or call is refused with 403.',
} as const;

type Action = (state: ApiKeyFormState, formData: FormData) => Promise<ApiKeyFormState>;

const INITIAL: ApiKeyFormState = { status: 'idle', fieldErrors: {}, values: {}, submittedAt: 0 };

/** "Create API key" dialog: name → secret shown once with a copy button. */
export function CreateApiKeyButton({ action }: { action: Action }) {
  return (
    <CreateRevealDialog
      trigger={{ label: 'Create API key', icon: Plus }}
      title="Create an API key"
      description="Keys authenticate calls to the /v2 API (usage ingestion, identities, budgets)."
      action={action}
      initial={INITIAL}
      fields={(state) => (
        <>
          <Field id="api-key-name" label="Name" error={state.fieldErrors.name} hint="Where the key is used, so you know what breaks if you revoke it.">
            {(aria) => <Input {...aria} name="name" defaultValue={state.values.name} placeholder="Production backend" autoComplete="off" autoFocus maxLength={100} />}
          </Field>
          <fieldset className="space-y-2" aria-describedby={state.fieldErrors.scope ? 'api-key-scope-error' : undefined}>
            <legend className="mb-1.5 text-sm font-medium text-zinc-800">Access</legend>
            {API_KEY_SCOPES.map((scope) => (
              <label
                key={scope}
                className={cn(
                  'flex cursor-pointer items-start gap-3 rounded-lg px-3 py-2.5 ring-1 ring-zinc-200 ring-inset',
                  'has-checked:bg-brand-50/60 has-checked:ring-brand-500 has-focus-visible:outline-2 has-focus-visible:outline-brand-500',
                )}
              >
                <input type="radio" name="scope" value={scope} defaultChecked={(state.values.scope || 'read_write') === scope} className="mt-0.5 accent-brand-600" />
                <span>
                  <span className="block text-sm font-medium text-zinc-900">{API_KEY_SCOPE_LABELS[scope]}</span>
                  <span className="block text-xs text-zinc-500">{SCOPE_HINTS[scope]}</span>
                </span>
              </label>
            ))}
            {state.fieldErrors.scope && (
              <p id="api-key-scope-error" className="text-sm text-red-700" data-field-error>
                {state.fieldErrors.scope}
              </p>
            )}
          </fieldset>
        </>
      )}
      submit={{ label: 'Create key', icon: KeyRound }}
      success={(state) => `Created API key “${state.name}”`}
      reveal={({ secret, name, scope }) =>
        secret
          ? {
              title: 'Copy your new API key',
              description: `“${name}” (${scope === 'read_only' ? 'read-only' : 'read & write'}) is ready. Use it as a Bearer token.`,
              body: (
                <>
                  <ShownOnce
                    id="new-api-key"
                    label="API key"
                    value={secret}
                    warning="This is the only time the key is shown. Store it somewhere safe; if it is lost, create a new one and revoke this one."
                  />
                  <pre className="overflow-x-auto rounded-lg bg-zinc-900 px-3 py-2.5 font-mono text-xs text-zinc-100">
                    {`curl -H "Authorization: Bearer ${secret.slice(0, 10)}…" \\\n  ${typeof window === 'undefined' ? '' : window.location.origin}/v2/identities`}
                  </pre>
                </>
              ),
            }
          : undefined
      }
    />
  );
}
