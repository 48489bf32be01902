'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { authorize, refusedForm } from '@/lib/actions/authorize';
import { actionError, FIX_BELOW, runAction, type ActionResult } from '@/lib/actions/result';
import { toDeploymentChange, toNewDeployment } from '@/lib/deployments/schema';
import { createDeployment, deleteDeployment, getDeploymentOrThrow, updateDeployment } from '@/lib/deployments/service';
import { setFlash } from '@/lib/actions/flash';
import type { DeploymentFormState, DeploymentFormValues } from '@/components/deployments/deployment-form-state';
import { deploymentServiceFailure, parseCreateDeploymentForm, parseUpdateDeploymentForm, readDeploymentValues } from './form-data';

const failed = (values: DeploymentFormValues, err: unknown, what: string): DeploymentFormState => ({
  status: 'error',
  ...deploymentServiceFailure(actionError(err, what), values),
  values,
  submittedAt: Date.now(),
});

// Create deployment (Deployments page): same zod schema as POST /v2/deployments; a taken key (409) shows inline.
export async function createDeploymentAction(_prev: DeploymentFormState, formData: FormData): Promise<DeploymentFormState> {
  const session = await authorize('admin');
  const values = readDeploymentValues(formData);
  if (!session.ok) return refusedForm(session, values);
  const parsed = parseCreateDeploymentForm(values);
  if (!parsed.ok) return { status: 'error', message: FIX_BELOW, fieldErrors: parsed.fieldErrors, values, submittedAt: Date.now() };
  try {
    const deployment = await createDeployment(session.workspaceId, session.actor, toNewDeployment(parsed.input));
    revalidatePath('/deployments');
    return { status: 'success', message: `Created deployment “${deployment.key}”`, fieldErrors: {}, values: {}, submittedAt: Date.now() };
  } catch (err) {
    return failed(values, err, 'deployment creation');
  }
}

// Edit deployment: PATCH semantics over the fields the form shows; the version goes up, other parameters are kept.
export async function updateDeploymentAction(deploymentId: string, _prev: DeploymentFormState, formData: FormData): Promise<DeploymentFormState> {
  const session = await authorize('admin');
  const values = readDeploymentValues(formData);
  if (!session.ok) return refusedForm(session, values);
  try {
    const current = await getDeploymentOrThrow(session.workspaceId, deploymentId);
    const parsed = parseUpdateDeploymentForm(values, current.parameters);
    if (!parsed.ok) return { status: 'error', message: FIX_BELOW, fieldErrors: parsed.fieldErrors, values, submittedAt: Date.now() };
    const deployment = await updateDeployment(session.workspaceId, session.actor, current.id, toDeploymentChange(parsed.input));
    revalidatePath('/deployments', 'layout');
    return { status: 'success', message: `Saved deployment “${deployment.key}” (version ${deployment.version})`, fieldErrors: {}, values, submittedAt: Date.now() };
  } catch (err) {
    return failed(values, err, 'deployment update');
  }
}

// Delete deployment: from the list a toast says so; from its own page, back to the list with the message.
export async function deleteDeploymentAction(deploymentId: string, backToList: boolean): Promise<ActionResult> {
  const session = await authorize('admin');
  if (!session.ok) return session;
  const result = await runAction('deployment delete', async () => {
    const deployment = await deleteDeployment(session.workspaceId, session.actor, deploymentId);
    revalidatePath('/deployments', 'layout');
    return `Deleted deployment “${deployment.key}”`;
  });
  if (!result.ok || !backToList) return result;
  await setFlash(result.message);
  redirect('/deployments');
}
