// Request bodies under one limit: bytes are counted as they arrive and reading stops at the limit, so an oversized
// body costs neither time nor memory. A Request that came through Next is read here (readLimited, by parseBody). The
// Node listener (lib/http/node-bridge.ts) reads its requests with Node's own events instead, under the same limit,
// and hands each body to the route beside its Request rather than as the Request's body: a web stream built over
// bytes already in memory and read back chunk by chunk cost ~0.2 ms a call — a fifth of what the gateway adds to a
// call. Likewise a whole text answer (textResponse: json() and the router's provider replies, of any content type) is
// written from its text, not read back from a Response stream — for the listener's requests it is not a Response at all.
import { requestContext } from '../log';
import { ReadonlyHeaders, headerRecordOf, type HeaderRecord } from './headers';

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

/**
 * A request's client, as the gateway watches it: whether it went away, and a listener for when it does. For the
 * listener's requests it rides on the Node response's own `close` event (lib/http/node-bridge.ts): an AbortController
 * and its signal made for each request, and EventTarget listeners added to it and removed, cost ~0.02 ms a call. For
 * any other Request (Next's server, tests) it is the Request's signal.
 */
export type ClientLink = {
  /** True once the client went away before its answer was written. */
  readonly gone: boolean;
  /** Why (an AbortError), once it is gone. */
  readonly reason: unknown;
  /** Calls `listener` once, when the client goes away; the function returned stops that. */
  onGone(listener: () => void): () => void;
};

type Bodies = { requests: WeakMap<Request, Uint8Array>; clients: WeakMap<Request, ClientLink> };
// On globalThis: the listener's bundle and Next's route bundles share it.
const shared = globalThis as unknown as { tollboothBodies?: Bodies };
const bodies = (shared.tollboothBodies ??= { requests: new WeakMap(), clients: new WeakMap() });

/** Hands `bytes` to the route as `req`'s body (the listener makes its Requests without a body stream). */
export function attachBody(req: Request, bytes: Uint8Array): void {
  bodies.requests.set(req, bytes);
}

/** The body the listener read for `req`, if it did (a Request that came through Next carries its body itself). */
export const attachedBody = (req: Request): Uint8Array | undefined => bodies.requests.get(req);

/** Hands `client` to the route beside `req` (the listener's Requests are made without a signal of their own). */
export function attachClient(req: Request, client: ClientLink): void {
  bodies.clients.set(req, client);
}

/** A Request's signal as a ClientLink. */
function signalClient(signal: AbortSignal): ClientLink {
  return {
    get gone() {
      return signal.aborted;
    },
    get reason() {
      return signal.reason;
    },
    onGone(listener) {
      signal.addEventListener('abort', listener, { once: true });
      return () => signal.removeEventListener('abort', listener);
    },
  };
}

/** The client of `req`: the listener's (attachClient), else the Request's own signal. */
export const requestClient = (req: Request): ClientLink => bodies.clients.get(req) ?? signalClient(req.signal);

/**
 * What the listener reads of a whole text answer — its status, headers and text — made for its requests in place of a
 * Response: a web Response validates and copies its headers into a list of its own and makes its body a web stream
 * (~0.025 ms a call in the server), which the listener would only read back. It is what textResponse returns there.
 */
class WholeTextAnswer {
  readonly body = null;
  readonly bodyUsed = false;
  #headers: Headers | undefined;

  constructor(
    readonly text: string,
    readonly status: number,
    /** The headers as given (names in any case), for the listener to write. */
    readonly headerRecord: HeaderRecord,
  ) {}

  get headers(): Headers {
    return (this.#headers ??= ReadonlyHeaders.fromInit(this.headerRecord));
  }

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }
}

const isRecord = (headers: HeadersInit): headers is Record<string, string> =>
  typeof headers === 'object' && !Array.isArray(headers) && !(headers instanceof Headers);

/**
 * A Response whose whole body is `text`. For a request the listener serves it is a WholeTextAnswer, which the listener
 * writes as it is (headers given as a record are taken as they are). Anywhere else (Next's server, tests) it is a
 * Response carrying the text.
 */
export function textResponse(text: string, init: ResponseInit): Response {
  if (!requestContext()?.writesWholeText) return new Response(text, init);
  const headers = init.headers === undefined ? {} : isRecord(init.headers) ? init.headers : headerRecordOf(new Headers(init.headers));
  return new WholeTextAnswer(text, init.status ?? 200, headers) as unknown as Response;
}

/** A listener's whole text answer (textResponse) — its status, headers as given and text — if `response` is one. */
export function wholeTextAnswer(response: Response): Pick<WholeTextAnswer, 'status' | 'headerRecord' | 'text'> | undefined {
  const answer = response as unknown;
  return answer instanceof WholeTextAnswer ? answer : undefined;
}
