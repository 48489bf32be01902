// Passes a provider's server-sent events through unchanged while reading what the call produced:
// the final `usage` chunk, and the streamed text (to count it when the usage chunk never arrives).

export type OpenAiUsage = { prompt_tokens?: number; completion_tokens?: number; prompt_tokens_details?: { cached_tokens?: number } };

/** How a stream ended: read to the end, cancelled by the client, or failed upstream. */
export type StreamEnd = 'done' | 'cancelled' | 'error';

export type StreamOutcome = { usage: OpenAiUsage | null; requestId: string | undefined; text: string; end: StreamEnd; error?: unknown };

type Chunk = {
  id?: string;
  usage?: OpenAiUsage | null;
  choices?: { delta?: { content?: unknown; reasoning_content?: unknown; tool_calls?: { function?: { name?: unknown; arguments?: unknown } }[] } }[];
};

/**
 * Wraps an OpenAI-style SSE body: bytes go through untouched; `onEnd` runs exactly once, before the
 * client sees the end of the stream, whether it ends, is cancelled by the client, or fails.
 */
export function watchStream(body: ReadableStream<Uint8Array>, onEnd: (outcome: StreamOutcome) => void, clientGone: () => boolean = () => false): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let usage: OpenAiUsage | null = null;
  let requestId: string | undefined;
  let text = '';
  let finished = false;
  const readLine = (line: string) => {
    if (!line.startsWith('data:')) return;
    const data = line.slice(5).trim();
    if (!data || data === '[DONE]') return;
    try {
      const chunk = JSON.parse(data) as Chunk;
      if (chunk.id) requestId = chunk.id;
      if (chunk.usage) usage = chunk.usage;
      for (const choice of chunk.choices ?? []) {
        const delta = choice.delta;
        if (typeof delta?.content === 'string') text += delta.content;
        if (typeof delta?.reasoning_content === 'string') text += delta.reasoning_content;
        for (const call of delta?.tool_calls ?? []) {
          if (typeof call.function?.name === 'string') text += call.function.name;
          if (typeof call.function?.arguments === 'string') text += call.function.arguments;
        }
      }
    } catch {
      // not JSON: pass it on, ignore it here
    }
  };
  const finish = (end: StreamEnd, error?: unknown) => {
    if (finished) return;
    finished = true;
    buffer += decoder.decode();
    if (buffer) readLine(buffer);
    onEnd({ usage, requestId, text, end, error });
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          finish('done');
          controller.close();
          return;
        }
        buffer += decoder.decode(value, { stream: true });
        const lines = buffer.split(/\r?\n/);
        buffer = lines.pop() ?? '';
        lines.forEach(readLine);
        controller.enqueue(value);
      } catch (err) {
        // A client that left aborts the provider's stream: that read fails before a cancel made downstream (through a
        // deployment's transform) reaches this stream — it ended with the client, not with the provider.
        finish(clientGone() ? 'cancelled' : 'error', err);
        controller.error(err);
      }
    },
    async cancel(reason) {
      finish('cancelled');
      await reader.cancel(reason).catch(() => undefined);
    },
  });
}
