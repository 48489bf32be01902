// One request-body reader for the API (parseBody) and the Node listener of the LLM call paths: bytes are
// counted as they arrive and reading stops at the limit, so an oversized body costs neither time nor memory.

/** The largest request body the API reads: 5 MB of UTF-8 bytes (not characters). */
export const MAX_BODY_BYTES = 5 * 1024 * 1024;

export const BODY_TOO_LARGE_MESSAGE = 'The request body is larger than 5 MB';
export const BODY_TOO_LARGE_DETAIL = { field: '(body)', issue: 'must be at most 5 MB (5,242,880 bytes)' };

/** True when a Content-Length header already announces more than `limit` bytes. */
export function declaredTooLarge(contentLength: string | string[] | null | undefined, limit: number = MAX_BODY_BYTES): boolean {
  const value = Array.isArray(contentLength) ? contentLength[0] : contentLength;
  if (!value) return false;
  const declared = Number(value);
  return Number.isFinite(declared) && declared > limit;
}

/** The body's bytes, or null once they pass `limit` (the rest is never read). */
export async function readLimited(chunks: AsyncIterable<Uint8Array>, limit: number = MAX_BODY_BYTES): Promise<Buffer<ArrayBuffer> | null> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of chunks) {
    size += chunk.byteLength;
    if (size > limit) return null;
    parts.push(chunk);
  }
  return Buffer.concat(parts, size);
}

/** A web ReadableStream as chunks; leaving the loop early cancels the stream. */
export async function* streamChunks(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        finished = true;
        return;
      }
      yield value;
    }
  } finally {
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
