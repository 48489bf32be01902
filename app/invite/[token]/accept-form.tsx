'use client';

import { useActionState } from 'react';
import { LogIn } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { Field, FormMessage } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { MIN_PASSWORD_LENGTH } from '@/lib/users/schema';
import type { AcceptInviteState } from './actions';

const initialState: AcceptInviteState = { fieldErrors: {}, values: { name: '' } };

type Action = (state: AcceptInviteState, formData: FormData) => Promise<AcceptInviteState>;

/** Name and password (typed twice) for the account the invite creates. */
export function AcceptInviteForm({ email, action }: { email: string; action: Action }) {
  const [state, formAction, pending] = useActionState(action, initialState);
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <FormMessage>{state.error}</FormMessage>
      {/* For password managers: the account this password belongs to. */}
      <input type="hidden" name="username" value={email} autoComplete="username" />
      <Field id="name" label="Your name" error={state.fieldErrors.name}>
        {(aria) => <Input {...aria} name="name" autoComplete="name" required autoFocus maxLength={100} defaultValue={state.values.name} />}
      </Field>
      <Field id="password" label="Password" error={state.fieldErrors.password} hint={`At least ${MIN_PASSWORD_LENGTH} characters.`}>
        {(aria) => <Input {...aria} name="password" type="password" autoComplete="new-password" required minLength={MIN_PASSWORD_LENGTH} />}
      </Field>
      <Field id="confirm" label="Confirm password" error={state.fieldErrors.confirm}>
        {(aria) => <Input {...aria} name="confirm" type="password" autoComplete="new-password" required />}
      </Field>
      <Button type="submit" variant="primary" className="w-full" pending={pending}>
        {!pending && <LogIn aria-hidden="true" />}
        Join and sign in
      </Button>
    </form>
  );
}
