import 'server-only';
import { EventEmitter } from 'node:events';
import { Readable } from 'node:stream';
import type { IncomingHttpHeaders } from 'node:http';
import { Pool, type Dispatcher } from 'undici';
import { ApiError, ClientClosedRequest, ERROR_CODES } from '../api/errors';
import { positiveFromEnv } from '../config/env';
import { newId } from '../ids';
import { admitCall, cancelReservation, type Admission, type Estimate, type HeldExcess } from '../budgets/admission';
import { priceCall, priceKey, type PriceBook } from '../usage/pricing';
import { recordUsageLater } from '../usage/recorder';
import { chargedMicros } from '../usage/service';
import type { UsageRecord } from '../usage/schema';
import { getWorkspaceConfig, type BudgetRow, type IdentityRef, type WorkspaceConfig } from '../workspaces/config';
import { windowStartOf, type CallScope } from '../budgets/scopes';
import { counterKey } from '../budgets/counters';
import type { ProviderConfig } from './providers';
import { watchStream, type OpenAiUsage, type StreamOutcome } from './sse';
import { resolveProvider } from './service';
import type { IdentityFound } from './identity';
import { countEmbeddingInputTokens, countPromptTokens, countTextTokens, outputCap } from './tokens';
import { log } from '../log';
import { textResponse, type ClientLink } from '../http/body';

// One forward-and-settle for every call path (router chat and embeddings, deployments invoke and
// stream): estimate → admit (reserve) → forward → settle with the real usage on every ending.

/** What a call asks the provider for: a chat completion or embeddings (OpenAI's endpoints). */
export type Operation = 'chat' | 'embeddings';

/** Where a call goes: a provider and the provider's own model name ("gpt-4o"). */
export type CallTarget = { provider: ProviderConfig; model: string };

export type ForwardCall = CallTarget & {
  workspaceId: string;
  apiKeyId: string | null;
  identity: IdentityRef;
  /** How `identity` was found, so that admission finds it again if the workspace's configuration is reloaded meanwhile. */
  identityFound?: IdentityFound;
  operation?: Operation;
  /** The OpenAI-style request body to send (Tollbooth's own fields removed). */
  body: Record<string, unknown>;
  /** The client: one that goes away aborts the upstream call. */
  client: ClientLink;
  now: Date;
  /** The deployment the call is made through; its usage events name it. */
  deploymentId?: string | null;
  /** Stored with the call's usage event (e.g. the thread a v3 call belongs to). */
  metadata?: Record<string, unknown>;
};

/** The provider's answer: a JSON body (any status) or an event stream, with the call's target. */
export type ForwardReply = { target: CallTarget; headers: Record<string, string> } & (
  | { kind: 'json'; status: number; contentType: string; text: string }
  | { kind: 'stream'; body: ReadableStream<Uint8Array> }
);

/** TOLLBOOTH_UPSTREAM_TIMEOUT_MS, default 10 minutes. */
const upstreamTimeoutMs = positiveFromEnv('TOLLBOOTH_UPSTREAM_TIMEOUT_MS', 600_000);

/**
 * The upstream request's signal, as undici takes one besides an AbortSignal: an emitter of `abort` with `aborted` and
 * `reason` (undici rejects with the reason). An AbortController and its signal cost ~0.01–0.015 ms a call more to make
 * and to watch (measured against the same provider, one call at a time, in a loop of undici requests).
 */
class UpstreamSignal extends EventEmitter {
  aborted = false;
  reason: unknown = undefined;

  abort(reason: unknown) {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.emit('abort');
  }
}

/**
 * The upstream call's signal: aborted when the client goes away or the upstream timeout passes; `release` stops both
 * watches once the call has ended. (AbortSignal.any over AbortSignal.timeout did the same for ~0.05 ms more a call.)
 */
function upstreamAbort(client: ClientLink, timeoutMs: number): { signal: UpstreamSignal; release: () => void } {
  const signal = new UpstreamSignal();
  const onClientGone = () => signal.abort(client.reason);
  const timer = setTimeout(() => signal.abort(new DOMException(`No answer within ${timeoutMs} ms`, 'TimeoutError')), timeoutMs);
  timer.unref();
  let stopWatching: (() => void) | undefined;
  if (client.gone) onClientGone();
  else stopWatching = client.onGone(onClientGone);
  return {
    signal,
    release: () => {
      clearTimeout(timer);
      stopWatching?.();
    },
  };
}

const nonNegative = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.round(v) : null);

const PATHS: Record<Operation, string> = { chat: '/chat/completions', embeddings: '/embeddings' };

type Upstream = { pool: Pool; path: string };
// A connection pool per provider origin, and the origin and path of each provider endpoint, made once per process
// (shared by every bundle of the server). undici's request(url) parses the URL and looks its origin's pool up in the
// global agent on every call: ~0.015 ms a call more, in the same loop as UpstreamSignal's figure.
const shared = globalThis as unknown as { tollboothUpstreamPools?: Map<string, Pool>; tollboothUpstreams?: Map<string, Upstream> };
const pools = (shared.tollboothUpstreamPools ??= new Map());
const upstreams = (shared.tollboothUpstreams ??= new Map());
/** Most endpoints remembered (base URLs edited many times over leave old ones behind; their pools stay, idle). */
const MAX_UPSTREAMS = 1_000;

/** The pool and path a provider's endpoint (base URL + the operation's path) is requested through. */
function upstreamOf(baseUrl: string, operation: Operation): Upstream {
  const endpoint = `${baseUrl}${PATHS[operation]}`;
  let upstream = upstreams.get(endpoint);
  if (!upstream) {
    const url = new URL(endpoint);
    let pool = pools.get(url.origin);
    if (!pool) pools.set(url.origin, (pool = new Pool(url.origin)));
    if (upstreams.size >= MAX_UPSTREAMS) upstreams.clear();
    upstreams.set(endpoint, (upstream = { pool, path: `${url.pathname}${url.search}` }));
  }
  return upstream;
}

/**
 * Settles the call once, with its usage fields — or a function that makes them: the record is then made when its batch
 * is written (lib/usage/recorder.ts), after the answer has left, rather than before it (parsing the provider's reply,
 * counting streamed text).
 */
type Settle = (fields: Partial<UsageRecord> | ((inputTokens: InputTokens) => Partial<UsageRecord>)) => void;

/** The upstream call's own timer ran out (TOLLBOOTH_UPSTREAM_TIMEOUT_MS). */
const isTimeout = (err: unknown): boolean => err instanceof Error && err.name === 'TimeoutError';

/** A call's input tokens: counted already, or counted when asked (from the body it keeps until then). */
type InputTokens = () => number;

function promptTokens(counted: number | undefined, operation: Operation, body: Record<string, unknown>): InputTokens {
  if (counted !== undefined) return () => counted;
  let count: number | undefined;
  return () => (count ??= inputTokensOf(operation, body));
}

/** The tokens of a call's input (the prompt's messages, or the texts to embed), counted from its body. */
const inputTokensOf = (operation: Operation, body: Record<string, unknown>): number =>
  operation === 'embeddings' ? countEmbeddingInputTokens(body.input) : countPromptTokens(body);

/** Forwards one call under admission control and returns the provider's answer (router: passed through as is). */
export async function forwardChatCompletion(call: ForwardCall): Promise<Response> {
  return replyResponse(await forwardCall(call));
}

/** The provider's answer as the HTTP response a router client gets. */
export function replyResponse(reply: ForwardReply): Response {
  if (reply.kind === 'stream') return new Response(reply.body, { status: 200, headers: reply.headers });
  return textResponse(reply.text, { status: reply.status, headers: reply.headers });
}

/** Provider answers worth trying a fallback model for: overload, rate limits and server errors. */
const retryableStatus = (status: number) => status === 408 || status === 429 || status >= 500;

/** orq's retry: the same model tried again up to `count` times when the provider answers one of `onCodes`. */
export type RetryPolicy = { count: number; onCodes: ReadonlySet<number> };

/** What orq retries on when a call names no codes: timeouts, rate limits and the provider's server errors. */
const DEFAULT_RETRY_CODES: readonly number[] = [408, 429, 500, 502, 503, 504];

/** A request's `retry` ({count, on_codes}) as a policy; none without one. */
export function retryPolicy(retry: { count?: number; on_codes?: number[] } | null | undefined): RetryPolicy | undefined {
  if (!retry) return undefined;
  return { count: retry.count ?? 3, onCodes: new Set(retry.on_codes?.length ? retry.on_codes : DEFAULT_RETRY_CODES) };
}

/** The status a failed attempt answers with: the provider's, or its error's (502 unreachable, 504 timed out). */
function failedStatus(reply: ForwardReply | null, err: unknown): number | null {
  if (reply) return reply.kind === 'stream' ? null : reply.status;
  return err instanceof ApiError ? ERROR_CODES[err.code] : null;
}

/**
 * Forwards to the call's target — again, under `retry`, while the provider answers one of its codes — and, when the
 * provider fails (unreachable, timeout, 408/429/5xx), to each fallback router model in turn (each retried the same way).
 * Each attempt is admitted and settled on its own, so a failed attempt's usage is recorded and a fallback model's
 * budgets apply to it; a refusal by a budget ends the call.
 */
export async function forwardWithFallbacks(
  call: ForwardCall,
  fallbacks: readonly string[],
  resolve: (routerModel: string) => Promise<CallTarget>,
  retry?: RetryPolicy,
): Promise<ForwardReply> {
  let attempt: ForwardCall = call;
  let retriesLeft = retry?.count ?? 0;
  for (let i = 0; ; ) {
    const last = i >= fallbacks.length;
    let reply: ForwardReply | null = null;
    let error: unknown = null;
    try {
      reply = await forwardCall(attempt);
    } catch (err) {
      const upstreamFailed = err instanceof ApiError && (err.code === 'bad_gateway' || err.code === 'gateway_timeout') && !call.client.gone;
      if (!upstreamFailed) throw err;
      error = err;
    }
    const status = failedStatus(reply, error);
    if (retry && retriesLeft > 0 && status !== null && retry.onCodes.has(status) && !call.client.gone) {
      retriesLeft--;
      continue;
    }
    if (reply && (last || reply.kind === 'stream' || !retryableStatus(reply.status))) return reply;
    if (!reply && last) throw error;
    attempt = { ...call, ...(await resolve(fallbacks[i++])) };
    retriesLeft = retry?.count ?? 0;
  }
}

/** Forwards one call to its target under admission control. */
export async function forwardCall(call: ForwardCall): Promise<ForwardReply> {
  const { workspaceId, model, body, now } = call;
  let identity = call.identity;
  const operation = call.operation ?? 'chat';
  const config = await getWorkspaceConfig(workspaceId);
  const scope = { workspaceId, identityId: identity.id, apiKeyId: call.apiKeyId, provider: call.provider.name, model };
  const { identityFound } = call;
  const found = identityFound && { under: identityFound.under, again: async (current: CallScope) => ({ ...current, identityId: (identity = await identityFound.again()).id }) };
  // The prompt's tokens are counted when a budget holds the call's estimate (admission asks for it), else only if the
  // provider's answer does not report them, when its usage record is made.
  let inputTokens: number | undefined;
  /** What the call's reservation holds (made when a budget applies). */
  let held: Estimate | undefined;
  const estimate = ({ prices }: WorkspaceConfig): Estimate => {
    inputTokens = inputTokensOf(operation, body);
    const outputTokens = operation === 'embeddings' ? 0 : outputCap(body, prices.get(priceKey(call.provider.name, model))?.maxOutputTokens ?? null);
    const price = priceCall({ provider: call.provider.name, model, inputTokens, outputTokens, at: now }, prices);
    return (held = { costMicros: price?.costMicros ?? null, tokens: inputTokens + outputTokens });
  };
  const admitStarted = performance.now();
  const admission = await admitCall(scope, estimate, now, { source: 'gateway', found });
  const admitMs = performance.now() - admitStarted;
  // A provider changed on another instance is noticed by admission (the workspace config was reloaded): use its new settings.
  let provider = call.provider;
  if (admission.config !== config) {
    try {
      provider = (await resolveProvider(workspaceId, `${call.provider.name}/${model}`)).provider;
    } catch (err) {
      if (admission.reservationId) await cancelReservation(workspaceId, admission.reservationId);
      throw err;
    }
  }

  if (call.client.gone) {
    // The client left during admission: nothing has gone to the provider, so the hold is given back and nothing is recorded.
    if (admission.reservationId) await cancelReservation(workspaceId, admission.reservationId);
    throw new ClientClosedRequest();
  }

  const stream = operation === 'chat' && body.stream === true;
  const upstreamBody: Record<string, unknown> = { ...body, model };
  // Ask for the usage chunk at the end of the stream, so streamed calls are counted exactly.
  if (stream) upstreamBody.stream_options = { ...(body.stream_options as object | undefined), include_usage: true };
  const started = performance.now();
  const abort = upstreamAbort(call.client, upstreamTimeoutMs());
  let settled = false;
  // Made here, outside the closures below: they keep what they use until the call's batch is written, and `call` holds
  // the request's body.
  const recorded: RecordedCall = { identity, now, provider: call.provider, model, apiKeyId: call.apiKeyId, deploymentId: call.deploymentId, metadata: call.metadata };
  const settle: Settle = (fields) => {
    if (settled) return;
    settled = true;
    abort.release();
    const latencyMs = Math.round(performance.now() - started);
    const budgetIds = admission.reservationId ? admission.budgets.map((b) => b.id) : [];
    const input = promptTokens(inputTokens, operation, body);
    recordUsageLater(workspaceId, () => settlementRecord(recorded, admission, input, latencyMs, typeof fields === 'function' ? fields(input) : fields), now, {
      budgetIds,
      ...(held && admission.reservationId ? { overrun: overrunOf(held, admission.budgets, admission.config.prices, now) } : {}),
    });
  };
  const target: CallTarget = { provider, model };

  // undici, not fetch: the global fetch is wrapped by Next.js for its data cache, and fetch's web-stream plumbing alone
  // costs ~1 ms a call.
  const { pool, path } = upstreamOf(provider.baseUrl, operation);
  const request: Dispatcher.DispatchOptions = {
    path,
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: stream ? 'text/event-stream' : 'application/json',
      ...(provider.apiKey ? { authorization: `Bearer ${provider.apiKey}` } : {}),
    },
    body: JSON.stringify(upstreamBody),
  };
  /** The provider could not be reached, did not answer in time, or the client left first. */
  const unanswered = async (err: unknown): Promise<never> => {
    const timedOut = isTimeout(err);
    if (call.client.gone) {
      // The client left before the provider answered: the provider had the prompt (and may bill it), so the call is
      // charged its prompt, counted by Tollbooth — never a silent $0.
      settle((input) => ({ status: 'error', errorCode: 'client_disconnected', inputTokens: input(), outputTokens: 0, estimated: true, metadata: { ended: 'client_disconnected' } }));
      throw new ClientClosedRequest();
    }
    // A provider that timed out had the prompt (and may bill it): charged as a client that left would be. One that
    // could not be reached never had it.
    if (timedOut) settle((input) => ({ status: 'error', errorCode: 'upstream_timeout', inputTokens: input(), outputTokens: 0, estimated: true }));
    else settle({ status: 'error', errorCode: 'upstream_unreachable', inputTokens: 0 });
    log.warn({ err, provider: provider.name }, 'provider unreachable');
    throw new ApiError(timedOut ? 'gateway_timeout' : 'bad_gateway', timedOut ? `Provider "${provider.name}" did not answer in time` : `Could not reach provider "${provider.name}"`);
  };
  /** The provider's answer was cut off after it began. */
  const cutOff = (err: unknown): never => {
    settle((input) => ({ status: 'error', errorCode: 'upstream_read_failed', inputTokens: input(), outputTokens: 0, estimated: true }));
    throw new ApiError('bad_gateway', `The answer of provider "${provider.name}" was cut off`, [], {}, { cause: String(err) });
  };
  /** Where the time went, for operators: admission, and the provider (to a stream's first byte, a whole answer's last). */
  const timing = () => `admit;dur=${admitMs.toFixed(2)}, upstream;dur=${(performance.now() - started).toFixed(2)}`;

  let answer: WholeAnswer;
  if (!stream) {
    try {
      answer = await requestWhole(pool, request, abort.signal);
    } catch (err) {
      if (err instanceof AnswerCutOff) return cutOff(err.cause);
      return unanswered(err);
    }
  } else {
    let upstream: Dispatcher.ResponseData;
    try {
      upstream = await pool.request({ ...request, signal: abort.signal });
    } catch (err) {
      return unanswered(err);
    }
    const ok = upstream.statusCode >= 200 && upstream.statusCode < 300;
    if (ok && contentTypeOf(upstream.headers).includes('text/event-stream')) {
      const watched = watchStream(
        Readable.toWeb(upstream.body) as ReadableStream<Uint8Array>,
        (outcome) => settle((input) => streamSettlement(outcome, input)),
        () => call.client.gone,
      );
      return { kind: 'stream', target, body: watched, headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-store', 'server-timing': timing() } };
    }
    // Asked for a stream, answered in one piece (an error, mostly).
    try {
      answer = { statusCode: upstream.statusCode, headers: upstream.headers, text: await upstream.body.text() };
    } catch (err) {
      return cutOff(err);
    }
  }
  const { statusCode: status, text } = answer;
  const contentType = contentTypeOf(answer.headers);
  settle((input) => jsonSettlement(text, status, input));
  // A provider's refusal tells when to come back (a 429 or 503 from it): passed on as it said it.
  const retryAfter = status >= 400 ? answer.headers['retry-after'] : undefined;
  return {
    kind: 'json',
    target,
    status,
    contentType,
    text,
    headers: { 'content-type': contentType, 'cache-control': 'no-store', 'server-timing': timing(), ...(typeof retryAfter === 'string' ? { 'retry-after': retryAfter } : {}) },
  };
}

const contentTypeOf = (headers: IncomingHttpHeaders): string => {
  const header = headers['content-type'];
  return (Array.isArray(header) ? header[0] : header) ?? 'application/json';
};

type WholeAnswer = { statusCode: number; headers: IncomingHttpHeaders; text: string };

/** An answer that failed after it began (its `cause`): the provider was reached. */
class AnswerCutOff extends Error {}

/**
 * A whole answer (a call that is not streamed), through undici's dispatcher API: its chunks are gathered as they come.
 * undici's request() makes a body stream for every answer, which text() then reads back: ~0.05 ms a call more (in-server
 * stages, bench/README.md). Rejects with the signal's reason when it aborts, with AnswerCutOff once the answer began.
 */
function requestWhole(pool: Pool, options: Dispatcher.DispatchOptions, signal: UpstreamSignal): Promise<WholeAnswer> {
  return new Promise((resolve, reject) => {
    let controller: Dispatcher.DispatchController | null = null;
    let started = false;
    let statusCode = 0;
    let headers: IncomingHttpHeaders = {};
    const chunks: Buffer[] = [];
    const onAbort = () => controller?.abort(signal.reason as Error);
    signal.once('abort', onAbort);
    pool.dispatch(options, {
      onRequestStart(c) {
        if (signal.aborted) c.abort(signal.reason as Error);
        else controller = c;
      },
      onResponseStart(_c, status, responseHeaders) {
        // 1xx answers are informational: the answer is still to come.
        if (status < 200) return;
        started = true;
        statusCode = status;
        headers = responseHeaders;
      },
      onResponseData(_c, chunk) {
        chunks.push(chunk);
      },
      onResponseEnd() {
        signal.off('abort', onAbort);
        resolve({ statusCode, headers, text: (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)).toString('utf8') });
      },
      onResponseError(_c, err) {
        signal.off('abort', onAbort);
        reject(started ? new AnswerCutOff(err.message, { cause: err }) : err);
      },
    });
  });
}

/** What a call's usage record takes from the call: not its body, which may be large and waits for its batch with it. */
type RecordedCall = Pick<ForwardCall, 'identity' | 'now' | 'provider' | 'model' | 'apiKeyId' | 'deploymentId' | 'metadata'>;

function settlementRecord(call: RecordedCall, admission: Admission, inputTokens: InputTokens, latencyMs: number, fields: Partial<UsageRecord>): UsageRecord {
  return {
    eventKey: `gw_${newId()}`,
    fromGateway: true,
    identityId: call.identity.id,
    externalId: call.identity.externalId,
    occurredAt: call.now,
    provider: call.provider.name,
    model: call.model,
    inputTokens: fields.inputTokens ?? inputTokens(),
    outputTokens: 0,
    status: 'success',
    latencyMs,
    apiKeyId: call.apiKeyId,
    deploymentId: call.deploymentId ?? null,
    ...(admission.reservationId ? { reservationId: admission.reservationId } : {}),
    // Charged at the price it was admitted under, whatever becomes of that price while it is in flight.
    admittedPrice: admission.config.prices.get(priceKey(call.provider.name, call.model)) ?? null,
    ...fields,
    ...(call.metadata || fields.metadata ? { metadata: { ...call.metadata, ...fields.metadata } } : {}),
  };
}

/** What a call's record costs beyond the estimate its reservation holds — in USD and in tokens — on the budgets' windows. */
const overrunOf =
  (held: Estimate, budgets: readonly BudgetRow[], prices: PriceBook, at: Date) =>
  (record: UsageRecord): HeldExcess | null => {
    const cost = chargedMicros(record, at, prices);
    const micros = cost !== null && cost > (held.costMicros ?? 0n) ? cost - (held.costMicros ?? 0n) : 0n;
    const tokens = Math.max(0, record.inputTokens + record.outputTokens - (held.tokens ?? 0));
    if (micros === 0n && tokens === 0) return null;
    return { micros, tokens, windows: budgets.map((b) => counterKey(b.id, windowStartOf(b, at).getTime())) };
  };

/**
 * Tokens of a provider's `usage`, or null when it sent none. Of the prompt's tokens, those it read from its cache
 * (`prompt_tokens_details.cached_tokens`) are priced at the cache rate.
 */
function usageTokens(usage: OpenAiUsage | null | undefined): Pick<UsageRecord, 'inputTokens' | 'outputTokens' | 'cacheReadTokens'> | null {
  const input = nonNegative(usage?.prompt_tokens);
  const output = nonNegative(usage?.completion_tokens);
  if (input === null && output === null) return null;
  const cached = Math.min(nonNegative(usage?.prompt_tokens_details?.cached_tokens) ?? 0, input ?? 0);
  return { inputTokens: input ?? 0, outputTokens: output ?? 0, ...(cached > 0 ? { cacheReadTokens: cached } : {}) };
}

type ChatReply = { id?: string; usage?: OpenAiUsage; choices?: { message?: { content?: unknown; tool_calls?: unknown } }[] };

/** A JSON reply: the provider's usage, or — when it sent none — our own count, marked estimated. */
function jsonSettlement(text: string, status: number, inputTokens: InputTokens): Partial<UsageRecord> {
  let reply: ChatReply | null = null;
  try {
    reply = JSON.parse(text) as ChatReply;
  } catch {
    reply = null;
  }
  if (status < 200 || status >= 300) {
    return { status: 'error', errorCode: String(status), requestId: reply?.id ?? null, ...(usageTokens(reply?.usage) ?? { inputTokens: 0 }) };
  }
  const reported = usageTokens(reply?.usage);
  if (reported) return { requestId: reply?.id ?? null, ...reported };
  const produced = (reply?.choices ?? [])
    .map((c) => (typeof c.message?.content === 'string' ? c.message.content : '') + (c.message?.tool_calls ? JSON.stringify(c.message.tool_calls) : ''))
    .join('');
  return { requestId: reply?.id ?? null, inputTokens: inputTokens(), outputTokens: countTextTokens(produced), estimated: true };
}

/** A stream's ending: the usage chunk when it came, else the streamed text counted (client gone, provider cut). */
function streamSettlement(outcome: StreamOutcome, inputTokens: InputTokens): Partial<UsageRecord> {
  const reported = usageTokens(outcome.usage);
  const base: Partial<UsageRecord> = { requestId: outcome.requestId ?? null };
  if (outcome.end === 'error') Object.assign(base, { status: 'error', errorCode: isTimeout(outcome.error) ? 'upstream_timeout' : 'upstream_stream_failed' });
  if (outcome.end === 'cancelled') base.metadata = { ended: 'client_disconnected' };
  if (reported) return { ...base, ...reported };
  return { ...base, inputTokens: inputTokens(), outputTokens: countTextTokens(outcome.text), estimated: true };
}
