import 'server-only';
import { fetch as upstreamFetch } from 'undici';
import { ApiError } from '../api/errors';
import { newId } from '../ids';
import { admitCall, cancelReservation, type Admission } from '../budgets/admission';
import { priceCall, priceKey } from '../usage/pricing';
import { recordUsageLater } from '../usage/recorder';
import type { UsageRecord } from '../usage/schema';
import { getWorkspaceConfig, type IdentityRef } from '../workspaces/config';
import type { ProviderConfig } from './providers';
import { watchStream, type OpenAiUsage, type StreamOutcome } from './sse';
import { countPromptTokens, countTextTokens, outputCap } from './tokens';

// One forward-and-settle for every call path (router today, deployments next): estimate → admit
// (reserve) → forward → settle with the real usage on every ending.

export type ForwardCall = {
  workspaceId: string;
  apiKeyId: string | null;
  identity: IdentityRef;
  provider: ProviderConfig;
  /** The provider's own model name ("gpt-4o"). */
  model: string;
  /** The OpenAI-style request body to send (Tollbooth's own fields removed). */
  body: Record<string, unknown>;
  /** The client's request signal: a client that goes away aborts the upstream call. */
  signal: AbortSignal;
  now: Date;
};

const upstreamTimeoutMs = () => {
  const ms = Number(process.env.TOLLBOOTH_UPSTREAM_TIMEOUT_MS);
  return Number.isFinite(ms) && ms > 0 ? ms : 600_000;
};

const nonNegative = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.round(v) : null);

type Settle = (fields: Partial<UsageRecord>) => void;

/** Forwards one chat completion under admission control and returns the provider's answer. */
export async function forwardChatCompletion(call: ForwardCall): Promise<Response> {
  const { workspaceId, identity, provider, model, body, now } = call;
  const config = await getWorkspaceConfig(workspaceId);
  const inputTokens = countPromptTokens(body);
  const custom = config.prices.get(priceKey(provider.name, model));
  const maxOutput = outputCap(body, custom?.maxOutputTokens ?? null);
  const price = priceCall({ provider: provider.name, model, inputTokens, outputTokens: maxOutput, at: now }, config.prices);
  const scope = { workspaceId, identityId: identity.id, apiKeyId: call.apiKeyId, provider: provider.name, model };
  const admitStarted = performance.now();
  const admission = await admitCall(scope, { costMicros: price?.costMicros ?? null, tokens: inputTokens + maxOutput }, now, { source: 'gateway' });
  const admitMs = performance.now() - admitStarted;

  const stream = body.stream === true;
  const upstreamBody: Record<string, unknown> = { ...body, model };
  // Ask for the usage chunk at the end of the stream, so streamed calls are counted exactly.
  if (stream) upstreamBody.stream_options = { ...(body.stream_options as object | undefined), include_usage: true };
  const started = performance.now();
  let settled = false;
  const settle: Settle = (fields) => {
    if (settled) return;
    settled = true;
    recordUsageLater(workspaceId, settlementRecord(call, admission, inputTokens, started, fields), now, admission.reservationId ? admission.budgets.map((b) => b.id) : []);
  };

  let upstream: Response;
  try {
    // undici's own fetch: the global one is wrapped by Next.js for its data cache, which costs milliseconds per call.
    upstream = (await upstreamFetch(`${provider.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: stream ? 'text/event-stream' : 'application/json',
        ...(provider.apiKey ? { authorization: `Bearer ${provider.apiKey}` } : {}),
      },
      body: JSON.stringify(upstreamBody),
      signal: AbortSignal.any([call.signal, AbortSignal.timeout(upstreamTimeoutMs())]),
    })) as unknown as Response;
  } catch (err) {
    const timedOut = err instanceof Error && err.name === 'TimeoutError';
    if (call.signal.aborted) {
      // The client left before the provider answered: nothing was produced that we can count.
      if (admission.reservationId) await cancelReservation(workspaceId, admission.reservationId);
      settled = true;
      throw new ApiError('bad_gateway', 'The client closed the request');
    }
    settle({ status: 'error', errorCode: timedOut ? 'upstream_timeout' : 'upstream_unreachable', inputTokens: 0 });
    console.error('[tollbooth] provider unreachable', provider.name, err);
    throw new ApiError(timedOut ? 'gateway_timeout' : 'bad_gateway', timedOut ? `Provider "${provider.name}" did not answer in time` : `Could not reach provider "${provider.name}"`);
  }

  const contentType = upstream.headers.get('content-type') ?? 'application/json';
  // Where the time went, for operators (admission vs the provider's first byte).
  const timing = { 'server-timing': `admit;dur=${admitMs.toFixed(2)}, upstream;dur=${(performance.now() - started).toFixed(2)}` };
  if (stream && upstream.ok && upstream.body && contentType.includes('text/event-stream')) {
    const watched = watchStream(upstream.body, (outcome) => settle(streamSettlement(outcome, inputTokens)));
    return new Response(watched, { status: 200, headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-store', ...timing } });
  }

  let text: string;
  try {
    text = await upstream.text();
  } catch (err) {
    settle({ status: 'error', errorCode: 'upstream_read_failed' });
    throw new ApiError('bad_gateway', `The answer of provider "${provider.name}" was cut off`, [], {}, { cause: String(err) });
  }
  settle(jsonSettlement(text, upstream, inputTokens));
  return new Response(text, { status: upstream.status, headers: { 'content-type': contentType, 'cache-control': 'no-store', ...timing } });
}

function settlementRecord(call: ForwardCall, admission: Admission, inputTokens: number, started: number, fields: Partial<UsageRecord>): UsageRecord {
  return {
    eventKey: `gw_${newId()}`,
    fromGateway: true,
    identityId: call.identity.id,
    externalId: call.identity.externalId,
    occurredAt: call.now,
    provider: call.provider.name,
    model: call.model,
    inputTokens,
    outputTokens: 0,
    status: 'success',
    latencyMs: Math.round(performance.now() - started),
    apiKeyId: call.apiKeyId,
    ...(admission.reservationId ? { reservationId: admission.reservationId } : {}),
    ...fields,
  };
}

/** Tokens of a provider's `usage`, or null when it sent none. */
function usageTokens(usage: OpenAiUsage | null | undefined): { inputTokens: number; outputTokens: number } | null {
  const input = nonNegative(usage?.prompt_tokens);
  const output = nonNegative(usage?.completion_tokens);
  if (input === null && output === null) return null;
  return { inputTokens: input ?? 0, outputTokens: output ?? 0 };
}

type ChatReply = { id?: string; usage?: OpenAiUsage; choices?: { message?: { content?: unknown; tool_calls?: unknown } }[] };

/** A JSON reply: the provider's usage, or — when it sent none — our own count, marked estimated. */
function jsonSettlement(text: string, upstream: Response, inputTokens: number): Partial<UsageRecord> {
  let reply: ChatReply | null = null;
  try {
    reply = JSON.parse(text) as ChatReply;
  } catch {
    reply = null;
  }
  if (!upstream.ok) {
    return { status: 'error', errorCode: String(upstream.status), requestId: reply?.id ?? null, ...(usageTokens(reply?.usage) ?? { inputTokens: 0 }) };
  }
  const reported = usageTokens(reply?.usage);
  if (reported) return { requestId: reply?.id ?? null, ...reported };
  const produced = (reply?.choices ?? [])
    .map((c) => (typeof c.message?.content === 'string' ? c.message.content : '') + (c.message?.tool_calls ? JSON.stringify(c.message.tool_calls) : ''))
    .join('');
  return { requestId: reply?.id ?? null, inputTokens, outputTokens: countTextTokens(produced), estimated: true };
}

/** A stream's ending: the usage chunk when it came, else the streamed text counted (client gone, provider cut). */
function streamSettlement(outcome: StreamOutcome, inputTokens: number): Partial<UsageRecord> {
  const reported = usageTokens(outcome.usage);
  const base: Partial<UsageRecord> = { requestId: outcome.requestId ?? null };
  if (outcome.end === 'error') Object.assign(base, { status: 'error', errorCode: 'upstream_stream_failed' });
  if (outcome.end === 'cancelled') base.metadata = { ended: 'client_disconnected' };
  if (reported) return { ...base, ...reported };
  return { ...base, inputTokens, outputTokens: countTextTokens(outcome.text), estimated: true };
}
