import { methodNotAllowed, withApi, parseBody } from '@/lib/api/handler';
import { invokeDeployment } from '@/lib/deployments/invoke';
import { deploymentInvokeSchema } from '@/lib/deployments/invoke-schema';

export const dynamic = 'force-dynamic';

// POST /v2/deployments/invoke – a deployment's call, answered in one JSON object (orq's deployments.invoke)
export const POST = withApi(async (ctx) => invokeDeployment(ctx, await parseBody(ctx.req, deploymentInvokeSchema), 'json'), { cachedAuth: true });

const notAllowed = methodNotAllowed(['POST']);
export { notAllowed as GET, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
