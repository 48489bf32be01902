'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { authorize, refusedForm } from '@/lib/actions/authorize';
import { ApiError } from '@/lib/api/errors';
import { toIdentityChange, toNewIdentity } from '@/lib/identities/schema';
import { actionError, FIX_BELOW, runAction, type ActionResult } from '@/lib/actions/result';
import { createIdentity, deleteIdentity, getIdentity, updateIdentity } from '@/lib/identities/service';
import { getIdentityBudgetStatus, resetBudget } from '@/lib/budgets/service';
import { setFlash } from '@/lib/actions/flash';
import { fieldMessage, parseCreateForm, parseUpdateForm, readValues } from './form-data';
import { IDENTITY_FIELDS, type FieldErrors, type IdentityField, type IdentityFormState, type IdentityFormValues } from '@/components/identities/identity-form-state';

/** A service error as form feedback: field details inline, anything else as one message. */
function serviceFailure(err: unknown, values: IdentityFormValues): IdentityFormState {
  const apiError = actionError(err, 'identity form');
  const fieldErrors: FieldErrors = {};
  for (const d of apiError.details) {
    const field = d.field.split('.')[0] as IdentityField;
    if ((IDENTITY_FIELDS as readonly string[]).includes(field)) fieldErrors[field] ??= fieldMessage(field, d.issue);
  }
  const message = Object.keys(fieldErrors).length > 0 ? FIX_BELOW : apiError.message;
  return { status: 'error', message, fieldErrors, values, submittedAt: Date.now() };
}

const label = (identity: { displayName: string | null; externalId: string }) => identity.displayName || identity.externalId;

// Create identity (Studio panel): same zod schema as POST /v2/identities, budget created in the same transaction.
export async function createIdentityAction(_prev: IdentityFormState, formData: FormData): Promise<IdentityFormState> {
  const session = await authorize('manage');
  const values = readValues(formData);
  if (!session.ok) return refusedForm(session, values);
  const parsed = parseCreateForm(values);
  if (!parsed.ok) return { status: 'error', message: FIX_BELOW, fieldErrors: parsed.fieldErrors, values, submittedAt: Date.now() };
  try {
    const identity = await createIdentity(session.workspaceId, session.actor, toNewIdentity(parsed.input), { source: 'studio', budget: parsed.budget, now: new Date() });
    revalidatePath('/identities');
    return {
      status: 'success',
      message: `Created identity “${label(identity)}”`,
      fieldErrors: {},
      values: {},
      identityId: identity.id,
      submittedAt: Date.now(),
    };
  } catch (err) {
    return serviceFailure(err, values);
  }
}

// Edit identity and budget (detail page): PATCH semantics and the budget set, changed or removed, in one transaction.
export async function updateIdentityAction(identityId: string, _prev: IdentityFormState, formData: FormData): Promise<IdentityFormState> {
  const session = await authorize('manage');
  const values = readValues(formData);
  if (!session.ok) return refusedForm(session, values);
  const parsed = parseUpdateForm(values);
  if (!parsed.ok) return { status: 'error', message: FIX_BELOW, fieldErrors: parsed.fieldErrors, values, submittedAt: Date.now() };
  try {
    const identity = await updateIdentity(session.workspaceId, session.actor, identityId, toIdentityChange(parsed.input), { budget: parsed.budget });
    revalidatePath('/identities');
    revalidatePath(`/identities/${identity.id}`);
    return { status: 'success', message: `Saved “${label(identity)}”`, fieldErrors: {}, values, identityId: identity.id, submittedAt: Date.now() };
  } catch (err) {
    return serviceFailure(err, values);
  }
}

// Reset budget: consumption counts again from now; the reset is recorded with who pressed it.
export async function resetBudgetAction(identityId: string): Promise<ActionResult> {
  const session = await authorize('manage');
  if (!session.ok) return session;
  const now = new Date();
  return runAction('budget reset', async () => {
    const status = await getIdentityBudgetStatus(session.workspaceId, identityId, now);
    if (!status) throw new ApiError('not_found', 'This identity has no budget to reset');
    await resetBudget(session.workspaceId, session.actor, status.budgetId, now);
    revalidatePath('/identities');
    revalidatePath(`/identities/${identityId}`);
    return 'Budget reset: consumption starts again from $0.00';
  });
}

// Delete identity: its budget, usage events and rollups go with it; back to the list with a toast.
export async function deleteIdentityAction(identityId: string): Promise<ActionResult> {
  const session = await authorize('manage');
  if (!session.ok) return session;
  let name: string;
  try {
    const identity = await getIdentity(session.workspaceId, identityId);
    if (!identity) throw new ApiError('not_found', 'This identity no longer exists');
    name = label(identity);
    await deleteIdentity(session.workspaceId, session.actor, identity.id);
  } catch (err) {
    return { ok: false, message: actionError(err, 'identity delete').message };
  }
  revalidatePath('/identities');
  await setFlash(`Deleted identity “${name}”`);
  redirect('/identities');
}
