import { describe, expect, test } from 'vitest';
import { usageWatcher } from './sse';

const encoder = new TextEncoder();

async function run(parts: string[]) {
  let seen: { usage: unknown; id: string | undefined } | null = null;
  const source = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const p of parts) controller.enqueue(encoder.encode(p));
      controller.close();
    },
  });
  const out = source.pipeThrough(usageWatcher(async (usage, id) => void (seen = { usage, id })));
  const text = await new Response(out).text();
  return { text, seen };
}

describe('usageWatcher', () => {
  test('passes bytes through and finds the usage chunk even when split across reads', async () => {
    const parts = [
      'data: {"id":"chatcmpl-1","choices":[{"delta":{"content":"he"}}],"usage":null}\n\n',
      'data: {"id":"chatcmpl-1","choices":[],"usa',
      'ge":{"prompt_tokens":12,"completion_tokens":7}}\n\ndata: [DONE]\n\n',
    ];
    const { text, seen } = await run(parts);
    expect(text).toBe(parts.join(''));
    expect(seen).toEqual({ usage: { prompt_tokens: 12, completion_tokens: 7 }, id: 'chatcmpl-1' });
  });

  test('reports no usage when the stream has none', async () => {
    const { seen } = await run(['data: {"id":"x","choices":[]}\n\n', 'data: [DONE]\n\n']);
    expect(seen).toEqual({ usage: null, id: 'x' });
  });
});
