import { methodNotAllowed, withApi, parseBody } from '@/lib/api/handler';
import { ApiError, fieldError } from '@/lib/api/errors';
import { routerChatSchema } from '@/lib/gateway/schema';
import { providerConfig, splitRouterModel } from '@/lib/gateway/providers';
import { enforceLimits, ensureGatewayIdentity, recordCall, tokensOf, type CallRecord } from '@/lib/gateway/service';
import { usageWatcher } from '@/lib/gateway/sse';

export const dynamic = 'force-dynamic';

// POST /v2/router/chat/completions – orq's router: budget check, forward to the provider, record usage
export const POST = withApi(async ({ req, workspaceId, now }) => {
  const body = await parseBody(req, routerChatSchema);
  const target = splitRouterModel(body.model);
  if (!target) throw fieldError('invalid_request', 'model', 'must be "provider/model", e.g. "openai/gpt-4o"');
  const provider = providerConfig(target.provider);
  if (!provider) {
    const env = `TOLLBOOTH_PROVIDER_${target.provider.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_BASE_URL`;
    throw fieldError('invalid_request', 'model', `provider "${target.provider}" is not configured: set ${env}`);
  }
  const headerId = req.headers.get('x-orq-identity-id')?.trim();
  const who = body.orq?.identity ?? body.orq?.contact ?? (headerId ? { id: headerId } : undefined);
  if (!who) throw fieldError('invalid_request', 'orq.identity.id', 'is required: the external id of the identity making the call');

  const identity = await ensureGatewayIdentity(workspaceId, who);
  await enforceLimits(workspaceId, identity, now);

  // Everything but Tollbooth's own `orq` field goes to the provider, with the provider's model name.
  const forward: Record<string, unknown> = Object.fromEntries(Object.entries(body).filter(([key]) => key !== 'orq'));
  const upstreamBody: Record<string, unknown> = { ...forward, model: target.model };
  if (body.stream) {
    // Ask for the usage chunk at the end of the stream, so streamed calls are counted too.
    upstreamBody.stream_options = { ...(forward.stream_options as object | undefined), include_usage: true };
  }
  const started = performance.now();
  const call = (fields: Partial<CallRecord>): CallRecord => ({
    provider: provider.name,
    model: target.model,
    inputTokens: 0,
    outputTokens: 0,
    ok: true,
    latencyMs: performance.now() - started,
    ...fields,
  });

  let upstream: Response;
  try {
    upstream = await fetch(`${provider.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: body.stream ? 'text/event-stream' : 'application/json',
        ...(provider.apiKey ? { authorization: `Bearer ${provider.apiKey}` } : {}),
      },
      body: JSON.stringify(upstreamBody),
      signal: req.signal,
    });
  } catch (err) {
    await recordCall(workspaceId, identity, call({ ok: false, errorCode: 'upstream_unreachable' }), now);
    console.error('[tollbooth] provider unreachable', provider.name, err);
    throw new ApiError('bad_gateway', `Could not reach provider "${provider.name}"`);
  }

  const contentType = upstream.headers.get('content-type') ?? 'application/json';
  if (body.stream && upstream.ok && upstream.body && contentType.includes('text/event-stream')) {
    const watched = upstream.body.pipeThrough(
      usageWatcher(async (usage, requestId) => {
        await recordCall(workspaceId, identity, call({ ...tokensOf(usage), requestId }), now);
      }),
    );
    return new Response(watched, { status: 200, headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-store' } });
  }

  const text = await upstream.text();
  let parsed: { id?: string; usage?: { prompt_tokens?: number; completion_tokens?: number } } | null = null;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = null;
  }
  await recordCall(
    workspaceId,
    identity,
    call({ ...tokensOf(parsed?.usage), requestId: parsed?.id, ok: upstream.ok, errorCode: upstream.ok ? undefined : String(upstream.status) }),
    now,
  );
  return new Response(text, { status: upstream.status, headers: { 'content-type': contentType, 'cache-control': 'no-store' } });
});

const notAllowed = methodNotAllowed(['POST']);
export { notAllowed as GET, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
