'use server';

import { revalidatePath } from 'next/cache';
import { authorize, refusedForm } from '@/lib/actions/authorize';
import { actionError, FIX_BELOW, runAction, type ActionResult } from '@/lib/actions/result';
import { toNewProvider, toProviderChange } from '@/lib/providers/schema';
import { createProvider, deleteProvider, getProviderOrThrow, testProvider, updateProvider } from '@/lib/providers/service';
import type { ProviderFormState } from '@/components/providers/provider-form-state';
import type { ProviderTestActionResult } from '@/components/providers/provider-test';
import { parseCreateProviderForm, parseUpdateProviderForm, providerServiceFailure, readProviderValues } from './form-data';

// Add provider: same zod schema as POST /v2/providers; a taken name (409) shows inline. The key is never echoed back.
export async function createProviderAction(_prev: ProviderFormState, formData: FormData): Promise<ProviderFormState> {
  const session = await authorize('admin');
  const { values, apiKey } = readProviderValues(formData);
  if (!session.ok) return refusedForm(session, values);
  const parsed = parseCreateProviderForm(values, apiKey);
  if (!parsed.ok) return { status: 'error', message: FIX_BELOW, fieldErrors: parsed.fieldErrors, values, submittedAt: Date.now() };
  try {
    const provider = await createProvider(session.workspaceId, session.actor, toNewProvider(parsed.input));
    revalidatePath('/providers');
    return { status: 'success', message: `Added provider ${provider.name}`, fieldErrors: {}, values: {}, submittedAt: Date.now() };
  } catch (err) {
    return providerServiceFailure(actionError(err, 'provider creation'), values);
  }
}

// Edit provider: PATCH semantics; a new key rotates it, a blank one keeps it. Applies from the next call.
export async function updateProviderAction(providerId: string, _prev: ProviderFormState, formData: FormData): Promise<ProviderFormState> {
  const session = await authorize('admin');
  const { values, apiKey } = readProviderValues(formData);
  if (!session.ok) return refusedForm(session, values);
  const parsed = parseUpdateProviderForm(values, apiKey);
  if (!parsed.ok) return { status: 'error', message: FIX_BELOW, fieldErrors: parsed.fieldErrors, values, submittedAt: Date.now() };
  try {
    const provider = await updateProvider(session.workspaceId, session.actor, providerId, toProviderChange(parsed.input));
    revalidatePath('/providers');
    const rotated = parsed.input.api_key ? ' and rotated its key' : parsed.input.api_key === null ? ' and removed its key' : '';
    return { status: 'success', message: `Saved provider ${provider.name}${rotated}`, fieldErrors: {}, values, submittedAt: Date.now() };
  } catch (err) {
    return providerServiceFailure(actionError(err, 'provider update'), values);
  }
}

// Delete provider: calls naming it are refused (or go to the environment provider of that name) from the next call.
export async function deleteProviderAction(providerId: string): Promise<ActionResult> {
  const session = await authorize('admin');
  if (!session.ok) return session;
  return runAction('provider delete', async () => {
    const provider = await getProviderOrThrow(session.workspaceId, providerId);
    await deleteProvider(session.workspaceId, session.actor, providerId);
    revalidatePath('/providers');
    return `Deleted provider ${provider.name}`;
  });
}

// Test connection: GET {base_url}/models with the key; a database provider keeps the result.
export async function testProviderAction(ref: string): Promise<ProviderTestActionResult> {
  const session = await authorize('admin');
  if (!session.ok) return session;
  try {
    const { test } = await testProvider(session.workspaceId, ref, new Date());
    revalidatePath('/providers');
    return { ok: true, test };
  } catch (err) {
    return { ok: false, message: actionError(err, 'provider test').message };
  }
}
