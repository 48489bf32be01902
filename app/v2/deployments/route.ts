import { methodNotAllowed, parseBody, parseQuery, withApi } from '@/lib/api/handler';
import { json } from '@/lib/api/json';
import { apiKeyActor } from '@/lib/audit/actor';
import { createDeploymentSchema, listDeploymentsQuerySchema, toNewDeployment } from '@/lib/deployments/schema';
import { createDeployment, getProviderKinds, listDeployments } from '@/lib/deployments/service';
import { serializeDeployment } from '@/lib/deployments/serialize';

export const dynamic = 'force-dynamic';

// GET /v2/deployments – newest first, cursor-paginated; the shape the orq SDK's deployments.list parses
export const GET = withApi(async ({ req, workspaceId }) => {
  const query = parseQuery(req, listDeploymentsQuerySchema);
  const [{ rows, hasMore }, kinds] = await Promise.all([listDeployments(workspaceId, query), getProviderKinds(workspaceId)]);
  return json({ object: 'list', data: rows.map((d) => serializeDeployment(d, kinds.get(d.provider))), has_more: hasMore });
});

// POST /v2/deployments – add a deployment; 409 when the key is taken
export const POST = withApi(async ({ req, workspaceId, principal }) => {
  const input = await parseBody(req, createDeploymentSchema);
  const deployment = await createDeployment(workspaceId, apiKeyActor(principal), toNewDeployment(input));
  const kinds = await getProviderKinds(workspaceId);
  return json({ deployment: serializeDeployment(deployment, kinds.get(deployment.provider)) }, 201);
});

const notAllowed = methodNotAllowed(['GET', 'POST']);
export { notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
