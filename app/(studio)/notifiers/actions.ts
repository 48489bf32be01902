'use server';

import { revalidatePath } from 'next/cache';
import { requirePermission, type StudioSession } from '@/lib/auth/session';
import { ApiError } from '@/lib/api/errors';
import { actionError, FIX_BELOW, fieldSentence, formText, runAction, type ActionResult } from '@/lib/actions/result';
import { createNotifierSchema, toNotifierChange, updateNotifierSchema } from '@/lib/notifiers/schema';
import { createNotifier, deleteNotifier, sendTestMessage, updateNotifier } from '@/lib/notifiers/service';
import type { NotifierField, NotifierFormState, NotifierValue } from '@/components/notifiers/notifier-form-state';

/** Admins manage notifiers; anyone else gets the 403's message as the action's error (a missing session still redirects). */
async function adminSession(): Promise<{ session: StudioSession } | { error: string }> {
  try {
    return { session: await requirePermission('admin') };
  } catch (err) {
    if (err instanceof ApiError) return { error: err.message };
    throw err;
  }
}

const LABELS: Record<NotifierField, string> = { name: 'Name', url: 'Webhook URL' };

function readValues(formData: FormData): Partial<Record<NotifierValue, string>> {
  return { name: formText(formData, 'name'), url: formText(formData, 'url'), is_active: formData.get('is_active') === 'on' ? 'on' : '' };
}

const failed = (values: NotifierFormState['values'], fieldErrors: NotifierFormState['fieldErrors'], message = FIX_BELOW): NotifierFormState => ({
  status: 'error',
  message,
  fieldErrors,
  values,
  submittedAt: Date.now(),
});

function fieldErrorsOf(issues: { path: PropertyKey[]; message: string }[]): NotifierFormState['fieldErrors'] {
  const out: NotifierFormState['fieldErrors'] = {};
  for (const issue of issues) {
    const field = String(issue.path[0]) as NotifierField;
    if (field in LABELS && !out[field]) out[field] = fieldSentence(LABELS[field], issue.message);
  }
  return out;
}

// Add notifier (admins): the same zod schema as POST /v2/notifiers; the signing secret is returned once, here.
export async function createNotifierAction(_prev: NotifierFormState, formData: FormData): Promise<NotifierFormState> {
  const values = readValues(formData);
  const auth = await adminSession();
  if ('error' in auth) return failed(values, {}, auth.error);
  const { session } = auth;
  const parsed = createNotifierSchema.safeParse({ name: values.name, url: values.url });
  if (!parsed.success) return failed(values, fieldErrorsOf(parsed.error.issues));
  try {
    const { notifier, signingSecret } = await createNotifier(session.workspaceId, parsed.data, session.actor, new Date());
    revalidatePath('/notifiers');
    return { status: 'success', secret: signingSecret, name: notifier.name, fieldErrors: {}, values: {}, submittedAt: Date.now() };
  } catch (err) {
    return failed(values, {}, actionError(err, 'notifier creation').message);
  }
}

// Edit notifier (admins): name, URL, active; the secret is kept.
export async function updateNotifierAction(notifierId: string, _prev: NotifierFormState, formData: FormData): Promise<NotifierFormState> {
  const values = readValues(formData);
  const auth = await adminSession();
  if ('error' in auth) return failed(values, {}, auth.error);
  const { session } = auth;
  const parsed = updateNotifierSchema.safeParse({ name: values.name, url: values.url, is_active: values.is_active === 'on' });
  if (!parsed.success) return failed(values, fieldErrorsOf(parsed.error.issues));
  try {
    const notifier = await updateNotifier(session.workspaceId, notifierId, toNotifierChange(parsed.data), session.actor, new Date());
    revalidatePath('/notifiers');
    revalidatePath(`/notifiers/${notifierId}`);
    return { status: 'success', message: `Saved notifier ${notifier.name}`, fieldErrors: {}, values, submittedAt: Date.now() };
  } catch (err) {
    return failed(values, {}, actionError(err, 'notifier update').message);
  }
}

// Delete notifier (admins): with its deliveries.
export async function deleteNotifierAction(notifierId: string): Promise<ActionResult> {
  const auth = await adminSession();
  if ('error' in auth) return { ok: false, message: auth.error };
  const { session } = auth;
  return runAction('notifier delete', async () => {
    const notifier = await deleteNotifier(session.workspaceId, notifierId, session.actor, new Date());
    revalidatePath('/notifiers');
    return `Deleted notifier ${notifier.name}`;
  });
}

// Send test (admins): a signed test message through the outbox; the deliveries view shows each attempt.
export async function sendTestNotifierAction(notifierId: string): Promise<ActionResult> {
  const auth = await adminSession();
  if ('error' in auth) return { ok: false, message: auth.error };
  const { session } = auth;
  return runAction('notifier test', async () => {
    await sendTestMessage(session.workspaceId, notifierId, new Date());
    revalidatePath('/notifiers');
    revalidatePath(`/notifiers/${notifierId}`);
    return 'Test message queued: it is sent within a few seconds';
  });
}
