import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBodyBytes } from '../api/handler';
import { json } from '../api/json';
import { withRequestContext } from '../log';
import { requestClient, textResponse } from './body';
import { serveWebHandler, type WebHandler } from './node-bridge';

// The Node listener's bridge over real HTTP: a body read once and handed to the route, whole answers written from
// their text, the 413 and a client that leaves mid-body.

let handler: WebHandler;
let failures: unknown[] = [];
let server: http.Server;
let base: string;

beforeAll(async () => {
  // As scripts/server.ts serves the API: each request in its own context.
  server = http.createServer((req, res) => {
    withRequestContext('test', () => serveWebHandler((r, ctx) => handler(r, ctx), req, res)).catch((err: unknown) => failures.push(err));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('serveWebHandler', () => {
  it('hands the body to the route as read, in any number of chunks', async () => {
    handler = async (req) => json({ text: new TextDecoder().decode(await readBodyBytes(req)), stream: req.body !== null });
    const body = JSON.stringify({ message: 'héllo', pad: 'x'.repeat(200_000) });
    const res = await fetch(`${base}/echo`, { method: 'POST', body });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ text: body, stream: false });
  });

  it('writes a JSON answer whole, with its length in bytes and its headers', async () => {
    handler = async () => json({ name: 'ünïcode' }, 201, { 'x-extra': 'yes' });
    const res = await fetch(`${base}/json`);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(res.status).toBe(201);
    expect(res.headers.get('content-length')).toBe(String(bytes.length));
    expect(res.headers.get('transfer-encoding')).toBeNull();
    expect(res.headers.get('x-extra')).toBe('yes');
    expect(JSON.parse(bytes.toString('utf8'))).toEqual({ name: 'ünïcode' });
  });

  it('makes whole text answers without a body stream of their own, and writes them whole whatever their type', async () => {
    let made: Response | undefined;
    handler = async () => (made = textResponse('<html>overloaded</html>', { status: 503, headers: { 'content-type': 'text/html' } }));
    const res = await fetch(`${base}/html`);
    expect(res.status).toBe(503);
    expect(res.headers.get('content-length')).toBe('23');
    expect(await res.text()).toBe('<html>overloaded</html>');
    expect(made?.body).toBeNull();
    // Outside the listener (Next's server, a test calling a route) the Response carries its text and headers.
    const outside = json({ ok: true }, 200, { 'x-extra': 'yes' });
    expect(outside.headers.get('x-extra')).toBe('yes');
    expect(await outside.json()).toEqual({ ok: true });
  });

  it("writes a whole text answer's headers as a Headers object would have them, in any form they were given", async () => {
    const forms: HeadersInit[] = [
      [['X-Twice', 'a'], ['x-twice', 'b'], ['Set-Cookie', 'a=1'], ['set-cookie', 'b=2']],
      new Headers([['X-Twice', 'a'], ['x-twice', 'b'], ['Set-Cookie', 'a=1'], ['set-cookie', 'b=2']]),
    ];
    for (const headers of forms) {
      handler = async () => textResponse('ok', { status: 200, headers });
      const res = await fetch(`${base}/headers`);
      expect(res.headers.get('x-twice')).toBe('a, b');
      expect(res.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
      expect(await res.text()).toBe('ok');
    }
    handler = async () => textResponse('ok', { status: 200, headers: { 'Retry-After': '3' } });
    expect((await fetch(`${base}/headers`)).headers.get('retry-after')).toBe('3');
  });

  it('still writes a Response made elsewhere (not from a text) whole', async () => {
    handler = async () => new Response(new Blob(['{"ok":true}']), { headers: { 'content-type': 'application/json' } });
    const res = await fetch(`${base}/blob`);
    expect(res.headers.get('content-length')).toBe('11');
    expect(await res.json()).toEqual({ ok: true });
  });

  it('answers a body over 5 MB with 413 without calling the route', async () => {
    let called = false;
    handler = async () => {
      called = true;
      return json({});
    };
    const res = await fetch(`${base}/big`, { method: 'POST', body: 'x'.repeat(5 * 1024 * 1024 + 1) });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
    expect(called).toBe(false);
  });

  it('lets a client that leaves mid-body go without calling the route or failing', async () => {
    let called = false;
    handler = async () => {
      called = true;
      return json({});
    };
    failures = [];
    await new Promise<void>((resolve) => {
      const req = http.request(`${base}/gone`, { method: 'POST', headers: { 'content-length': '1000' } });
      req.on('error', () => resolve());
      req.write('{"half":', () => setTimeout(() => req.destroy(), 50));
      req.on('close', () => resolve());
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(called).toBe(false);
    expect(failures).toEqual([]);
  });

  it("gives the route a request with the client's method, URL and headers, whose body reads as text, JSON or bytes", async () => {
    let seen: unknown;
    handler = async (req) => {
      seen = {
        method: req.method,
        url: req.url,
        authorization: req.headers.get('authorization'),
        repeated: req.headers.get('x-many'),
        absent: req.headers.get('x-absent'),
        aborted: req.signal.aborted,
        json: await req.json(),
        text: await req.text(),
        bytes: new Uint8Array(await req.arrayBuffer()).length,
      };
      return json({});
    };
    const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const out = http.request(`${base}/v2/thing?x=1`, { method: 'POST', headers: ['host', new URL(base).host, 'authorization', 'Bearer k', 'x-many', 'a', 'x-many', 'b', 'content-type', 'application/json'] }, resolve);
      out.on('error', reject);
      out.end('{"é":1}');
    });
    res.resume();
    expect(res.statusCode).toBe(200);
    expect(seen).toEqual({
      method: 'POST',
      url: `${base}/v2/thing?x=1`,
      authorization: 'Bearer k',
      repeated: 'a, b',
      absent: null,
      aborted: false,
      json: { é: 1 },
      text: '{"é":1}',
      bytes: 8,
    });
  });

  it('tells the route when its client goes away while it works, and not when the answer was written', async () => {
    let gone: Promise<boolean> = Promise.resolve(false);
    let client: ReturnType<typeof requestClient> | undefined;
    handler = async (req) => {
      // The listener's client goes beside the Request (requestClient), not in it as a signal.
      client = requestClient(req);
      const watched = client;
      gone = new Promise((resolve) => {
        watched.onGone(() => resolve(true));
        setTimeout(() => resolve(false), 2_000);
      });
      await gone;
      return json({});
    };
    const controller = new AbortController();
    const call = fetch(`${base}/slow`, { method: 'POST', body: '{}', signal: controller.signal }).catch(() => null);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(client?.gone).toBe(false);
    controller.abort();
    await call;
    expect(await gone).toBe(true);
    expect(client?.gone).toBe(true);
    expect(client?.reason).toBeInstanceOf(DOMException);
    expect((client?.reason as DOMException).name).toBe('AbortError');

    // Answered whole: the client never counts as gone, and a listener it stopped is not called.
    let called = 0;
    handler = async (req) => {
      client = requestClient(req);
      client.onGone(() => called++)();
      client.onGone(() => called++);
      return json({ ok: true });
    };
    const answered = await fetch(`${base}/quick`, { method: 'POST', body: '{}' });
    expect(await answered.json()).toEqual({ ok: true });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(client?.gone).toBe(false);
    expect(called).toBe(0);
  });
});
