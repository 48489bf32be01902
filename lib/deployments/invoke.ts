import 'server-only';
import type { ApiContext } from '../api/handler';
import { json } from '../api/json';
import { newId } from '../ids';
import { forwardWithFallbacks } from '../gateway/forward';
import { resolveCallIdentity } from '../gateway/identity';
import { toInvokeResponse, toInvokeStream, upstreamError } from '../gateway/orq-reply';
import { resolveTarget } from '../gateway/router';
import { buildDeploymentCall } from './prompt';
import type { DeploymentInvokeInput } from './invoke-schema';
import { orqProviderName } from './serialize';
import { getDeploymentByKey } from './service';
import { requestClient } from '../http/body';

// POST /v2/deployments/invoke and /v2/deployments/stream: a deployment's prompt and parameters with the
// call's inputs and messages, sent through the same admission, forwarding and settlement as the router;
// fallback models are tried in order when the provider fails. Every attempt is a usage event that
// names the deployment.

export async function invokeDeployment(ctx: ApiContext<unknown>, input: DeploymentInvokeInput, mode: 'json' | 'stream'): Promise<Response> {
  const { req, workspaceId, principal, now } = ctx;
  const deployment = await getDeploymentByKey(workspaceId, input.key);
  const call = buildDeploymentCall(deployment, input);
  const [primary, ...fallbacks] = call.targets.map((t) => `${t.provider}/${t.model}`);
  const target = await resolveTarget(workspaceId, primary);
  const { identity, found } = await resolveCallIdentity(workspaceId, principal, input.identity, req, 'identity.id');
  const metadata = { ...input.metadata, deployment_key: deployment.key, ...(input.thread ? { thread_id: input.thread.id } : {}) };
  const reply = await forwardWithFallbacks(
    {
      workspaceId,
      apiKeyId: principal.keyId,
      identity,
      identityFound: found,
      ...target,
      operation: 'chat',
      body: { ...call.body, stream: mode === 'stream' },
      client: requestClient(req),
      now,
      deploymentId: deployment.id,
      metadata,
    },
    fallbacks,
    (model) => resolveTarget(workspaceId, model),
  );
  const orq = { id: newId(), model: reply.target.model, provider: orqProviderName(reply.target.provider.name, reply.target.provider.kind), created: now };
  if (reply.kind === 'stream') {
    return new Response(toInvokeStream(reply.body, orq), { status: 200, headers: { ...reply.headers, 'content-type': 'text/event-stream' } });
  }
  if (reply.status < 200 || reply.status >= 300) throw upstreamError(reply.status, reply.text, reply.target.provider.name, reply.headers['retry-after']);
  const body = toInvokeResponse(reply.text, orq, new Date());
  if (mode === 'stream') {
    // The provider answered in one piece: one final event, then the end.
    const events = `data: ${JSON.stringify(body)}\n\ndata: [DONE]\n\n`;
    return new Response(events, { status: 200, headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-store' } });
  }
  return json(body, 200, { 'server-timing': reply.headers['server-timing'] ?? '' });
}
