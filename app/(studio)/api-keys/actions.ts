'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { authorize, refusedForm } from '@/lib/actions/authorize';
import { toApiError } from '@/lib/api/errors';
import { createApiKey, revokeApiKey, setApiKeyOwner } from '@/lib/api-keys/service';
import { apiKeyScopeSchema } from '@/lib/api-keys/scope';
import { externalIdSchema } from '@/lib/identities/schema';
import { actionError, fieldSentence, formText } from '@/lib/actions/result';
import type { KeyOwnerFormState } from '@/components/api-keys/key-owner-button';
import type { ApiKeyFormState } from '@/components/api-keys/api-key-form-state';
import { log } from '@/lib/log';

const keyNameSchema = z.string().trim().min(1, 'Name the key, e.g. "Production backend"').max(100, 'Name must be at most 100 characters');

// Create API key: the secret is returned once, here, and never stored.
export async function createApiKeyAction(_prev: ApiKeyFormState, formData: FormData): Promise<ApiKeyFormState> {
  const session = await authorize('manage');
  const raw = String(formData.get('name') ?? '');
  const rawScope = formText(formData, 'scope') || 'read_write';
  if (!session.ok) return refusedForm(session, { name: raw, scope: rawScope });
  const parsed = keyNameSchema.safeParse(raw);
  const scope = apiKeyScopeSchema.safeParse(rawScope);
  if (!parsed.success || !scope.success) {
    const fieldErrors = { name: parsed.error?.issues[0]?.message, scope: scope.error?.issues[0]?.message };
    return { status: 'error', fieldErrors, values: { name: raw, scope: rawScope }, submittedAt: Date.now() };
  }
  try {
    const { key, secret } = await createApiKey(session.workspaceId, session.actor, parsed.data, scope.data);
    revalidatePath('/api-keys');
    return { status: 'success', secret, name: key.name, scope: key.scope, fieldErrors: {}, values: {}, submittedAt: Date.now() };
  } catch (err) {
    log.error({ err }, 'API key creation failed');
    return { status: 'error', message: toApiError(err).message, fieldErrors: {}, values: { name: raw, scope: rawScope }, submittedAt: Date.now() };
  }
}

// Revoke API key: requests with it get 401 from now on.
export async function revokeApiKeyAction(id: string): Promise<{ ok: boolean; message: string }> {
  const session = await authorize('manage');
  if (!session.ok) return session;
  try {
    const key = await revokeApiKey(session.workspaceId, session.actor, id, new Date());
    revalidatePath('/api-keys');
    return { ok: true, message: `Revoked “${key.name}”` };
  } catch (err) {
    const apiError = toApiError(err);
    if (apiError.status >= 500) log.error({ err }, 'API key revoke failed');
    return { ok: false, message: apiError.message };
  }
}

// Owner identity: calls made with the key that name no identity are attributed to it ('' removes it).
export async function setApiKeyOwnerAction(id: string, _prev: KeyOwnerFormState, formData: FormData): Promise<KeyOwnerFormState> {
  const session = await authorize('manage');
  const raw = formText(formData, 'owner').trim();
  if (!session.ok) return refusedForm(session, { owner: raw });
  const fail = (fieldErrors: KeyOwnerFormState['fieldErrors'], message?: string): KeyOwnerFormState => ({
    status: 'error',
    message,
    fieldErrors,
    values: { owner: raw },
    submittedAt: Date.now(),
  });
  const parsed = raw ? externalIdSchema.safeParse(raw) : null;
  if (parsed && !parsed.success) return fail({ owner: fieldSentence('Identity', parsed.error.issues[0]?.message ?? 'is not valid') });
  try {
    const key = await setApiKeyOwner(session.workspaceId, session.actor, id, parsed?.data ?? null);
    revalidatePath('/api-keys');
    return { status: 'success', message: raw ? `Calls with “${key.name}” without an identity now count for ${raw}` : `“${key.name}” has no owner identity`, fieldErrors: {}, values: { owner: raw }, submittedAt: Date.now() };
  } catch (err) {
    const apiError = actionError(err, 'API key owner');
    if (apiError.details[0]?.field === 'owner') return fail({ owner: `No identity “${raw}” in this workspace.` });
    return fail({}, apiError.message);
  }
}
