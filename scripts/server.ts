// Tollbooth's production server: Next.js (Studio and API) behind a plain Node http listener that serves
// the LLM call paths itself. Those paths run the very route handlers Next would run (same withApi,
// same admission and settlement), minus Next's per-request routing and rendering work — the budget
// check, not the framework, is then the hot path. Built by scripts/build-server.mjs into
// `<distDir>/tollbooth-server.mjs` and started by `npm start` (after migrations).
import http from 'node:http';
import next from 'next';
import { serveWebHandler, type WebHandler } from '../lib/http/node-bridge';
import { flushUsage } from '../lib/usage/recorder';
import { POST as routerChat } from '../app/v2/router/chat/completions/route';
import { POST as routerChatV3 } from '../app/v3/router/chat/completions/route';
import { POST as routerEmbeddings } from '../app/v2/router/embeddings/route';
import { POST as deploymentsInvoke } from '../app/v2/deployments/invoke/route';
import { POST as deploymentsStream } from '../app/v2/deployments/stream/route';

const FAST_POSTS: Record<string, WebHandler> = {
  '/v2/router/chat/completions': routerChat,
  '/v3/router/chat/completions': routerChatV3,
  '/v2/router/embeddings': routerEmbeddings,
  '/v2/deployments/invoke': deploymentsInvoke,
  '/v2/deployments/stream': deploymentsStream,
};

/** The port and host: `-p`/`-H` flags (as `next start` takes them), else PORT / HOSTNAME. */
function listenAddress(argv: string[]): { port: number; hostname: string } {
  const flag = (short: string, long: string) => {
    const i = argv.findIndex((a) => a === short || a === long);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  return { port: Number(flag('-p', '--port') ?? process.env.PORT ?? 3000), hostname: flag('-H', '--hostname') ?? process.env.HOSTNAME ?? '0.0.0.0' };
}

async function main() {
  const { port, hostname } = listenAddress(process.argv.slice(2));
  const app = next({ dev: false, dir: process.cwd(), hostname, port });
  const handle = app.getRequestHandler();
  await app.prepare();
  const server = http.createServer((req, res) => {
    const path = req.url ? req.url.split('?', 1)[0] : '/';
    const fast = req.method === 'POST' ? FAST_POSTS[path] : undefined;
    if (fast) void serveWebHandler(fast, req, res);
    else void handle(req, res);
  });
  server.keepAliveTimeout = 65_000;
  server.listen(port, hostname, () => console.log(`▲ Tollbooth ready on http://${hostname === '0.0.0.0' ? 'localhost' : hostname}:${port}`));
  // Graceful stop: no new connections, calls in flight may finish (10 s at most), usage is written, then exit.
  const stop = () => {
    const finish = () =>
      flushUsage()
        .catch((err) => console.error('[tollbooth] could not write usage on shutdown', err))
        .finally(() => process.exit(0));
    const deadline = setTimeout(finish, 10_000);
    deadline.unref();
    server.close(() => {
      clearTimeout(deadline);
      void finish();
    });
    server.closeIdleConnections();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err) => {
  console.error('[tollbooth] could not start', err);
  process.exit(1);
});
