// Serves a web-standard route handler (Request → Response, the same function Next.js calls) straight
// from Node's http server: API calls skip Next's router and renderer, which cost ~2–6 ms a call, while
// every other path still goes to Next (lib/http/api-router.ts picks the handler). Routes get a request object of the
// listener's own (ListenerRequest) and its client (requestClient), which tells when the client goes away; a streamed body (events, CSV) is written as it comes and
// cancelled on disconnect (so an LLM call is settled); a JSON or text answer is written whole, with its length.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BODY_TOO_LARGE_DETAIL, BODY_TOO_LARGE_MESSAGE, MAX_BODY_BYTES, attachBody, attachClient, attachedBody, declaredTooLarge, wholeTextAnswer, type ClientLink } from './body';
import { log, requestContext } from '../log';
import { ReadonlyHeaders, headerRecordOf } from './headers';


export type RouteParams = Record<string, string | string[]>;
export type WebHandler = (req: Request, ctx: { params: Promise<RouteParams> }) => Promise<Response>;

/** Answers written whole (one write, with a content-length): JSON and plain text; any other body is streamed. */
const isWhole = (contentType: string | null) => !contentType || contentType.startsWith('application/json') || contentType.startsWith('text/plain');

/**
 * The request body, or null once it passes `limit` bytes (reading stops there); rejects if the client goes away first.
 * Read with Node's own events: an async iterator over the request cost ~0.1 ms a call more.
 */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  if (declaredTooLarge(req.headers['content-length'], limit)) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    const stop = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onGone);
      req.off('close', onGone);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void parts.push(chunk);
      stop();
      parts.length = 0;
      // Reading stops here. Not destroyed: destroying an unfinished request resets the connection, and the client,
      // still sending, would see that instead of the 413.
      req.pause();
      req.on('error', () => undefined);
      resolve(null);
    };
    const onEnd = () => {
      stop();
      resolve(parts.length === 1 ? parts[0] : Buffer.concat(parts, size));
    };
    const onGone = (err?: Error) => {
      stop();
      reject(err ?? new Error('the client closed the request before sending its body'));
    };
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', onGone);
    req.once('close', onGone);
  });
}

/** The client of a request the listener serves: gone when its response closes before it was written whole. */
class ResponseClient implements ClientLink {
  gone = false;
  reason: unknown = undefined;
  private listeners: (() => void)[] = [];

  constructor(res: ServerResponse) {
    res.once('close', () => {
      if (res.writableFinished) return;
      this.gone = true;
      this.reason = new DOMException('The client closed the request', 'AbortError');
      const listeners = this.listeners;
      this.listeners = [];
      for (const listener of listeners) listener();
    });
  }

  onGone(listener: () => void): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }
}

/**
 * The Request a route gets from the listener: what the API's routes read of one — method, url, headers, and the body
 * and client handed over beside it (lib/http/body.ts) — over what Node parsed. A web Request made for each call cost
 * ~0.03 ms in the server (its URL parsed, an AbortController of its own, a headers list validated; V8's profiler over
 * sequential gateway calls): here the headers are Node's, read-only (lib/http/headers.ts), the signal made only if one
 * is asked for (the API watches the client through requestClient).
 */
class ListenerRequest {
  readonly method: string;
  readonly url: string;
  readonly body = null;
  readonly bodyUsed = false;
  #headers: Headers | undefined;
  #signal: AbortSignal | undefined;

  constructor(
    private readonly incoming: IncomingMessage,
    private readonly client: ClientLink,
  ) {
    this.method = incoming.method ?? 'GET';
    this.url = `http://${incoming.headers.host ?? 'localhost'}${incoming.url ?? '/'}`;
  }

  get headers(): Headers {
    return (this.#headers ??= new ReadonlyHeaders(this.incoming.headers));
  }

  get signal(): AbortSignal {
    if (!this.#signal) {
      const controller = new AbortController();
      if (this.client.gone) controller.abort(this.client.reason);
      else this.client.onGone(() => controller.abort(this.client.reason));
      this.#signal = controller.signal;
    }
    return this.#signal;
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = attachedBody(this as unknown as Request) ?? new Uint8Array(0);
    return new Uint8Array(bytes).buffer;
  }

  async text(): Promise<string> {
    return new TextDecoder().decode(attachedBody(this as unknown as Request));
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }
}

const tooLarge = JSON.stringify({ error: { code: 'payload_too_large', message: BODY_TOO_LARGE_MESSAGE, details: [BODY_TOO_LARGE_DETAIL] } });

/** Answers `req` with `handler`; resolves once the response is written (or the client is gone). */
export async function serveWebHandler(handler: WebHandler, req: IncomingMessage, res: ServerResponse, params: RouteParams = {}): Promise<void> {
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  let body: Buffer | null | undefined;
  try {
    body = hasBody ? await readBody(req, MAX_BODY_BYTES) : undefined;
  } catch {
    // The client went away mid-body: there is no one to answer.
    return;
  }
  if (body === null) {
    res.writeHead(413, { 'content-type': 'application/json' }).end(tooLarge);
    return;
  }
  // The body and the client go beside the Request (lib/http/body.ts): readBodyBytes, the API's one reader, and
  // requestClient take them from there.
  const client = new ResponseClient(res);
  const request = new ListenerRequest(req, client) as unknown as Request;
  attachClient(request, client);
  if (body) attachBody(request, body);
  // Whole text answers (textResponse) are written from their text below: for these requests they are no Responses at all.
  const context = requestContext();
  if (context) context.writesWholeText = true;

  let response: Response;
  try {
    response = await handler(request, { params: Promise.resolve(params) });
  } catch (err) {
    log.error({ err }, 'unhandled error');
    response = new Response('{"error":{"code":"internal_error","message":"Internal error","details":[]}}', { status: 500, headers: { 'content-type': 'application/json' } });
  }
  const whole = wholeTextAnswer(response);
  if (whole) {
    // Headers and text leave in one write.
    res.writeHead(whole.status, { ...whole.headerRecord, 'content-length': String(Buffer.byteLength(whole.text)) }).end(whole.text);
    return;
  }
  const headers = headerRecordOf(response.headers);
  if (!response.body || isWhole(response.headers.get('content-type'))) {
    // A whole body: one write with its length (no chunked encoding).
    const bytes = response.body ? Buffer.from(await response.arrayBuffer()) : Buffer.alloc(0);
    headers['content-length'] = String(bytes.length);
    res.writeHead(response.status, headers).end(bytes);
    return;
  }
  res.writeHead(response.status, headers);
  const reader = response.body.getReader();
  const stop = () => void reader.cancel().catch(() => undefined);
  res.on('close', stop);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!res.write(value)) await new Promise<void>((resolve) => res.once('drain', resolve).once('close', resolve));
      if (res.destroyed) return;
    }
    res.end();
  } catch (err) {
    if (!res.destroyed) res.destroy(err instanceof Error ? err : undefined);
  } finally {
    res.off('close', stop);
  }
}
