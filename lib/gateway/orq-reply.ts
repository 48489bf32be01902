// Provider answers (OpenAI chat completions, JSON or SSE) reshaped into orq's deployment answers, as
// `@orq-ai/node` parses them (contract §5): `deployments.invoke` gets one JSON object, and
// `deployments.stream` a `text/event-stream` of `data: {…}` events ending with `data: [DONE]`.
import { ApiError } from '../api/errors';

/** What every orq answer carries besides the choices. */
export type OrqReplyContext = {
  /** The call's id (also its trace id). */
  id: string;
  model: string;
  /** A value of orq's closed provider enum. */
  provider: string;
  created: Date;
};

type ToolCall = { id?: string; index?: number; type?: string; function?: { name?: unknown; arguments?: unknown } };
type OpenAiMessage = { role?: string; content?: unknown; tool_calls?: ToolCall[]; reasoning_content?: unknown };
type OpenAiChoice = { index?: number; message?: OpenAiMessage; delta?: OpenAiMessage; finish_reason?: string | null };
type OpenAiUsageBody = { prompt_tokens?: number; completion_tokens?: number; total_tokens?: number };
type OpenAiReply = { id?: string; system_fingerprint?: string | null; usage?: OpenAiUsageBody | null; choices?: OpenAiChoice[] };

const textOf = (content: unknown): string | null => {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((p: { text?: unknown }) => (typeof p?.text === 'string' ? p.text : '')).join('');
  return null;
};

function orqToolCalls(calls: ToolCall[]) {
  return calls.map((c, i) => ({
    ...(c.id ? { id: c.id } : {}),
    index: c.index ?? i,
    type: 'function',
    function: { name: typeof c.function?.name === 'string' ? c.function.name : '', arguments: typeof c.function?.arguments === 'string' ? c.function.arguments : '' },
  }));
}

/** One OpenAI message (or stream delta) as orq's message: content, or tool calls. */
function orqMessage(message: OpenAiMessage | undefined) {
  const role = message?.role ?? 'assistant';
  const content = textOf(message?.content);
  const reasoning = typeof message?.reasoning_content === 'string' ? { reasoning: message.reasoning_content } : {};
  if (message?.tool_calls?.length) return { type: 'tool_calls', role, content, tool_calls: orqToolCalls(message.tool_calls), ...reasoning };
  return { type: 'content', role, content: content ?? '', ...reasoning };
}

function orqUsage(usage: OpenAiUsageBody | null | undefined) {
  if (!usage) return undefined;
  const prompt = usage.prompt_tokens ?? 0;
  const completion = usage.completion_tokens ?? 0;
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: usage.total_tokens ?? prompt + completion };
}

function envelope(ctx: OrqReplyContext, isFinal: boolean) {
  return {
    id: ctx.id,
    created: ctx.created.toISOString(),
    object: 'chat',
    model: ctx.model,
    provider: ctx.provider,
    is_final: isFinal,
    telemetry: { trace_id: ctx.id, span_id: ctx.id.slice(-16) },
  };
}

/** A provider's JSON chat completion as the answer of `POST /v2/deployments/invoke`. */
export function toInvokeResponse(text: string, ctx: OrqReplyContext, now: Date): Record<string, unknown> {
  let reply: OpenAiReply;
  try {
    reply = JSON.parse(text) as OpenAiReply;
  } catch {
    throw new ApiError('bad_gateway', `Provider "${ctx.provider}" answered with something that is not JSON`);
  }
  const usage = orqUsage(reply.usage);
  return {
    ...envelope(ctx, true),
    finalized: now.toISOString(),
    ...(reply.system_fingerprint !== undefined ? { system_fingerprint: reply.system_fingerprint } : {}),
    ...(usage ? { usage } : {}),
    choices: (reply.choices ?? []).map((c, i) => ({ index: c.index ?? i, message: orqMessage(c.message), finish_reason: c.finish_reason ?? null })),
  };
}

/** A provider's error answer as the error a deployment caller gets (the provider's own message, never its key). */
export function upstreamError(status: number, text: string, provider: string, retryAfter?: string): ApiError {
  let message = text.slice(0, 500);
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown };
    const inner = typeof body.error === 'string' ? body.error : body.error?.message ?? body.message;
    if (typeof inner === 'string') message = inner;
  } catch {
    // not JSON: keep the text
  }
  const what = `Provider "${provider}" answered ${status}: ${message}`;
  // When to come back, as the provider said it.
  const headers: Record<string, string> = retryAfter ? { 'retry-after': retryAfter } : {};
  if (status === 429) return new ApiError('rate_limited', what, [], headers);
  if (status >= 400 && status < 500 && status !== 401 && status !== 403) return new ApiError('invalid_request', what);
  return new ApiError(status === 504 || status === 408 ? 'gateway_timeout' : 'bad_gateway', what, [], headers);
}

const encoder = new TextEncoder();
const event = (data: unknown) => encoder.encode(`data: ${JSON.stringify(data)}\n\n`);

/**
 * A provider's chat completion SSE (already watched for settlement) as orq's deployment stream: each
 * delta becomes an event with `is_final: false`; the end (usage chunk or `[DONE]`) one `is_final:
 * true` event with the usage, then `data: [DONE]`. A client that goes away cancels the provider stream.
 */
export function toInvokeStream(body: ReadableStream<Uint8Array>, ctx: OrqReplyContext): ReadableStream<Uint8Array> {
  const decoder = new TextDecoder();
  let buffer = '';
  let finalSent = false;
  let usage: OpenAiUsageBody | null = null;
  let fingerprint: string | null | undefined;
  const final = (controller: TransformStreamDefaultController<Uint8Array>) => {
    if (finalSent) return;
    finalSent = true;
    const u = orqUsage(usage);
    controller.enqueue(
      event({ ...envelope(ctx, true), finalized: new Date().toISOString(), ...(fingerprint !== undefined ? { system_fingerprint: fingerprint } : {}), ...(u ? { usage: u } : {}), choices: [] }),
    );
  };
  const line = (text: string, controller: TransformStreamDefaultController<Uint8Array>) => {
    if (!text.startsWith('data:')) return;
    const data = text.slice(5).trim();
    if (!data) return;
    if (data === '[DONE]') {
      final(controller);
      controller.enqueue(encoder.encode('data: [DONE]\n\n'));
      return;
    }
    let chunk: OpenAiReply;
    try {
      chunk = JSON.parse(data) as OpenAiReply;
    } catch {
      return;
    }
    if (chunk.usage) usage = chunk.usage;
    if (chunk.system_fingerprint !== undefined) fingerprint = chunk.system_fingerprint;
    const choices = (chunk.choices ?? []).filter((c) => c.delta || c.finish_reason);
    if (choices.length === 0) return;
    controller.enqueue(
      event({
        ...envelope(ctx, false),
        choices: choices.map((c, i) => ({ index: c.index ?? i, message: orqMessage(c.delta), finish_reason: c.finish_reason ?? null })),
      }),
    );
  };
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(bytes, controller) {
        buffer += decoder.decode(bytes, { stream: true });
        const lines = buffer.split(/\r?\n/);
        buffer = lines.pop() ?? '';
        for (const l of lines) line(l, controller);
      },
      flush(controller) {
        buffer += decoder.decode();
        if (buffer) line(buffer, controller);
        if (!finalSent) {
          final(controller);
          controller.enqueue(encoder.encode('data: [DONE]\n\n'));
        }
      },
    }),
  );
}
