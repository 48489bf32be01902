'use client';

import { useState, useTransition } from 'react';
import { Ban, UserMinus } from 'lucide-react';
import { toast } from 'sonner';
import type { ActionResult } from '../../lib/actions/result';
import { ROLE_LABELS, ROLES, type Role } from '../../lib/auth/roles';
import { Button } from '../ui/button';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { Select } from '../ui/input';
import { toastResult } from '../ui/toast-result';

/** A user's role as a select: it changes at once and goes back if the server refuses (last admin, bootstrap admin). */
export function RoleSelect({ email, role, action }: { email: string; role: Role; action: (role: string) => Promise<ActionResult> }) {
  const [value, setValue] = useState<Role>(role);
  const [saved, setSaved] = useState<Role>(role);
  const [pending, startTransition] = useTransition();
  // A re-render with a new saved role (another admin, a refresh) wins.
  if (role !== saved) {
    setSaved(role);
    setValue(role);
  }
  return (
    <Select
      aria-label={`Role of ${email}`}
      className="h-8 w-32"
      value={value}
      disabled={pending}
      onChange={(event) => {
        const next = event.target.value as Role;
        setValue(next);
        startTransition(async () => {
          const result = await action(next);
          if (result.ok) toast.success(result.message);
          else {
            setValue(saved);
            toast.error(result.message);
          }
        });
      }}
    >
      {ROLES.map((r) => (
        <option key={r} value={r}>
          {ROLE_LABELS[r]}
        </option>
      ))}
    </Select>
  );
}

export function RemoveUserButton({ email, action }: { email: string; action: () => Promise<ActionResult> }) {
  return (
    <ConfirmDialog
      trigger={
        <Button variant="danger-ghost" size="sm" aria-label={`Remove ${email}`}>
          <UserMinus aria-hidden="true" />
          Remove
        </Button>
      }
      title={`Remove ${email}?`}
      description="Their account is deleted and every session they have ends now: their next page load goes to sign-in. What they changed stays, and the audit log keeps their name. Invite them again to give access back."
      confirmLabel="Remove user"
      onConfirm={async () => toastResult(await action())}
    />
  );
}

export function RevokeInviteButton({ email, action }: { email: string; action: () => Promise<ActionResult> }) {
  return (
    <ConfirmDialog
      trigger={
        <Button variant="danger-ghost" size="sm" aria-label={`Revoke the invite for ${email}`}>
          <Ban aria-hidden="true" />
          Revoke
        </Button>
      }
      title={`Revoke the invite for ${email}?`}
      description="The link stops working at once. You can invite them again later."
      confirmLabel="Revoke invite"
      onConfirm={async () => toastResult(await action())}
    />
  );
}
