// A fake OpenAI-compatible provider for bench/gateway.ts: answers POST /v1/chat/completions at once
// with a fixed chat.completion (1,000 prompt + 1,000 completion tokens), or an SSE stream when asked.
// It listens on 127.0.0.1 only. Run as a child process (`fork`), it sends its URL to the parent
// over IPC and exits when the parent goes away; GET /__stats returns how many completions it served.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export const FAKE_PROVIDER_KEY = 'sk-bench';
export const FAKE_USAGE = { prompt_tokens: 1000, completion_tokens: 1000, total_tokens: 2000 };

export type FakeProvider = { url: string; close: () => Promise<void> };
export type FakeProviderStats = { completions: number };

const json = { 'content-type': 'application/json' };

/** The same body for every non-streamed call, serialised once so the provider costs next to nothing. */
function completionBody(model: string): string {
  return JSON.stringify({
    id: 'chatcmpl-bench',
    object: 'chat.completion',
    created: 1_700_000_000,
    model,
    choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'I am fine, thank you.' } }],
    usage: FAKE_USAGE,
  });
}

function streamBody(model: string, includeUsage: boolean): string {
  const chunk = (fields: Record<string, unknown>) =>
    `data: ${JSON.stringify({ id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 1_700_000_000, model, ...fields })}\n\n`;
  return [
    chunk({ choices: [{ index: 0, delta: { role: 'assistant', content: 'I am fine,' }, finish_reason: null }] }),
    chunk({ choices: [{ index: 0, delta: { content: ' thank you.' }, finish_reason: null }] }),
    chunk({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }),
    includeUsage ? chunk({ choices: [], usage: FAKE_USAGE }) : '',
    'data: [DONE]\n\n',
  ].join('');
}

export async function startFakeProvider(): Promise<FakeProvider> {
  const cached = new Map<string, string>();
  let completions = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'GET' && req.url === '/__stats') {
        res.writeHead(200, json).end(JSON.stringify({ completions } satisfies FakeProviderStats));
        return;
      }
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        res.writeHead(404, json).end('{"error":{"message":"not found"}}');
        return;
      }
      // A wrong key means the gateway under test did not forward ours: fail loudly rather than bench it.
      if (req.headers.authorization !== `Bearer ${FAKE_PROVIDER_KEY}`) {
        res.writeHead(401, json).end('{"error":{"message":"bad key"}}');
        return;
      }
      let body: { model?: unknown; stream?: unknown; stream_options?: { include_usage?: unknown } };
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof body;
      } catch {
        res.writeHead(400, json).end('{"error":{"message":"invalid JSON"}}');
        return;
      }
      completions++;
      const model = typeof body.model === 'string' ? body.model : 'unknown';
      if (body.stream === true) {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        res.end(streamBody(model, body.stream_options?.include_usage === true));
        return;
      }
      let text = cached.get(model);
      if (text === undefined) cached.set(model, (text = completionBody(model)));
      res.writeHead(200, json).end(text);
    });
  });
  // Keep upstream connections open longer than the gateways' pools do, so no call races a closing socket.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const CHILD_FLAG = '--fake-provider-child';

// Run as a forked child: report the URL to the parent, and never outlive it.
if (process.argv.includes(CHILD_FLAG) && process.send) {
  const provider = await startFakeProvider();
  process.send({ url: provider.url });
  process.on('disconnect', () => process.exit(0));
}
