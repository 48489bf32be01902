// A local, OpenAI-compatible chat completions server for the gateway tests (nothing leaves loopback).
// Default: 1,000 prompt + 500 completion tokens per call; "fail" as the first message → 500.
// `realistic` usage counts the prompt with the same tokenizer as Tollbooth and answers max_tokens
// (default 500) completion tokens, so an estimate and the real cost can be compared exactly.
// Directives in the first message: "no-usage" (a reply without usage), "cut-off" (an answer whose connection closes
// halfway), "hang" (a stream that never ends), "slow-stream" (10 chunks, 50 ms apart), "overrun" (usage reports twice the
// max_tokens asked for: a call that costs more than Tollbooth held for it). `GET /v1/models` lists FAKE_MODELS; every call needs the
// fake's bearer key (FAKE_OPENAI_KEY unless `apiKey` says otherwise; `setApiKey` changes it), else 401. A model whose name starts with "broken" answers 500.
// POST /v1/embeddings answers three-number vectors with the input's real token count.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { countTokens } from 'gpt-tokenizer';

export const FAKE_OPENAI_KEY = 'sk-fake-upstream-key';
export const FAKE_USAGE = { prompt_tokens: 1000, completion_tokens: 500, total_tokens: 1500 };
export const FAKE_MODELS = ['gpt-4o', 'gpt-4o-mini', 'text-embedding-3-small'];

type Seen = { headers: http.IncomingHttpHeaders; body: Record<string, unknown> };
export type FakeOpenAi = {
  url: string;
  requests: () => Seen[];
  /** The headers of each `GET /v1/models`. */
  modelRequests: () => http.IncomingHttpHeaders[];
  /** The bearer key the fake accepts from now on. */
  setApiKey: (key: string) => void;
  /** Answer after this many milliseconds (non-streamed: the whole reply; streamed: the first chunk). */
  setLatency: (ms: number) => void;
  close: () => Promise<void>;
};

export type FakeOptions = { usage?: 'fixed' | 'realistic'; latencyMs?: number; apiKey?: string };

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Prompt tokens exactly as Tollbooth counts them (3 per message + 3 to prime the reply). */
function promptTokens(messages: { content?: unknown }[]): number {
  return messages.reduce((n, m) => n + 3 + (typeof m.content === 'string' ? countTokens(m.content) : 0), 3);
}

export async function startFakeOpenAi(options: FakeOptions = {}): Promise<FakeOpenAi> {
  const seen: Seen[] = [];
  const modelRequests: http.IncomingHttpHeaders[] = [];
  let apiKey = options.apiKey ?? FAKE_OPENAI_KEY;
  let latencyMs = options.latencyMs ?? 0;
  let n = 0;
  const open = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', async () => {
      if (req.method === 'GET' && req.url === '/__requests') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(seen));
        return;
      }
      if (req.method === 'POST' && req.url === '/v1/embeddings') {
        const body = JSON.parse(raw || '{}') as { input?: string | string[]; model?: string };
        seen.push({ headers: req.headers, body });
        const inputs = Array.isArray(body.input) ? body.input : [body.input ?? ''];
        const tokens = inputs.reduce((n, text) => n + countTokens(String(text)), 0);
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            object: 'list',
            model: body.model,
            data: inputs.map((_, index) => ({ object: 'embedding', index, embedding: [0.1, 0.2, 0.3] })),
            usage: { prompt_tokens: tokens, total_tokens: tokens },
          }),
        );
        return;
      }
      if (req.method === 'GET' && req.url === '/v1/models') {
        modelRequests.push(req.headers);
        if (req.headers.authorization !== `Bearer ${apiKey}`) {
          res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":{"message":"bad key"}}');
          return;
        }
        const data = FAKE_MODELS.map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'fake' }));
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data }));
        return;
      }
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not found"}}');
        return;
      }
      const body = JSON.parse(raw || '{}') as Record<string, unknown>;
      seen.push({ headers: req.headers, body });
      if (req.headers.authorization !== `Bearer ${apiKey}`) {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":{"message":"bad key"}}');
        return;
      }
      const messages = (body.messages ?? []) as { content?: string }[];
      const directive = messages[0]?.content;
      if (latencyMs > 0) await delay(latencyMs);
      // "fail" as the first message, or a model named broken-…: a provider error (fallbacks are tried on it).
      if (directive === 'fail' || String(body.model).startsWith('broken')) {
        res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":{"message":"upstream exploded","type":"server_error"}}');
        return;
      }
      // "rate-limited": the provider's own 429, telling when to come back.
      if (directive === 'rate-limited') {
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '7' }).end('{"error":{"message":"slow down","type":"rate_limit_exceeded"}}');
        return;
      }
      // "cut-off": an answer that stops halfway (its connection closed after part of the body it announced).
      if (directive === 'cut-off') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
        res.write('{"id":"chatcmpl-cut","object":"chat.completion","choices":[');
        setTimeout(() => res.destroy(), 20);
        return;
      }
      const maxTokens = typeof body.max_tokens === 'number' ? body.max_tokens : 500;
      const completionTokens = directive === 'overrun' ? 2 * maxTokens : maxTokens;
      const usage =
        options.usage === 'realistic'
          ? { prompt_tokens: promptTokens(messages), completion_tokens: completionTokens, total_tokens: promptTokens(messages) + completionTokens }
          : { ...FAKE_USAGE };
      // "cached": all but one of the prompt's tokens read from the provider's prompt cache.
      if (directive === 'cached') Object.assign(usage, { prompt_tokens_details: { cached_tokens: usage.prompt_tokens - 1 } });
      const id = `chatcmpl-fake-${++n}`;
      const created = Math.floor(Date.now() / 1000);
      if (body.stream) {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        open.add(res);
        res.on('close', () => open.delete(res));
        const send = (chunk: unknown) => res.write(`data: ${JSON.stringify(chunk)}\n\n`);
        const words = directive === 'slow-stream' || directive === 'hang' ? Array.from({ length: 10 }, (_, i) => ` word${i}`) : ['Hello', ' there'];
        for (const word of words) {
          if (res.destroyed) return;
          send({ id, object: 'chat.completion.chunk', created, model: body.model, choices: [{ index: 0, delta: { role: 'assistant', content: word }, finish_reason: null }] });
          if (directive === 'slow-stream' || directive === 'hang') await delay(50);
        }
        if (directive === 'hang') return; // never ends: the stream stays open until the client or server goes away
        send({ id, object: 'chat.completion.chunk', created, model: body.model, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
        const streamOptions = body.stream_options as { include_usage?: boolean } | undefined;
        if (streamOptions?.include_usage && directive !== 'no-usage') send({ id, object: 'chat.completion.chunk', created, model: body.model, choices: [], usage });
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
          ...(directive === 'no-usage' ? {} : { usage }),
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests: () => seen,
    modelRequests: () => modelRequests,
    setApiKey: (key) => {
      apiKey = key;
    },
    setLatency: (ms) => {
      latencyMs = ms;
    },
    close: () =>
      new Promise((resolve) => {
        for (const res of open) res.destroy();
        server.close(() => resolve());
      }),
  };
}
