'use client';

import { UserRound } from 'lucide-react';
import type { FormState } from '../../lib/actions/result';
import { ActionForm } from '../ui/action-form';
import { Button } from '../ui/button';
import { Field, FormMessage } from '../ui/field';
import { FormSheet } from '../ui/form-sheet';
import { Input } from '../ui/input';

export type KeyOwnerFormState = FormState<'owner'>;
export type KeyOwnerAction = (state: KeyOwnerFormState, formData: FormData) => Promise<KeyOwnerFormState>;

/** A row's "Owner": the identity that calls made with the key are attributed to when they name none. */
export function KeyOwnerButton({ action, name, owner }: { action: KeyOwnerAction; name: string; owner: string | null }) {
  return (
    <FormSheet
      trigger={
        <Button variant="ghost" size="sm" aria-label={`Set the owner identity of ${name}`}>
          <UserRound aria-hidden="true" />
          Owner
        </Button>
      }
      title={`Owner identity of “${name}”`}
      description="Calls made with this key that name no identity (no identity in the body, no X-ORQ-IDENTITY-ID header) are attributed to this identity, and its budgets apply to them."
      focus="owner"
    >
      {(close) => (
        <ActionForm action={action} initialValues={{ owner: owner ?? '' }} submitLabel="Save owner" onSuccess={close}>
          {(state) => (
            <div className="space-y-4 p-5">
              <FormMessage>{state.message}</FormMessage>
              <Field id="owner" label="Identity" error={state.fieldErrors.owner} hint="An external id (e.g. user_123) or an identity id. Leave empty for no owner." optional>
                {(aria) => <Input {...aria} name="owner" defaultValue={state.values.owner ?? ''} placeholder="user_123" autoComplete="off" />}
              </Field>
            </div>
          )}
        </ActionForm>
      )}
    </FormSheet>
  );
}
