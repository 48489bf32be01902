import { describe, expect, test } from 'vitest';
import { watchStream, type StreamOutcome } from './sse';

const encoder = new TextEncoder();

function source(parts: string[], close = true) {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      for (const p of parts) controller.enqueue(encoder.encode(p));
      if (close) controller.close();
    },
  });
}

const chunk = (content: string) => `data: {"id":"chatcmpl-1","choices":[{"delta":{"content":${JSON.stringify(content)}}}],"usage":null}\n\n`;

describe('watchStream', () => {
  test('passes bytes through and finds the usage chunk even when split across reads', async () => {
    const parts = [chunk('he'), 'data: {"id":"chatcmpl-1","choices":[],"usa', 'ge":{"prompt_tokens":12,"completion_tokens":7}}\n\ndata: [DONE]\n\n'];
    const seen: StreamOutcome[] = [];
    const text = await new Response(watchStream(source(parts), (o) => seen.push(o))).text();
    expect(text).toBe(parts.join(''));
    expect(seen).toEqual([{ usage: { prompt_tokens: 12, completion_tokens: 7 }, requestId: 'chatcmpl-1', text: 'he', end: 'done', error: undefined }]);
  });

  test('reports the streamed text and no usage when the client cancels mid-stream, once', async () => {
    const seen: StreamOutcome[] = [];
    const reader = watchStream(source([chunk('Hello'), chunk(' there')], false), (o) => seen.push(o)).getReader();
    await reader.read();
    await reader.read();
    await reader.cancel();
    await reader.cancel().catch(() => undefined);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ usage: null, text: 'Hello there', end: 'cancelled' });
  });

  test('reports an upstream failure', async () => {
    const failing = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode(chunk('partial')));
      },
      pull(controller) {
        controller.error(new Error('connection reset'));
      },
    });
    const seen: StreamOutcome[] = [];
    await expect(new Response(watchStream(failing, (o) => seen.push(o))).text()).rejects.toThrow('connection reset');
    expect(seen[0]).toMatchObject({ text: 'partial', end: 'error' });
  });
});
