import { methodNotAllowed, withApi, parseBody } from '@/lib/api/handler';
import { routerChatV3Schema, threadMetadata } from '@/lib/gateway/schema';
import { routeCall } from '@/lib/gateway/router';

export const dynamic = 'force-dynamic';

// POST /v3/router/chat/completions – orq's current router: the identity at the top level, an optional thread
export const POST = withApi(async (ctx) => {
  const body = await parseBody(ctx.req, routerChatV3Schema);
  return routeCall(ctx, { operation: 'chat', body, identity: body.identity, identityField: 'identity.id', metadata: threadMetadata(body.thread) });
}, { cachedAuth: true });

const notAllowed = methodNotAllowed(['POST']);
export { notAllowed as GET, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
