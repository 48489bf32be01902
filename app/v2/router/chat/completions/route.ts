import { methodNotAllowed, withApi, parseBody } from '@/lib/api/handler';
import { routerChatSchema, threadMetadata } from '@/lib/gateway/schema';
import { routeCall } from '@/lib/gateway/router';

export const dynamic = 'force-dynamic';

// POST /v2/router/chat/completions – orq's router: the identity in `orq.identity` (or the header, or the key's owner)
export const POST = withApi(async (ctx) => {
  const body = await parseBody(ctx.req, routerChatSchema);
  const orq = body.orq;
  // The SDK's deprecated `orq.fallbacks` and `orq.retry` count where the top-level ones are not given.
  const call =
    (orq?.fallbacks && !body.fallbacks) || (orq?.retry && !body.retry) ? { ...body, fallbacks: body.fallbacks ?? orq.fallbacks, retry: body.retry ?? orq.retry } : body;
  return routeCall(ctx, { operation: 'chat', body: call, identity: orq?.identity ?? orq?.contact, identityField: 'orq.identity.id', metadata: threadMetadata(orq?.thread) });
}, { cachedAuth: true });

const notAllowed = methodNotAllowed(['POST']);
export { notAllowed as GET, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
