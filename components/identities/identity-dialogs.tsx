'use client';

import type { ReactNode } from 'react';
import { Pencil, Plus } from 'lucide-react';
import { Button } from '../ui/button';
import { FormSheet } from '../ui/form-sheet';
import { IdentityForm } from './identity-form';
import type { IdentityFormState, IdentityFormValues } from './identity-form-state';

type FormAction = (state: IdentityFormState, formData: FormData) => Promise<IdentityFormState>;

/** A button that opens the identity form in a slide-over panel, closed again when the form succeeds. */
function IdentitySheet({
  trigger,
  title,
  description,
  focus,
  mode,
  action,
  initialValues,
}: {
  trigger: ReactNode;
  title: string;
  description: string;
  focus: string;
  mode: 'create' | 'edit';
  action: FormAction;
  initialValues: IdentityFormValues;
}) {
  return (
    <FormSheet trigger={trigger} title={title} description={description} focus={focus}>
      {(close) => <IdentityForm mode={mode} action={action} initialValues={initialValues} onSuccess={close} />}
    </FormSheet>
  );
}

/** "Create identity" button and its slide-over panel (like orq's Identity Analytics). */
export function CreateIdentityButton({ action, label = 'Create identity' }: { action: FormAction; label?: string }) {
  return (
    <IdentitySheet
      trigger={
        <Button variant="primary">
          <Plus aria-hidden="true" />
          {label}
        </Button>
      }
      title="Create an identity"
      description="A user, team, project or client whose LLM usage and spend you track."
      focus="external_id"
      mode="create"
      action={action}
      initialValues={{ budget_period: 'monthly' }}
    />
  );
}

/** "Edit" button on the detail page: identity fields and the budget in one panel. */
export function EditIdentityButton({
  action,
  initialValues,
  label = 'Edit',
  focus = 'display_name',
}: {
  action: FormAction;
  initialValues: IdentityFormValues;
  label?: string;
  /** Field focused when the panel opens (e.g. the budget amount from "Set a budget"). */
  focus?: string;
}) {
  return (
    <IdentitySheet
      trigger={
        <Button variant="secondary">
          <Pencil aria-hidden="true" />
          {label}
        </Button>
      }
      title="Edit identity"
      description={`External ID: ${initialValues.external_id}`}
      focus={focus}
      mode="edit"
      action={action}
      initialValues={initialValues}
    />
  );
}
