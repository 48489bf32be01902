'use server';

import { revalidatePath } from 'next/cache';
import { authorize, refusedForm } from '@/lib/actions/authorize';
import { actionError, fieldSentence, FIX_BELOW, formText, runAction, type ActionResult } from '@/lib/actions/result';
import { db } from '@/lib/db';
import { ROLE_LABELS } from '@/lib/auth/roles';
import { createInvite, revokeInvite } from '@/lib/users/invites';
import { changeUserRole, environmentAdminEmail, removeUser } from '@/lib/users/roles';
import { changeRoleSchema, createInviteSchema } from '@/lib/users/schema';
import type { InviteFormState } from '@/components/users/invite-form-state';

const LABELS = { email: 'Email', role: 'Role' } as const;

// Invite: a one-time link for the email and role, shown once to the admin (only its hash is stored).
export async function createInviteAction(_prev: InviteFormState, formData: FormData): Promise<InviteFormState> {
  const session = await authorize('admin');
  const values = { email: formText(formData, 'email'), role: formText(formData, 'role') };
  if (!session.ok) return refusedForm(session, values);
  const fail = (fieldErrors: InviteFormState['fieldErrors'], message = FIX_BELOW): InviteFormState => ({
    status: 'error',
    message,
    fieldErrors,
    values,
    submittedAt: Date.now(),
  });
  const parsed = createInviteSchema.safeParse(values);
  if (!parsed.success) {
    const fieldErrors: InviteFormState['fieldErrors'] = {};
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] as keyof typeof LABELS;
      fieldErrors[field] ??= fieldSentence(LABELS[field], issue.message);
    }
    return fail(fieldErrors);
  }
  try {
    const { invite, token } = await createInvite(db, session.workspaceId, parsed.data, session.actor, new Date());
    revalidatePath('/users');
    return { status: 'success', path: `/invite/${token}`, email: invite.email, role: invite.role, fieldErrors: {}, values: {}, submittedAt: Date.now() };
  } catch (err) {
    const apiError = actionError(err, 'invite');
    if (apiError.details[0]?.field === 'email') return fail({ email: `${parsed.data.email} already has an account.` });
    return fail({}, apiError.message);
  }
}

// Change role: admin, member or viewer; applies to the user's next request.
export async function changeUserRoleAction(userId: string, role: string): Promise<ActionResult> {
  const session = await authorize('admin');
  if (!session.ok) return session;
  return runAction('role change', async () => {
    const parsed = changeRoleSchema.parse({ role });
    const user = await changeUserRole(db, { workspaceId: session.workspaceId, userId, role: parsed.role, actor: session.actor, now: new Date(), environmentAdmin: environmentAdminEmail() });
    revalidatePath('/users');
    return `${user.email} is now ${ROLE_LABELS[parsed.role].toLowerCase()}`;
  });
}

// Remove user: the account and its sessions go; their next request goes to sign-in.
export async function removeUserAction(userId: string): Promise<ActionResult> {
  const session = await authorize('admin');
  if (!session.ok) return session;
  return runAction('user removal', async () => {
    const user = await removeUser(db, { workspaceId: session.workspaceId, userId, actor: session.actor, now: new Date(), environmentAdmin: environmentAdminEmail() });
    revalidatePath('/users');
    return `Removed ${user.email}`;
  });
}

// Revoke invite: the link stops working at once.
export async function revokeInviteAction(inviteId: string): Promise<ActionResult> {
  const session = await authorize('admin');
  if (!session.ok) return session;
  return runAction('invite revoke', async () => {
    const invite = await revokeInvite(db, session.workspaceId, inviteId, session.actor, new Date());
    revalidatePath('/users');
    return `Revoked the invite for ${invite.email}`;
  });
}
