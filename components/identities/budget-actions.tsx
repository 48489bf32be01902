'use client';

import { RotateCcw, Trash2 } from 'lucide-react';
import { toast } from 'sonner';
import { Button } from '../ui/button';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { toastResult } from '../ui/toast-result';

type Result = { ok: boolean; message: string };

/** Reset with a confirmation; the page re-renders from the action, so the gauge shows 0 at once. */
export function ResetBudgetButton({ action, periodLabel }: { action: () => Promise<Result>; periodLabel: string }) {
  return (
    <ConfirmDialog
      trigger={
        <Button variant="secondary" size="sm">
          <RotateCcw aria-hidden="true" />
          Reset
        </Button>
      }
      title="Reset budget consumption?"
      description={
        <>
          Consumption in the current {periodLabel.toLowerCase()} window starts again from $0.00, so requests blocked by this
          budget are allowed again. Usage history and analytics are kept.
        </>
      }
      confirmLabel="Reset budget"
      confirmVariant="primary"
      onConfirm={async () => toastResult(await action())}
    />
  );
}

/** Delete with a confirmation naming what goes with it; the action redirects to the list. */
export function DeleteIdentityButton({ action, name }: { action: () => Promise<Result>; name: string }) {
  return (
    <ConfirmDialog
      trigger={
        <Button variant="danger-ghost">
          <Trash2 aria-hidden="true" />
          Delete
        </Button>
      }
      title={`Delete “${name}”?`}
      description={
        <>
          The identity, its budget and all of its usage events are deleted. This cannot be undone. Usage sent later with
          the same external ID creates a new identity.
        </>
      }
      confirmLabel="Delete identity"
      onConfirm={async () => {
        const result = await action();
        if (!result.ok) toast.error(result.message);
        return result.ok;
      }}
    />
  );
}
