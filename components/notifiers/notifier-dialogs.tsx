'use client';

import { useTransition } from 'react';
import { Pencil, Plus, Send, Trash2, Webhook } from 'lucide-react';
import type { ActionResult } from '../../lib/actions/result';
import { ActionForm, FormFields } from '../ui/action-form';
import { Button } from '../ui/button';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { ShownOnce } from '../ui/shown-once';
import { CreateRevealDialog } from '../ui/create-reveal-dialog';
import { Field } from '../ui/field';
import { FormSheet } from '../ui/form-sheet';
import { Input } from '../ui/input';
import { toastResult } from '../ui/toast-result';
import type { NotifierField, NotifierFormAction, NotifierFormState, NotifierValue } from './notifier-form-state';

function NameAndUrl({ errors, values }: { errors: Partial<Record<NotifierField, string>>; values: Partial<Record<NotifierValue, string>> }) {
  return (
    <>
      <Field id="notifier-name" label="Name" error={errors.name} hint="Who receives it, e.g. “Finance Slack bridge”.">
        {(aria) => <Input {...aria} name="name" defaultValue={values.name} autoComplete="off" maxLength={100} placeholder="Finance alerts" />}
      </Field>
      <Field id="notifier-url" label="Webhook URL" error={errors.url} hint="Budget alerts are POSTed here as JSON, signed per Standard Webhooks.">
        {(aria) => (
          <Input {...aria} name="url" type="url" defaultValue={values.url} autoComplete="off" spellCheck={false} placeholder="https://example.com/hooks/tollbooth" className="font-mono" />
        )}
      </Field>
    </>
  );
}

const INITIAL: NotifierFormState = { status: 'idle', fieldErrors: {}, values: {}, submittedAt: 0 };

/** "Add notifier": name and URL in a panel, then its signing secret, shown once with a copy button. */
export function AddNotifierButton({ action }: { action: NotifierFormAction }) {
  return (
    <CreateRevealDialog
      trigger={{ label: 'Add notifier', icon: Plus }}
      variant="sheet"
      title="Add a notifier"
      description="A webhook endpoint that budget alerts are sent to."
      action={action}
      initial={INITIAL}
      fields={(state) => <NameAndUrl errors={state.fieldErrors} values={state.values} />}
      submit={{ label: 'Add notifier', icon: Webhook }}
      success={(state) => `Added notifier “${state.name}”`}
      reveal={({ secret, name }) =>
        secret
          ? {
              title: 'Copy the signing secret',
              description: `“${name}” is ready. Its receiver verifies each message with this secret.`,
              body: (
                <>
                  <ShownOnce
                    id="new-signing-secret"
                    label="Signing secret"
                    value={secret}
                    warning="This is the only time the secret is shown. If it is lost, delete the notifier and add it again."
                  />
                  <p className="text-sm text-zinc-600">
                    Each request carries <code className="font-mono text-xs">webhook-id</code>, <code className="font-mono text-xs">webhook-timestamp</code> and{' '}
                    <code className="font-mono text-xs">webhook-signature</code>; any Standard Webhooks library verifies them, e.g.{' '}
                    <code className="font-mono text-xs">new Webhook(secret).verify(body, headers)</code>.
                  </p>
                </>
              ),
            }
          : undefined
      }
    />
  );
}

/** A row's "Edit": rename, move the URL, pause or resume. */
export function EditNotifierButton({ action, name, values }: { action: NotifierFormAction; name: string; values: Partial<Record<NotifierValue, string>> }) {
  return (
    <FormSheet
      trigger={
        <Button variant="ghost" size="icon" aria-label={`Edit notifier ${name}`} title="Edit">
          <Pencil aria-hidden="true" />
        </Button>
      }
      title={`Edit notifier ${name}`}
      description="The signing secret stays the same."
      focus="notifier-name"
    >
      {(close) => (
        <ActionForm<NotifierField, NotifierValue> action={action} initialValues={values} submitLabel="Save changes" onSuccess={close}>
          {(state) => (
            <FormFields state={state}>
              {(errors) => (
                <>
                  <NameAndUrl errors={errors} values={state.values} />
                  <label className="flex items-center gap-2 text-sm text-zinc-700">
                    <input type="checkbox" name="is_active" defaultChecked={state.values.is_active === 'on'} className="size-4 rounded border-zinc-300 accent-zinc-900" />
                    Active (an inactive notifier receives nothing)
                  </label>
                </>
              )}
            </FormFields>
          )}
        </ActionForm>
      )}
    </FormSheet>
  );
}

export function DeleteNotifierButton({ action, name }: { action: () => Promise<ActionResult>; name: string }) {
  return (
    <ConfirmDialog
      trigger={
        <Button variant="ghost" size="icon" aria-label={`Delete notifier ${name}`} title="Delete">
          <Trash2 aria-hidden="true" />
        </Button>
      }
      title={`Delete notifier ${name}?`}
      description="Its queued and past deliveries are deleted; budget alerts that name it notify nobody there from now on."
      confirmLabel="Delete notifier"
      onConfirm={async () => toastResult(await action())}
    />
  );
}

/** Queues a signed test message; the deliveries view shows how it went. */
export function SendTestButton({ action, name, disabled }: { action: () => Promise<ActionResult>; name: string; disabled?: boolean }) {
  const [pending, startTransition] = useTransition();
  return (
    <Button
      variant="secondary"
      size="sm"
      pending={pending}
      disabled={disabled}
      aria-label={`Send test to ${name}`}
      onClick={() => startTransition(async () => void toastResult(await action()))}
    >
      {!pending && <Send aria-hidden="true" />}
      Send test
    </Button>
  );
}
