import { methodNotAllowed, parseBody, withApi } from '@/lib/api/handler';
import { json } from '@/lib/api/json';
import { apiKeyActor } from '@/lib/audit/actor';
import { toDeploymentChange, updateDeploymentSchema } from '@/lib/deployments/schema';
import { deleteDeployment, getDeploymentOrThrow, getProviderKinds, updateDeployment, type Deployment } from '@/lib/deployments/service';
import { serializeDeployment } from '@/lib/deployments/serialize';

export const dynamic = 'force-dynamic';

type Params = { deploymentId: string };

const envelope = async (workspaceId: string, deployment: Deployment) =>
  json({ deployment: serializeDeployment(deployment, (await getProviderKinds(workspaceId)).get(deployment.provider)) });

// GET /v2/deployments/{id or key}
export const GET = withApi<Params>(async ({ params, workspaceId }) => envelope(workspaceId, await getDeploymentOrThrow(workspaceId, params.deploymentId)));

// PATCH /v2/deployments/{id or key} – fields left out keep their values; null clears one; the version goes up
export const PATCH = withApi<Params>(async ({ req, params, workspaceId, principal }) => {
  const input = await parseBody(req, updateDeploymentSchema);
  return envelope(workspaceId, await updateDeployment(workspaceId, apiKeyActor(principal), params.deploymentId, toDeploymentChange(input)));
});

// DELETE /v2/deployments/{id or key} – its usage events keep their cost and deployment id
export const DELETE = withApi<Params>(async ({ params, workspaceId, principal }) => {
  await deleteDeployment(workspaceId, apiKeyActor(principal), params.deploymentId);
  return json({});
});

const notAllowed = methodNotAllowed(['GET', 'PATCH', 'DELETE']);
export { notAllowed as POST, notAllowed as PUT };
