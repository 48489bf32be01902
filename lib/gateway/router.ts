import 'server-only';
import type { ApiContext } from '../api/handler';
import { forwardWithFallbacks, replyResponse, retryPolicy, type CallTarget, type Operation } from './forward';
import { resolveCallIdentity } from './identity';
import { requestClient } from '../http/body';
import { providerBody, type PublicIdentity, type RetryInput } from './schema';
import { resolveProvider } from './service';

// The router's call paths (chat v2 and v3, embeddings) as one function: each route parses its own body
// shape and says where the identity is; everything else — provider, identity, admission, fallbacks,
// settlement — is shared here and in forward.ts.

export type RouterCall = {
  operation: Operation;
  /** The parsed request body (orq's fields are removed before it goes to the provider). */
  body: Record<string, unknown> & { model: string; fallbacks?: { model: string }[] | null; retry?: RetryInput };
  /** The identity the body names, if any. */
  identity: PublicIdentity | undefined;
  /** The body field an identity belongs in, named by the 400 when a call has none. */
  identityField: string;
  metadata?: Record<string, unknown>;
};

/** The provider and model a router model id ("openai/gpt-4o") names, in this workspace. */
export const resolveTarget = (workspaceId: string, routerModel: string): Promise<CallTarget> => resolveProvider(workspaceId, routerModel);

export async function routeCall(ctx: ApiContext<unknown>, call: RouterCall): Promise<Response> {
  const { req, workspaceId, principal, now } = ctx;
  const target = await resolveTarget(workspaceId, call.body.model);
  const { identity, found } = await resolveCallIdentity(workspaceId, principal, call.identity, req, call.identityField);
  const fallbacks = (call.body.fallbacks ?? []).map((f) => f.model);
  const reply = await forwardWithFallbacks(
    { workspaceId, apiKeyId: principal.keyId, identity, identityFound: found, ...target, operation: call.operation, body: providerBody(call.body), client: requestClient(req), now, metadata: call.metadata },
    fallbacks,
    (model) => resolveTarget(workspaceId, model),
    retryPolicy(call.body.retry),
  );
  return replyResponse(reply);
}
