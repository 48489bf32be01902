'use client';

import { useState } from 'react';
import { Pencil, Plus } from 'lucide-react';
import { Button } from '../ui/button';
import { Dialog, DialogContent, DialogTrigger } from '../ui/dialog';
import { IdentityForm } from './identity-form';
import type { IdentityFormState, IdentityFormValues } from './identity-form-data';

type FormAction = (state: IdentityFormState, formData: FormData) => Promise<IdentityFormState>;

const focusField = (id: string) => (event: Event) => {
  event.preventDefault();
  document.getElementById(id)?.focus();
};

/** "Create identity" button and its slide-over panel (like orq's Identity Analytics). */
export function CreateIdentityButton({ action, label = 'Create identity' }: { action: FormAction; label?: string }) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="primary">
          <Plus aria-hidden="true" />
          {label}
        </Button>
      </DialogTrigger>
      <DialogContent
        variant="sheet"
        title="Create an identity"
        description="A user, team, project or client whose LLM usage and spend you track."
        onOpenAutoFocus={focusField('external_id')}
      >
        <IdentityForm
          mode="create"
          action={action}
          initialValues={{ budget_period: 'monthly' }}
          onSuccess={() => setOpen(false)}
        />
      </DialogContent>
    </Dialog>
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
  const [open, setOpen] = useState(false);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="secondary">
          <Pencil aria-hidden="true" />
          {label}
        </Button>
      </DialogTrigger>
      <DialogContent variant="sheet" title="Edit identity" description={`External ID: ${initialValues.external_id}`} onOpenAutoFocus={focusField(focus)}>
        <IdentityForm mode="edit" action={action} initialValues={initialValues} onSuccess={() => setOpen(false)} />
      </DialogContent>
    </Dialog>
  );
}
