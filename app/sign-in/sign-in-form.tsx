'use client';

import { useActionState } from 'react';
import { LogIn } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { Field, FormMessage } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { signInAction, type SignInState } from './actions';

const initialState: SignInState = { fieldErrors: {}, values: { email: '' } };

export function SignInForm({ next }: { next?: string }) {
  const [state, formAction, pending] = useActionState(signInAction, initialState);
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <FormMessage>{state.error}</FormMessage>
      {next && <input type="hidden" name="next" value={next} />}
      <Field id="email" label="Email" error={state.fieldErrors.email}>
        {(aria) => (
          <Input
            {...aria}
            name="email"
            type="email"
            autoComplete="username"
            required
            autoFocus
            defaultValue={state.values.email}
          />
        )}
      </Field>
      <Field id="password" label="Password" error={state.fieldErrors.password}>
        {(aria) => <Input {...aria} name="password" type="password" autoComplete="current-password" required />}
      </Field>
      <Button type="submit" variant="primary" className="w-full" pending={pending}>
        {!pending && <LogIn aria-hidden="true" />}
        Sign in
      </Button>
    </form>
  );
}
