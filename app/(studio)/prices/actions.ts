'use server';

import { revalidatePath } from 'next/cache';
import { authorize, refusedForm } from '@/lib/actions/authorize';
import { actionError, FIX_BELOW, runAction, type ActionResult } from '@/lib/actions/result';
import { toPriceChange } from '@/lib/prices/schema';
import { createPrice, deletePrice, getPriceOrThrow, repriceUnpricedEvents, updatePrice, updateSettings } from '@/lib/prices/service';
import { formatInteger, plural } from '@/components/format';
import type { PriceFormState } from '@/components/prices/price-form-state';
import { parseCreatePriceForm, parseUpdatePriceForm, priceServiceFailure, readPriceValues } from './form-data';

const modelName = (price: { provider: string; model: string }) => `${price.provider}/${price.model}`;

// Add price (Prices page): same zod schema as POST /v2/prices; a model that already has a price (409) shows inline.
export async function createPriceAction(_prev: PriceFormState, formData: FormData): Promise<PriceFormState> {
  const session = await authorize('admin');
  const values = readPriceValues(formData);
  if (!session.ok) return refusedForm(session, values);
  const parsed = parseCreatePriceForm(values);
  if (!parsed.ok) return { status: 'error', message: FIX_BELOW, fieldErrors: parsed.fieldErrors, values, submittedAt: Date.now() };
  try {
    const price = await createPrice(session.workspaceId, session.actor, parsed.input.provider, parsed.input.model, toPriceChange(parsed.input));
    revalidatePath('/prices');
    return { status: 'success', message: `Added a price for ${modelName(price)}`, fieldErrors: {}, values: {}, submittedAt: Date.now() };
  } catch (err) {
    return priceServiceFailure(actionError(err, 'price creation'), values);
  }
}

// Edit price: PATCH semantics; new calls are priced with it, recorded events keep the price they were charged.
export async function updatePriceAction(priceId: string, _prev: PriceFormState, formData: FormData): Promise<PriceFormState> {
  const session = await authorize('admin');
  const values = readPriceValues(formData);
  if (!session.ok) return refusedForm(session, values);
  const parsed = parseUpdatePriceForm(values);
  if (!parsed.ok) return { status: 'error', message: FIX_BELOW, fieldErrors: parsed.fieldErrors, values, submittedAt: Date.now() };
  try {
    const price = await updatePrice(session.workspaceId, session.actor, priceId, toPriceChange(parsed.input));
    revalidatePath('/prices');
    return { status: 'success', message: `Saved the price of ${modelName(price)}`, fieldErrors: {}, values, submittedAt: Date.now() };
  } catch (err) {
    return priceServiceFailure(actionError(err, 'price update'), values);
  }
}

// Delete price: the bundled table (or "unpriced") applies to the model again from the next call.
export async function deletePriceAction(priceId: string): Promise<ActionResult> {
  const session = await authorize('admin');
  if (!session.ok) return session;
  return runAction('price delete', async () => {
    const price = await getPriceOrThrow(session.workspaceId, priceId);
    await deletePrice(session.workspaceId, session.actor, price.id);
    revalidatePath('/prices');
    return `Deleted the price of ${modelName(price)}`;
  });
}

// Re-price: unpriced events that have a price now get one; their cost then counts toward metrics and budgets.
export async function repriceUnpricedAction(): Promise<ActionResult> {
  const session = await authorize('admin');
  if (!session.ok) return session;
  return runAction('re-price', async () => {
    const { repriced, stillUnpriced } = await repriceUnpricedEvents(session.workspaceId, session.actor, {});
    revalidatePath('/prices');
    revalidatePath('/budgets');
    revalidatePath('/identities', 'layout');
    return `${plural(repriced, 'event')} re-priced, ${formatInteger(stillUnpriced)} still without a price`;
  });
}

// Workspace setting: may the gateway serve a model without a price while a USD budget applies?
export async function setAllowUnpricedCallsAction(allow: boolean): Promise<ActionResult> {
  const session = await authorize('admin');
  if (!session.ok) return session;
  return runAction('settings update', async () => {
    const settings = await updateSettings(session.workspaceId, session.actor, { allowUnpricedCalls: allow });
    revalidatePath('/prices');
    return settings.allowUnpricedCalls
      ? 'Calls to unpriced models are allowed under USD budgets'
      : 'Calls to unpriced models are refused under USD budgets';
  });
}
