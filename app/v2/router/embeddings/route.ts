import { methodNotAllowed, withApi, parseBody } from '@/lib/api/handler';
import { routerEmbeddingsSchema } from '@/lib/gateway/schema';
import { routeCall } from '@/lib/gateway/router';

export const dynamic = 'force-dynamic';

// POST /v2/router/embeddings – embeddings through the router, priced and budgeted like chat
export const POST = withApi(async (ctx) => {
  const body = await parseBody(ctx.req, routerEmbeddingsSchema);
  return routeCall(ctx, { operation: 'embeddings', body, identity: body.orq?.identity ?? body.orq?.contact, identityField: 'orq.identity.id' });
}, { cachedAuth: true });

const notAllowed = methodNotAllowed(['POST']);
export { notAllowed as GET, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
