import { methodNotAllowed, withApi, parseBody } from '@/lib/api/handler';
import { routerChatSchema } from '@/lib/gateway/schema';
import { routeCall } from '@/lib/gateway/router';

export const dynamic = 'force-dynamic';

// POST /v2/router/chat/completions – orq's router: the identity in `orq.identity` (or the header, or the key's owner)
export const POST = withApi(async (ctx) => {
  const body = await parseBody(ctx.req, routerChatSchema);
  return routeCall(ctx, { operation: 'chat', body, identity: body.orq?.identity ?? body.orq?.contact, identityField: 'orq.identity.id' });
}, { cachedAuth: true });

const notAllowed = methodNotAllowed(['POST']);
export { notAllowed as GET, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
