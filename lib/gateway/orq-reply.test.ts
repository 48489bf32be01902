import { describe, expect, test } from 'vitest';
import { DeploymentInvokeResponseBody$inboundSchema } from '@orq-ai/node/models/operations/deploymentinvoke.js';
import { DeploymentStreamResponseBody$inboundSchema } from '@orq-ai/node/models/operations/deploymentstream.js';
import { toInvokeResponse, toInvokeStream, upstreamError } from './orq-reply';

const ctx = { id: '01JTESTTRACE0000000000000', model: 'gpt-4o', provider: 'openai', created: new Date('2026-11-26T10:00:00Z') };

const reply = {
  id: 'chatcmpl-1',
  object: 'chat.completion',
  system_fingerprint: 'fp_1',
  choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'hello' } }],
  usage: { prompt_tokens: 10, completion_tokens: 2, total_tokens: 12 },
};

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

function sse(lines: string[]): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(lines.map((l) => `${l}\n\n`).join(''));
  // Split in odd places, as the network does.
  return new ReadableStream({
    start(controller) {
      for (let i = 0; i < bytes.length; i += 7) controller.enqueue(bytes.slice(i, i + 7));
      controller.close();
    },
  });
}

describe('toInvokeResponse', () => {
  test('is accepted by the SDK schema with content, usage and finish reason', () => {
    const body = toInvokeResponse(JSON.stringify(reply), ctx, new Date('2026-11-26T10:00:01Z'));
    const parsed = DeploymentInvokeResponseBody$inboundSchema.parse(body);
    expect(parsed.provider).toBe('openai');
    expect(parsed.isFinal).toBe(true);
    expect(parsed.usage).toMatchObject({ promptTokens: 10, completionTokens: 2, totalTokens: 12 });
    expect(parsed.choices[0]).toMatchObject({ index: 0, finishReason: 'stop', message: { type: 'content', role: 'assistant', content: 'hello' } });
  });

  test('tool calls become a tool_calls message', () => {
    const tools = { choices: [{ finish_reason: 'tool_calls', message: { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }] } }] };
    const parsed = DeploymentInvokeResponseBody$inboundSchema.parse(toInvokeResponse(JSON.stringify(tools), ctx, new Date()));
    expect(parsed.choices[0].message).toMatchObject({ type: 'tool_calls', toolCalls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }] });
  });

  test('a body that is not JSON is a 502', () => {
    expect(() => toInvokeResponse('<html>', ctx, new Date())).toThrow(/not JSON/);
  });
});

describe('toInvokeStream', () => {
  test('deltas become events, the end one final event with usage, then [DONE]', async () => {
    const chunk = (delta: object, finish: string | null = null) => `data: ${JSON.stringify({ id: 'c', choices: [{ index: 0, delta, finish_reason: finish }] })}`;
    const text = await readAll(
      toInvokeStream(
        sse([chunk({ role: 'assistant', content: 'Hel' }), chunk({ content: 'lo' }), chunk({}, 'stop'), `data: ${JSON.stringify({ id: 'c', choices: [], usage: { prompt_tokens: 5, completion_tokens: 2 } })}`, 'data: [DONE]']),
        ctx,
      ),
    );
    const events = text.split('\n\n').filter(Boolean).map((e) => e.replace(/^data: /, ''));
    expect(events.at(-1)).toBe('[DONE]');
    const parsed = events.slice(0, -1).map((data) => DeploymentStreamResponseBody$inboundSchema.parse({ data }).data);
    expect(parsed.map((d) => d?.choices.map((c) => c.message.type === 'content' ? c.message.content : '').join(''))).toEqual(['Hel', 'lo', '', '']);
    expect(parsed.at(-1)).toMatchObject({ isFinal: true, usage: { promptTokens: 5, completionTokens: 2, totalTokens: 7 } });
    expect(parsed.slice(0, -1).every((d) => d?.isFinal === false)).toBe(true);
    expect(parsed[2]?.choices[0].finishReason).toBe('stop');
  });

  test('a stream that ends without [DONE] still ends with a final event and [DONE]', async () => {
    const text = await readAll(toInvokeStream(sse([`data: ${JSON.stringify({ choices: [{ delta: { content: 'x' } }] })}`]), ctx));
    expect(text.trim().split('\n\n').map((e) => e.slice(0, 40)).at(-1)).toBe('data: [DONE]');
    expect(text).toContain('"is_final":true');
  });
});

describe('upstreamError', () => {
  test('passes the provider message on with a status the caller can act on', () => {
    expect(upstreamError(400, '{"error":{"message":"bad temperature"}}', 'openai')).toMatchObject({ code: 'invalid_request', message: 'Provider "openai" answered 400: bad temperature' });
    expect(upstreamError(401, '{"error":"no"}', 'openai').code).toBe('bad_gateway');
    expect(upstreamError(503, 'down', 'openai').code).toBe('bad_gateway');
    // A provider's rate limit is told as one, with when to come back.
    expect(upstreamError(429, '{"error":{"message":"slow down"}}', 'openai', '7')).toMatchObject({ code: 'rate_limited', status: 429, headers: { 'retry-after': '7' } });
    expect(upstreamError(504, '', 'openai').code).toBe('gateway_timeout');
  });
});
