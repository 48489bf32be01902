'use client';

import { Pencil, Plus, Trash2 } from 'lucide-react';
import type { ActionResult } from '../../lib/actions/result';
import { Button, type ButtonSize, type ButtonVariant } from '../ui/button';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { FormSheet } from '../ui/form-sheet';
import { toastResult } from '../ui/toast-result';
import { PriceForm, type PriceFormAction } from './price-form';
import type { PriceFormValues } from './price-form-state';

/** "Add price" and its slide-over panel; prefilled from an unpriced model when opened from the banner. */
export function AddPriceButton({
  action,
  initialValues = {},
  label = 'Add price',
  variant = 'primary',
  size = 'md',
}: {
  action: PriceFormAction;
  initialValues?: PriceFormValues;
  label?: string;
  variant?: ButtonVariant;
  size?: ButtonSize;
}) {
  const prefilled = Boolean(initialValues.model);
  return (
    <FormSheet
      trigger={
        <Button variant={variant} size={size}>
          <Plus aria-hidden="true" />
          {label}
        </Button>
      }
      title="Add a price"
      description="Calls to this model are priced with it from the next call on, instead of the bundled price table."
      focus={prefilled ? 'input_per_million' : 'provider'}
    >
      {(close) => <PriceForm mode="create" action={action} initialValues={initialValues} onSuccess={close} />}
    </FormSheet>
  );
}

/** A row's "Edit": the four rates and the default max output tokens; provider and model are fixed. */
export function EditPriceButton({ action, initialValues, name }: { action: PriceFormAction; initialValues: PriceFormValues; name: string }) {
  return (
    <FormSheet
      trigger={
        <Button variant="ghost" size="icon" aria-label={`Edit the price of ${name}`} title="Edit">
          <Pencil aria-hidden="true" />
        </Button>
      }
      title={`Edit the price of ${name}`}
      description="Recorded events keep the price they were charged."
      focus="input_per_million"
    >
      {(close) => <PriceForm mode="edit" action={action} initialValues={initialValues} onSuccess={close} />}
    </FormSheet>
  );
}

/** A row's "Delete", with a confirmation saying what prices the model afterwards. */
export function DeletePriceButton({ action, name }: { action: () => Promise<ActionResult>; name: string }) {
  return (
    <ConfirmDialog
      trigger={
        <Button variant="ghost" size="icon" aria-label={`Delete the price of ${name}`} title="Delete">
          <Trash2 aria-hidden="true" />
        </Button>
      }
      title={`Delete the price of ${name}?`}
      description="From the next call on, the model is priced from the bundled table, or recorded as unpriced if it is not there. Recorded events keep their cost."
      confirmLabel="Delete price"
      onConfirm={async () => toastResult(await action())}
    />
  );
}
