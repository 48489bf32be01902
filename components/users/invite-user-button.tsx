'use client';

import { useActionState, useEffect, useState } from 'react';
import { Send, UserPlus } from 'lucide-react';
import { toast } from 'sonner';
import { ROLE_DESCRIPTIONS, ROLE_LABELS, ROLES } from '../../lib/auth/roles';
import { Button } from '../ui/button';
import { ShownOnce } from '../ui/shown-once';
import { Dialog, DialogCancel, DialogClose, DialogContent, DialogFooter, DialogTrigger } from '../ui/dialog';
import { Field, FormMessage } from '../ui/field';
import { Input, Select } from '../ui/input';
import type { InviteFormState } from './invite-form-state';

type Action = (state: InviteFormState, formData: FormData) => Promise<InviteFormState>;

/** "Invite user" dialog: email and role → the one-time link, shown once with a copy button. */
export function InviteUserButton({ action }: { action: Action }) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="primary">
          <UserPlus aria-hidden="true" />
          Invite user
        </Button>
      </DialogTrigger>
      {open && <InviteDialog action={action} />}
    </Dialog>
  );
}

function InviteDialog({ action }: { action: Action }) {
  const initial: InviteFormState = { status: 'idle', fieldErrors: {}, values: { role: 'member' }, submittedAt: 0 };
  const [state, formAction, pending] = useActionState(action, initial);

  useEffect(() => {
    if (state.status === 'success') {
      toast.success(`Invited ${state.email}`);
    }
  }, [state]);

  if (state.status === 'success' && state.path) {
    const link = `${window.location.origin}${state.path}`;
    const role = ROLES.find((r) => r === state.role);
    return (
      <DialogContent title="Send this invite link" description={`${state.email} joins as ${role ? ROLE_LABELS[role].toLowerCase() : state.role} by opening it and choosing a password.`}>
        <div className="space-y-4 px-5 py-5">
          <ShownOnce
            id="invite-link"
            label="Invite link"
            value={link}
            copyLabel="Copy link"
            warning={`This is the only time the link is shown. Send it to ${state.email} yourself (chat, email); it works once and expires in 7 days.`}
          />
        </div>
        <DialogFooter>
          <DialogClose asChild>
            <Button variant="primary">Done</Button>
          </DialogClose>
        </DialogFooter>
      </DialogContent>
    );
  }

  return (
    <DialogContent title="Invite a user" description="They get a one-time link to choose their password. No email is sent: you pass the link on.">
      <form action={formAction} noValidate>
        <div className="space-y-4 px-5 py-5" key={state.submittedAt}>
          <FormMessage>{state.status === 'error' && Object.keys(state.fieldErrors).length === 0 ? state.message : undefined}</FormMessage>
          <Field id="invite-email" label="Email" error={state.fieldErrors.email}>
            {(aria) => <Input {...aria} name="email" type="email" defaultValue={state.values.email} placeholder="dana@example.com" autoComplete="off" autoFocus maxLength={320} />}
          </Field>
          <Field id="invite-role" label="Role" error={state.fieldErrors.role} hint="What they may change. Everyone can read everything.">
            {(aria) => (
              <Select {...aria} name="role" defaultValue={state.values.role || 'member'}>
                {ROLES.map((role) => (
                  <option key={role} value={role}>
                    {ROLE_LABELS[role]} — {ROLE_DESCRIPTIONS[role]}
                  </option>
                ))}
              </Select>
            )}
          </Field>
        </div>
        <DialogFooter>
          <DialogCancel disabled={pending} />
          <Button type="submit" variant="primary" pending={pending}>
            {!pending && <Send aria-hidden="true" />}
            Create invite link
          </Button>
        </DialogFooter>
      </form>
    </DialogContent>
  );
}
