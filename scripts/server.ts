// Tollbooth's production server: Next.js (the Studio) behind a plain Node http listener that serves the API itself
// (/v2, /v3, /api, /metrics: the LLM call paths, usage ingest, every read and write). Those paths run the very route
// handlers Next would run (app/…/route.ts: same withApi, same admission and settlement), minus Next's per-request
// routing and rendering work, ~3–4 ms of CPU a request — the budget check, not the framework, is then the hot path.
// Built by scripts/build-server.mjs into `<distDir>/tollbooth-server.mjs` and started by `npm start` (after migrations).
import http from 'node:http';
import next from 'next';
import { serveWebHandler } from '../lib/http/node-bridge';
import { apiRouter } from '../lib/http/api-router';
import { BAD_PATH_BODY, isDecodablePath } from '../lib/http/request-path';
import { flushUsage } from '../lib/usage/recorder';
import { startIngestWorker, stopIngestWorker } from '../lib/usage/ingest-worker-client';
import { stopWebhookWorker } from '../lib/webhooks/worker';
import { metrics, routeLabel } from '../lib/metrics/registry';
import { environmentProblems } from '../lib/config/env';
import { accessLog, log, requestIdFrom, routeConsoleToLog, withRequestContext } from '../lib/log';
import { bootstrap } from '../lib/bootstrap';
import { API_ROUTES } from './api-routes';

const routeApi = apiRouter(API_ROUTES);

/** How long calls in flight may run on after SIGTERM (TOLLBOOTH_SHUTDOWN_GRACE_MS, default 10 s). */
const shutdownGraceMs = () => {
  const ms = Number(process.env.TOLLBOOTH_SHUTDOWN_GRACE_MS);
  return Number.isFinite(ms) && ms >= 0 ? ms : 10_000;
};

const isApi = (path: string) => path.startsWith('/v2/') || path.startsWith('/v3/') || path === '/metrics';
/** Paths the API router may answer (everything else is the Studio's, and Next's). */
const servedHere = (path: string) => isApi(path) || path.startsWith('/api/');

/**
 * One access-log line per request once it is answered (or the client went away), and for API requests
 * the GET /metrics counters (status, duration); Next's static assets log at debug only.
 */
function observe(method: string, path: string, res: http.ServerResponse) {
  const started = process.hrtime.bigint();
  res.once('close', () => {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (isApi(path)) {
      // Labelled once answered: nothing of this is on the request's way.
      const route = routeLabel(path);
      metrics.httpDuration.observe({ route, method }, seconds);
      metrics.httpRequests.inc({ route, method, status: String(res.statusCode) });
    }
    const line = { method, path, status: res.statusCode, duration_ms: Math.round(seconds * 1e4) / 10, ...(res.writableFinished ? {} : { aborted: true }) };
    if (path.startsWith('/_next/')) accessLog.debug(line, 'request');
    else accessLog.info(line, 'request');
  });
}

/** The port and host: `-p`/`-H` flags (as `next start` takes them), else PORT / HOSTNAME. */
function listenAddress(argv: string[]): { port: number; hostname: string } {
  const flag = (short: string, long: string) => {
    const i = argv.findIndex((a) => a === short || a === long);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  return { port: Number(flag('-p', '--port') ?? process.env.PORT ?? 3000), hostname: flag('-H', '--hostname') ?? process.env.HOSTNAME ?? '0.0.0.0' };
}

async function main() {
  // Every line the process prints is JSON from here on: Next's own messages included.
  routeConsoleToLog();
  const problems = environmentProblems();
  if (problems.length > 0) {
    log.fatal({ problems }, `cannot start: fix the environment\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    process.exit(1);
  }
  const { port, hostname } = listenAddress(process.argv.slice(2));
  // Usage batches are written on their own thread, SQLite's log is checkpointed on another (both bundled next to this
  // file by scripts/build-server.mjs).
  startIngestWorker(new URL('./tollbooth-ingest-worker.mjs', import.meta.url), new URL('./tollbooth-checkpoint-worker.mjs', import.meta.url));
  const app = next({ dev: false, dir: process.cwd(), hostname, port });
  const handle = app.getRequestHandler();
  await app.prepare();
  // Seeded before the first request: the API answers beside Next, which may run its instrumentation (the same
  // start-up, shared) only when its own first request comes.
  try {
    await bootstrap();
  } catch (err) {
    log.fatal({ err }, '[tollbooth] start-up failed: is the database migrated and reachable?');
    process.exit(1);
  }
  const trustProxy = process.env.TOLLBOOTH_TRUST_PROXY === '1';
  const server = http.createServer((req, res) => {
    // Each request gets an id (the client's X-Request-Id when it is plain), sent back and on every log line.
    const requestId = requestIdFrom(req.headers['x-request-id']);
    res.setHeader('x-request-id', requestId);
    withRequestContext(requestId, () => serve(req, res));
  });
  const serve = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const path = req.url ? req.url.split('?', 1)[0] : '/';
    observe(req.method ?? 'GET', path, res);
    // Next.js answers an undecodable %-escape with a bare 500: a JSON 400 instead.
    if (!isDecodablePath(req.url)) {
      res.writeHead(400, { 'content-type': 'application/json' }).end(BAD_PATH_BODY);
      return;
    }
    // Without a trusted proxy in front, a client's own X-Forwarded-For must not choose its address (sign-in throttle).
    if (!trustProxy && req.headers['x-forwarded-for'] !== undefined) delete req.headers['x-forwarded-for'];
    const api = servedHere(path) ? routeApi(req.method ?? 'GET', path) : null;
    if (api) void serveWebHandler(api.handler, req, res, api.params);
    else void handle(req, res);
  };
  server.keepAliveTimeout = 65_000;
  server.listen(port, hostname, () => log.info({ port, hostname }, `Tollbooth ready on http://${hostname === '0.0.0.0' ? 'localhost' : hostname}:${port}`));
  // Graceful stop: no new connections; calls in flight get TOLLBOOTH_SHUTDOWN_GRACE_MS (10 s) to finish, then their connections are
  // closed, which settles them like a client that went away (streamed text counted); the usage still
  // queued is written; then exit.
  const stop = () => {
    let finishing = false;
    const finish = () => {
      if (finishing) return;
      finishing = true;
      Promise.all([
        flushUsage()
          .catch((err) => log.error({ err }, 'could not write usage on shutdown'))
          // The queued usage goes through the ingest worker: it stops once that is written.
          .then(() => stopIngestWorker())
          .catch((err) => log.error({ err }, 'could not stop the ingest worker')),
        // Webhook attempts in flight are recorded; what is still queued is sent by the next process.
        stopWebhookWorker().catch((err) => log.error({ err }, 'could not stop the webhook worker')),
      ]).finally(() => process.exit(0));
    };
    let forced = false;
    const deadline = setTimeout(() => {
      forced = true;
      server.closeAllConnections();
      // Let the cancelled streams settle (they queue their usage) before the last write.
      setTimeout(finish, 200);
    }, shutdownGraceMs());
    deadline.unref();
    server.close(() => {
      clearTimeout(deadline);
      if (!forced) finish();
    });
    server.closeIdleConnections();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err) => {
  log.fatal({ err }, 'could not start');
  process.exit(1);
});
