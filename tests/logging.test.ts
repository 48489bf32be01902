// Structured logs: every line the server prints is one JSON object, and the lines written while a
// request is served — by the call paths' listener, by Next.js route code, by the access log — carry that
// request's id, which the response returns in X-Request-Id.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './support/server';
import { FAKE_OPENAI_KEY } from './support/fake-openai';

type Line = { level: string; time: string; msg: string; request_id?: string; [key: string]: unknown };

let server: TestServer;

beforeAll(async () => {
  // A provider nobody listens on: the gateway logs it as unreachable, inside the request.
  server = await startServer({ env: { TOLLBOOTH_LOG_LEVEL: 'debug', TOLLBOOTH_PROVIDER_OPENAI_BASE_URL: 'http://127.0.0.1:9/v1', TOLLBOOTH_PROVIDER_OPENAI_API_KEY: FAKE_OPENAI_KEY } });
});

afterAll(async () => {
  await server?.stop();
});

function lines(): Line[] {
  return server
    .log()
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      try {
        return JSON.parse(l) as Line;
      } catch {
        throw new Error(`not a JSON log line: ${l}`);
      }
    });
}

async function linesFor(requestId: string, count: (ls: Line[]) => boolean): Promise<Line[]> {
  for (let i = 0; i < 50; i++) {
    const mine = lines().filter((l) => l.request_id === requestId);
    if (count(mine)) return mine;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no log lines for ${requestId}:\n${server.log()}`);
}

describe('structured logs', () => {
  it('a gateway call: its id comes back in X-Request-Id and is on the gateway line and the access line', async () => {
    const res = await fetch(`${server.baseUrl}/v2/router/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'hi' }], orq: { identity: { id: 'log-user' } } }),
    });
    expect(res.status).toBe(502);
    const requestId = res.headers.get('x-request-id') ?? '';
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    const mine = await linesFor(requestId, (ls) => ls.some((l) => l.msg === 'request'));
    expect(mine.find((l) => l.msg === 'provider unreachable')).toMatchObject({ level: 'warn', provider: 'openai' });
    expect(mine.find((l) => l.msg === 'request')).toMatchObject({ level: 'info', method: 'POST', path: '/v2/router/chat/completions', status: 502 });
  });

  it('a request served by Next.js route code logs with the id the client sent', async () => {
    const res = await fetch(`${server.baseUrl}/v2/identities/nobody-here`, { headers: { authorization: `Bearer ${server.apiKey}`, 'x-request-id': 'client-trace.42' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('x-request-id')).toBe('client-trace.42');
    const mine = await linesFor('client-trace.42', (ls) => ls.length >= 2);
    expect(mine.find((l) => l.msg === 'request refused')).toMatchObject({ level: 'debug', status: 404, code: 'not_found' });
    expect(mine.find((l) => l.msg === 'request')).toMatchObject({ status: 404, path: '/v2/identities/nobody-here' });
  });

  it('a request id that is not plain is replaced, so a client cannot forge log lines', async () => {
    const res = await fetch(`${server.baseUrl}/api/health`, { headers: { 'x-request-id': 'x"}\u00e9{"level":"fatal' } });
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('every line is JSON (Next.js start-up included) and no line carries a key', () => {
    const all = lines();
    expect(all.length).toBeGreaterThan(3);
    expect(all.some((l) => l.msg.startsWith('Tollbooth ready on'))).toBe(true);
    for (const l of all) {
      expect(typeof l.time).toBe('string');
      expect(['trace', 'debug', 'info', 'warn', 'error', 'fatal']).toContain(l.level);
    }
    expect(server.log()).not.toContain(server.apiKey);
    expect(server.log()).not.toContain(FAKE_OPENAI_KEY);
  });
});
