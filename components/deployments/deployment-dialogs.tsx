'use client';

import { Pencil, Plus, Trash2 } from 'lucide-react';
import type { ActionResult } from '../../lib/actions/result';
import { Button } from '../ui/button';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { FormSheet } from '../ui/form-sheet';
import { toastResult } from '../ui/toast-result';
import { DeploymentForm, type DeploymentFormAction } from './deployment-form';
import type { DeploymentFormValues } from './deployment-form-state';

// A new deployment starts with an empty system message to write.
const NEW_DEPLOYMENT: DeploymentFormValues = { messages: JSON.stringify([{ role: 'system', content: '' }]), fallbacks: '[]' };

/** "Create deployment" and its slide-over panel, closed again when the deployment is created. */
export function CreateDeploymentButton({ action, providerNames }: { action: DeploymentFormAction; providerNames: string[] }) {
  return (
    <FormSheet
      trigger={
        <Button variant="primary">
          <Plus aria-hidden="true" />
          Create deployment
        </Button>
      }
      title="Create a deployment"
      description="A named model call with its prompt, parameters and fallbacks. Callers invoke it by key."
      focus="key"
    >
      {(close) => <DeploymentForm mode="create" action={action} initialValues={NEW_DEPLOYMENT} providerNames={providerNames} onSuccess={close} />}
    </FormSheet>
  );
}

/** "Edit" (a row's icon or the detail page's button): everything but the key, which callers depend on. */
export function EditDeploymentButton({
  action,
  initialValues,
  providerNames,
  variant = 'icon',
}: {
  action: DeploymentFormAction;
  initialValues: DeploymentFormValues;
  providerNames: string[];
  variant?: 'icon' | 'button';
}) {
  const key = initialValues.key ?? '';
  return (
    <FormSheet
      trigger={
        variant === 'icon' ? (
          <Button variant="ghost" size="icon" aria-label={`Edit deployment ${key}`} title="Edit">
            <Pencil aria-hidden="true" />
          </Button>
        ) : (
          <Button variant="secondary">
            <Pencil aria-hidden="true" />
            Edit
          </Button>
        )
      }
      title={`Edit deployment ${key}`}
      description="Calls use the new configuration from the next one on; the version goes up."
      focus="model"
    >
      {(close) => <DeploymentForm mode="edit" action={action} initialValues={initialValues} providerNames={providerNames} onSuccess={close} />}
    </FormSheet>
  );
}

/** "Delete", with a confirmation saying what happens to callers and to recorded usage. */
export function DeleteDeploymentButton({ action, deploymentKey, variant = 'icon' }: { action: () => Promise<ActionResult>; deploymentKey: string; variant?: 'icon' | 'button' }) {
  return (
    <ConfirmDialog
      trigger={
        variant === 'icon' ? (
          <Button variant="ghost" size="icon" aria-label={`Delete deployment ${deploymentKey}`} title="Delete">
            <Trash2 aria-hidden="true" />
          </Button>
        ) : (
          <Button variant="danger-ghost">
            <Trash2 aria-hidden="true" />
            Delete
          </Button>
        )
      }
      title={`Delete deployment ${deploymentKey}?`}
      description={
        <>
          Calls with key <code className="rounded bg-zinc-100 px-1 font-mono text-xs">{deploymentKey}</code> are answered with 404 from
          now on. Recorded usage keeps its cost and still counts toward budgets.
        </>
      }
      confirmLabel="Delete deployment"
      onConfirm={async () => toastResult(await action())}
    />
  );
}
