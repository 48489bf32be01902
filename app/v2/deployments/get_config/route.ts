import { methodNotAllowed, parseBody, withApi } from '@/lib/api/handler';
import { json } from '@/lib/api/json';
import { buildDeploymentCall } from '@/lib/deployments/prompt';
import { deploymentCallSchema } from '@/lib/deployments/schema';
import { getDeploymentByKey, getProviderKinds } from '@/lib/deployments/service';
import { serializeDeploymentConfig } from '@/lib/deployments/serialize';

export const dynamic = 'force-dynamic';

// POST /v2/deployments/get_config – the call invoke would make for this body (prompt filled from inputs), as the SDK's getConfig parses it; a read
export const POST = withApi(async ({ req, workspaceId }) => {
  const input = await parseBody(req, deploymentCallSchema);
  const [deployment, kinds] = await Promise.all([getDeploymentByKey(workspaceId, input.key), getProviderKinds(workspaceId)]);
  return json(serializeDeploymentConfig(deployment, buildDeploymentCall(deployment, input), kinds.get(deployment.provider)));
}, { access: 'read' });

const notAllowed = methodNotAllowed(['POST']);
export { notAllowed as GET, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
