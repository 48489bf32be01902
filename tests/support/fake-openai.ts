// A local, OpenAI-compatible chat completions server for the gateway tests (nothing leaves loopback).
// Answers deterministically: 1,000 prompt + 500 completion tokens; "fail" as the first message → 500.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export const FAKE_OPENAI_KEY = 'sk-fake-upstream-key';
export const FAKE_USAGE = { prompt_tokens: 1000, completion_tokens: 500, total_tokens: 1500 };

export type FakeOpenAi = { url: string; requests: () => { headers: http.IncomingHttpHeaders; body: Record<string, unknown> }[]; close: () => Promise<void> };

export async function startFakeOpenAi(): Promise<FakeOpenAi> {
  const seen: { headers: http.IncomingHttpHeaders; body: Record<string, unknown> }[] = [];
  let n = 0;
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      if (req.method === 'GET' && req.url === '/__requests') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(seen));
        return;
      }
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not found"}}');
        return;
      }
      const body = JSON.parse(raw || '{}') as Record<string, unknown>;
      seen.push({ headers: req.headers, body });
      if (req.headers.authorization !== `Bearer ${FAKE_OPENAI_KEY}`) {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":{"message":"bad key"}}');
        return;
      }
      const messages = (body.messages ?? []) as { content?: string }[];
      if (messages[0]?.content === 'fail') {
        res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":{"message":"upstream exploded","type":"server_error"}}');
        return;
      }
      const id = `chatcmpl-fake-${++n}`;
      const created = Math.floor(Date.now() / 1000);
      if (body.stream) {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        const send = (chunk: unknown) => res.write(`data: ${JSON.stringify(chunk)}\n\n`);
        for (const word of ['Hello', ' there']) {
          send({ id, object: 'chat.completion.chunk', created, model: body.model, choices: [{ index: 0, delta: { role: 'assistant', content: word }, finish_reason: null }] });
        }
        send({ id, object: 'chat.completion.chunk', created, model: body.model, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
        const streamOptions = body.stream_options as { include_usage?: boolean } | undefined;
        if (streamOptions?.include_usage) send({ id, object: 'chat.completion.chunk', created, model: body.model, choices: [], usage: FAKE_USAGE });
        res.end('data: [DONE]\n\n');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          id,
          object: 'chat.completion',
          created,
          model: body.model,
          choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'Hello there' } }],
          usage: FAKE_USAGE,
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests: () => seen,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
