import { methodNotAllowed, withApi, parseBody } from '@/lib/api/handler';
import { routerChatV3Schema } from '@/lib/gateway/schema';
import { routeCall } from '@/lib/gateway/router';

export const dynamic = 'force-dynamic';

// POST /v3/router/chat/completions – orq's current router: the identity at the top level, an optional thread
export const POST = withApi(async (ctx) => {
  const body = await parseBody(ctx.req, routerChatV3Schema);
  const metadata = body.thread ? { thread_id: body.thread.id, ...(body.thread.tags?.length ? { thread_tags: body.thread.tags } : {}) } : undefined;
  return routeCall(ctx, { operation: 'chat', body, identity: body.identity, identityField: 'identity.id', metadata });
}, { cachedAuth: true });

const notAllowed = methodNotAllowed(['POST']);
export { notAllowed as GET, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
