// Passes a provider's server-sent events through unchanged while reading the final `usage` chunk.

type Usage = { prompt_tokens?: number; completion_tokens?: number };

/**
 * A TransformStream for an OpenAI-style SSE body: bytes go through untouched; `onDone` gets the last
 * `usage` seen (and the completion id) once the stream ends or the client goes away.
 */
export function usageWatcher(onDone: (usage: Usage | null, requestId: string | undefined) => Promise<void>): TransformStream<Uint8Array, Uint8Array> {
  const decoder = new TextDecoder();
  let buffer = '';
  let usage: Usage | null = null;
  let requestId: string | undefined;
  let finished = false;
  const readLine = (line: string) => {
    if (!line.startsWith('data:')) return;
    const data = line.slice(5).trim();
    if (!data || data === '[DONE]') return;
    try {
      const chunk = JSON.parse(data) as { id?: string; usage?: Usage | null };
      if (chunk.id) requestId = chunk.id;
      if (chunk.usage) usage = chunk.usage;
    } catch {
      // not JSON: pass it on, ignore it here
    }
  };
  const finish = async () => {
    if (finished) return;
    finished = true;
    if (buffer) readLine(buffer);
    await onDone(usage, requestId);
  };
  return new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      controller.enqueue(chunk);
      buffer += decoder.decode(chunk, { stream: true });
      const lines = buffer.split(/\r?\n/);
      buffer = lines.pop() ?? '';
      lines.forEach(readLine);
    },
    flush: finish,
    cancel: finish,
  } as Transformer<Uint8Array, Uint8Array>);
}
