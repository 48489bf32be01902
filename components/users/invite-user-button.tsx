'use client';

import { Send, UserPlus } from 'lucide-react';
import { ROLE_DESCRIPTIONS, ROLE_LABELS, ROLES } from '../../lib/auth/roles';
import { ShownOnce } from '../ui/shown-once';
import { CreateRevealDialog } from '../ui/create-reveal-dialog';
import { Field } from '../ui/field';
import { Input, Select } from '../ui/input';
import type { InviteFormState } from './invite-form-state';

type Action = (state: InviteFormState, formData: FormData) => Promise<InviteFormState>;

const INITIAL: InviteFormState = { status: 'idle', fieldErrors: {}, values: { role: 'member' }, submittedAt: 0 };

/** "Invite user" dialog: email and role → the one-time link, shown once with a copy button. */
export function InviteUserButton({ action }: { action: Action }) {
  return (
    <CreateRevealDialog
      trigger={{ label: 'Invite user', icon: UserPlus }}
      title="Invite a user"
      description="They get a one-time link to choose their password. No email is sent: you pass the link on."
      action={action}
      initial={INITIAL}
      // Field errors speak for themselves: no "fix the highlighted fields" banner above them.
      message={(state) => (state.status === 'error' && Object.keys(state.fieldErrors).length === 0 ? state.message : undefined)}
      fields={(state) => (
        <>
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
        </>
      )}
      submit={{ label: 'Create invite link', icon: Send }}
      success={(state) => `Invited ${state.email}`}
      reveal={({ path, email, role }) => {
        if (!path) return undefined;
        const known = ROLES.find((r) => r === role);
        return {
          title: 'Send this invite link',
          description: `${email} joins as ${known ? ROLE_LABELS[known].toLowerCase() : role} by opening it and choosing a password.`,
          body: (
            <ShownOnce
              id="invite-link"
              label="Invite link"
              value={`${window.location.origin}${path}`}
              copyLabel="Copy link"
              warning={`This is the only time the link is shown. Send it to ${email} yourself (chat, email); it works once and expires in 7 days.`}
            />
          ),
        };
      }}
    />
  );
}
