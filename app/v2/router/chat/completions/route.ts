import { methodNotAllowed, withApi, parseBody } from '@/lib/api/handler';
import { fieldError } from '@/lib/api/errors';
import { publicIdentitySchema, routerChatSchema, type PublicIdentity } from '@/lib/gateway/schema';
import { ensureGatewayIdentity, resolveProvider } from '@/lib/gateway/service';
import { forwardChatCompletion } from '@/lib/gateway/forward';

export const dynamic = 'force-dynamic';

/** The `X-ORQ-IDENTITY-ID` header, validated like every external id. */
function identityFromHeader(req: Request): PublicIdentity | undefined {
  const value = req.headers.get('x-orq-identity-id');
  if (value === null) return undefined;
  const parsed = publicIdentitySchema.safeParse({ id: value });
  if (!parsed.success) throw fieldError('invalid_request', 'X-ORQ-IDENTITY-ID', parsed.error.issues[0]?.message ?? 'is not a valid external id');
  return parsed.data;
}

// POST /v2/router/chat/completions – orq's router: admit against every budget, forward, settle usage
export const POST = withApi(async ({ req, workspaceId, principal, now }) => {
  const { orq, ...body } = await parseBody(req, routerChatSchema);
  const { provider, model } = await resolveProvider(body.model);
  const who = orq?.identity ?? orq?.contact ?? identityFromHeader(req);
  if (!who) throw fieldError('invalid_request', 'orq.identity.id', 'is required: the external id of the identity making the call');
  const identity = await ensureGatewayIdentity(workspaceId, who);
  return forwardChatCompletion({ workspaceId, apiKeyId: principal.keyId, identity, provider, model, body, signal: req.signal, now });
}, { cachedAuth: true });

const notAllowed = methodNotAllowed(['POST']);
export { notAllowed as GET, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
