// Serves a web-standard route handler (Request → Response, the same function Next.js calls) straight
// from Node's http server: the LLM call paths skip Next's router and renderer, which cost ~2–6 ms a
// call, while every other path still goes to Next. The request signal aborts when the client goes
// away; a streamed body is written as it comes and cancelled on disconnect (so the call is settled).
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The largest request body read (the API's limit); a larger one is cut off with 413 as soon as it passes it. */
export const MAX_BODY_BYTES = 5 * 1024 * 1024;

export type WebHandler = (req: Request, ctx: { params: Promise<Record<string, never>> }) => Promise<Response>;

const noParams = { params: Promise.resolve({} as Record<string, never>) };

function webHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) headers.append(raw[i], raw[i + 1]);
  return headers;
}

/** The request body, or null once it passes `limit` bytes (reading stops there). */
async function readBody(req: IncomingMessage, limit: number): Promise<Buffer<ArrayBuffer> | null> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return null;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

const tooLarge = JSON.stringify({
  error: { code: 'payload_too_large', message: 'The request body is larger than 5 MB', details: [{ field: '(body)', issue: 'must be at most 5 MB' }] },
});

/** Answers `req` with `handler`; resolves once the response is written (or the client is gone). */
export async function serveWebHandler(handler: WebHandler, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  const body = hasBody ? await readBody(req, MAX_BODY_BYTES) : undefined;
  if (body === null) {
    res.writeHead(413, { 'content-type': 'application/json', connection: 'close' }).end(tooLarge);
    req.destroy();
    return;
  }
  const aborter = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) aborter.abort();
  });
  const request = new Request(`http://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`, {
    method: req.method,
    headers: webHeaders(req),
    body,
    signal: aborter.signal,
  });

  let response: Response;
  try {
    response = await handler(request, noParams);
  } catch (err) {
    console.error('[tollbooth] unhandled error', err);
    response = new Response('{"error":{"code":"internal_error","message":"Internal error","details":[]}}', { status: 500, headers: { 'content-type': 'application/json' } });
  }
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name === 'set-cookie') headers[name] = response.headers.getSetCookie();
    else headers[name] = value;
  });
  if (!response.body || !response.headers.get('content-type')?.includes('text/event-stream')) {
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
