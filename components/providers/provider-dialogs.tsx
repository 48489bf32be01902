'use client';

import { Pencil, Plus, Trash2 } from 'lucide-react';
import type { ActionResult } from '../../lib/actions/result';
import { Button } from '../ui/button';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { FormSheet } from '../ui/form-sheet';
import { toastResult } from '../ui/toast-result';
import { ProviderForm, type ProviderFormAction } from './provider-form';
import type { ProviderFormValues } from './provider-form-state';

/** "Add provider" and its slide-over panel. */
export function AddProviderButton({ action }: { action: ProviderFormAction }) {
  return (
    <FormSheet
      trigger={
        <Button variant="primary">
          <Plus aria-hidden="true" />
          Add provider
        </Button>
      }
      title="Add a provider"
      description="The gateway sends calls to “name/model” to it from the next call on."
      focus="name"
    >
      {(close) => <ProviderForm mode="create" action={action} initialValues={{ kind: 'openai' }} onSuccess={close} />}
    </FormSheet>
  );
}

/** A row's "Edit": rename, change the endpoint, rotate or remove the key. */
export function EditProviderButton({
  action,
  initialValues,
  name,
  keyHint,
}: {
  action: ProviderFormAction;
  initialValues: ProviderFormValues;
  name: string;
  keyHint?: string;
}) {
  return (
    <FormSheet
      trigger={
        <Button variant="ghost" size="icon" aria-label={`Edit provider ${name}`} title="Edit">
          <Pencil aria-hidden="true" />
        </Button>
      }
      title={`Edit provider ${name}`}
      description="Changes apply from the next call, on every instance."
      focus="base_url"
    >
      {(close) => <ProviderForm mode="edit" action={action} initialValues={initialValues} keyHint={keyHint} onSuccess={close} />}
    </FormSheet>
  );
}

/** A row's "Delete", with a confirmation saying what happens to calls naming it. */
export function DeleteProviderButton({ action, name, hasEnvFallback }: { action: () => Promise<ActionResult>; name: string; hasEnvFallback: boolean }) {
  return (
    <ConfirmDialog
      trigger={
        <Button variant="ghost" size="icon" aria-label={`Delete provider ${name}`} title="Delete">
          <Trash2 aria-hidden="true" />
        </Button>
      }
      title={`Delete provider ${name}?`}
      description={
        hasEnvFallback
          ? `Calls to “${name}/…” go to the provider configured by environment variables again. Its encrypted key is deleted.`
          : `Calls to “${name}/…” are refused (400) from the next call on. Its encrypted key is deleted; recorded usage is kept.`
      }
      confirmLabel="Delete provider"
      onConfirm={async () => toastResult(await action())}
    />
  );
}
