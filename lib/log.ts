import { AsyncLocalStorage } from 'node:async_hooks';
import { isMainThread } from 'node:worker_threads';
import { randomUUID } from 'node:crypto';
import { format, stripVTControlCharacters } from 'node:util';
import pino, { type Logger } from 'pino';

// Structured logs: one JSON object per line on stdout (pino), each line of a request carrying its
// request id. The id lives in an AsyncLocalStorage that the Node listener (scripts/server.ts) opens per
// request, so whatever runs for that request — our code, Next.js, a library that prints — logs with it.
// Logger and storage sit on globalThis: the listener's bundle and Next's route bundles share them.
// Level: TOLLBOOTH_LOG_LEVEL (trace, debug, info, warn, error, fatal, silent; default info).
//
// On the main thread lines are gathered and written together, once 4 KiB wait or every 100 ms (and synchronously
// when the process exits: pino flushes them then, process.exit included). Written one by one, as pino does by
// default, the access log's line after each request cost the main thread ~0.05–0.08 ms: a write handed to libuv's
// thread pool, and the reader of stdout woken, for every request. Worker threads, which log rarely, keep the default.

type RequestContext = {
  requestId: string;
  /** Set by the Node listener for the API requests it serves: it writes whole text answers itself (lib/http/body.ts). */
  writesWholeText?: true;
};

type Shared = { logger: Logger; accessLogger: Logger; requests: AsyncLocalStorage<RequestContext> };

/** The main thread's log lines are written once this many bytes are waiting… */
const LINES_BUFFER_BYTES = 4_096;
/** …or every this many milliseconds. */
const LINES_FLUSH_MS = 100;

const LEVELS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']);

function create(): Shared {
  const requests = new AsyncLocalStorage<RequestContext>();
  const level = process.env.TOLLBOOTH_LOG_LEVEL?.toLowerCase();
  const options = {
    level: level && LEVELS.has(level) ? level : 'info',
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    mixin: () => {
      const context = requests.getStore();
      return context ? { request_id: context.requestId } : {};
    },
  };
  const destination = isMainThread ? pino.destination({ dest: 1, sync: false, minLength: LINES_BUFFER_BYTES, periodicFlush: LINES_FLUSH_MS }) : undefined;
  // Provider and API keys never reach a log line, whatever object carries them.
  const logger = pino({ ...options, redact: { paths: ['*.authorization', '*.apiKey', '*.api_key', 'headers.authorization', 'headers.cookie'], censor: '[redacted]' } }, destination);
  // The access log's lines (method, path, status, duration) carry nothing to redact: the same lines to the same place,
  // without the redaction pass that doubled a line's cost (~7 → ~14 µs; one line per request).
  const accessLogger = pino(options, destination);
  return { logger, accessLogger, requests };
}

const globalForLog = globalThis as unknown as { tollboothLog?: Shared };
const shared = (globalForLog.tollboothLog ??= create());

export const log: Logger = shared.logger;

/** The access log: one line per request (scripts/server.ts), fields of our own only, so never redacted. */
export const accessLog: Logger = shared.accessLogger;

/** A client's own request id is kept when it is short and plain; otherwise one is made. */
const CLIENT_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && CLIENT_ID.test(value) ? value : randomUUID();
}

/** The context of the request being served (withRequestContext), if any. */
export const requestContext = (): RequestContext | undefined => shared.requests.getStore();

/** Runs `fn` with `requestId` on every log line it (and everything it awaits) writes. */
export function withRequestContext<T>(requestId: string, fn: () => T): T {
  return shared.requests.run({ requestId }, fn);
}

/**
 * Sends console.* through the logger, so that lines printed by Next.js or a library are JSON with the
 * request id too. An Error among the arguments becomes the line's `err`; the rest is the message (printf-style, colours stripped).
 */
export function routeConsoleToLog(): void {
  const write = (level: 'info' | 'warn' | 'error' | 'debug') => (...args: unknown[]) => {
    const err = args.find((a): a is Error => a instanceof Error);
    const rest = args.filter((a) => a !== err);
    const msg = stripVTControlCharacters(format(...rest));
    if (err) log[level]({ err }, msg || err.message);
    else log[level](msg);
  };
  console.log = write('info');
  console.info = write('info');
  console.warn = write('warn');
  console.error = write('error');
  console.debug = write('debug');
}
