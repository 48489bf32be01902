import 'server-only';
import { Worker } from 'node:worker_threads';
import { ApiError, type ErrorCode, type ErrorDetail } from '../api/errors';
import { log } from '../log';
import { releaseSqliteWriteLockOfDeadWorker, sqliteWriteLockForWorker } from '../sqlite-write-lock';
import { leaveCheckpointsToThread } from '../sqlite-direct';
import { startSqliteCheckpointer, stopSqliteCheckpointer } from '../sqlite-checkpointer';
import { dbProvider, sqliteDatabaseFile } from '../db';
import type { UsageRecord } from './schema';
import type { IngestResult, UsageSource } from './service';

// The production server writes usage batches on a worker thread with its own database connection: a batch's
// pricing, identity resolution and statements (tens of milliseconds for 1,000 events, synchronous on SQLite) then
// never hold up the requests the main thread serves — health checks, Studio pages, gateway admissions — and use
// the second core. The thread runs the very same ingestUsageHere; each batch is still one transaction, answered
// only once committed, so a batch cut off by a crash is either wholly written or not at all (and a retry is safe).

export type IngestRequest = { id: number; workspaceId: string; records: UsageRecord[]; now: Date; source: UsageSource };
/**
 * POST /v2/usage's body as it arrived (bytes, checked for size only), with the key that sent it: the worker parses
 * and validates it (lib/api/json-body.ts), so that the main thread neither does that work nor copies a thousand
 * parsed records across; an invalid body is answered with its 400 like any refused batch.
 */
export type IngestBodyRequest = { id: number; workspaceId: string; body: Uint8Array; apiKeyId: string; now: Date };
export type IngestReply = { id: number; results: PackedResults } | { id: number; error: SerializedError };

/**
 * A batch's results as they cross threads: one array per field rather than an object per event (a thousand objects
 * cost several times more to copy and rebuild than a few arrays of their values).
 */
export type PackedResults = {
  eventIds: string[];
  ids: string[];
  identityIds: string[];
  externalIds: string[];
  /** 1 created, 0 duplicate. */
  created: Uint8Array;
  priced: Uint8Array;
  /** 1 when the event has a cost (then in costMicros). */
  costed: Uint8Array;
  costMicros: BigInt64Array;
};

export function packResults(results: IngestResult[]): PackedResults {
  return {
    eventIds: results.map((r) => r.eventId),
    ids: results.map((r) => r.id),
    identityIds: results.map((r) => r.identityId),
    externalIds: results.map((r) => r.externalId),
    created: Uint8Array.from(results, (r) => (r.status === 'created' ? 1 : 0)),
    priced: Uint8Array.from(results, (r) => (r.priced ? 1 : 0)),
    costed: Uint8Array.from(results, (r) => (r.costMicros === null ? 0 : 1)),
    costMicros: BigInt64Array.from(results, (r) => r.costMicros ?? 0n),
  };
}

export function unpackResults(p: PackedResults): IngestResult[] {
  return p.eventIds.map((eventId, i) => ({
    eventId,
    id: p.ids[i],
    identityId: p.identityIds[i],
    externalId: p.externalIds[i],
    status: p.created[i] === 1 ? 'created' : 'duplicate',
    costMicros: p.costed[i] === 1 ? p.costMicros[i] : null,
    priced: p.priced[i] === 1,
  }));
}

/** An error as it crosses threads: an ApiError keeps its code, details and extras; a database error its code and meta. */
export type SerializedError = {
  name: string;
  message: string;
  stack?: string;
  api?: { code: ErrorCode; details: ErrorDetail[]; headers: Record<string, string>; extra: Record<string, unknown> };
  code?: unknown;
  meta?: unknown;
};

export function serializeError(err: unknown): SerializedError {
  if (err instanceof ApiError) {
    return { name: err.name, message: err.message, api: { code: err.code, details: err.details, headers: err.headers, extra: err.extra } };
  }
  if (err instanceof Error) {
    const { code, meta } = err as Error & { code?: unknown; meta?: unknown };
    return { name: err.name, message: err.message, stack: err.stack, code, meta: meta === undefined ? undefined : structuredClone(meta) };
  }
  return { name: 'Error', message: String(err) };
}

export function deserializeError(e: SerializedError): Error {
  if (e.api) return new ApiError(e.api.code, e.message, e.api.details, e.api.headers, e.api.extra);
  const err = Object.assign(new Error(e.message), { code: e.code, meta: e.meta });
  err.name = e.name;
  if (e.stack) err.stack = e.stack;
  return err;
}

type Pending = { resolve: (results: IngestResult[]) => void; reject: (err: Error) => void };

export class IngestWorker {
  #worker: Worker;
  #pending = new Map<number, Pending>();
  #nextId = 0;
  #stopping = false;
  #idle: (() => void)[] = [];

  constructor(private readonly file: URL | string) {
    this.#worker = this.#spawn();
  }

  #spawn(): Worker {
    // Its SQLite connection takes turns with this thread's (lib/sqlite-write-lock.ts).
    const worker = new Worker(this.file, { workerData: sqliteWriteLockForWorker() });
    worker.on('message', (reply: IngestReply) => {
      const pending = this.#pending.get(reply.id);
      if (!pending) return;
      this.#pending.delete(reply.id);
      if ('results' in reply) pending.resolve(unpackResults(reply.results));
      else pending.reject(deserializeError(reply.error));
      if (this.#pending.size === 0) for (const wake of this.#idle.splice(0)) wake();
    });
    worker.on('error', (err) => log.error({ err }, 'the ingest worker failed'));
    worker.on('exit', (code) => {
      // Batches in flight were rolled back with it or committed just before: their callers get an error and may retry
      // (ingest is idempotent). A worker that dies outside a stop is replaced.
      releaseSqliteWriteLockOfDeadWorker();
      const lost = [...this.#pending.values()];
      this.#pending.clear();
      for (const p of lost) p.reject(new Error(`the ingest worker stopped (exit code ${code}) while writing this batch; it is safe to send again`));
      for (const wake of this.#idle.splice(0)) wake();
      if (!this.#stopping) {
        log.error({ code }, 'the ingest worker exited; starting a new one');
        this.#worker = this.#spawn();
      }
    });
    return worker;
  }

  ingest(workspaceId: string, records: UsageRecord[], now: Date, source: UsageSource): Promise<IngestResult[]> {
    return this.#send((id) => ({ id, workspaceId, records, now, source }) satisfies IngestRequest);
  }

  /** POST /v2/usage's body, parsed and validated by the worker (IngestBodyRequest). */
  ingestBody(workspaceId: string, body: Uint8Array, apiKeyId: string, now: Date): Promise<IngestResult[]> {
    return this.#send((id) => ({ id, workspaceId, body, apiKeyId, now }) satisfies IngestBodyRequest);
  }

  #send(message: (id: number) => IngestRequest | IngestBodyRequest): Promise<IngestResult[]> {
    if (this.#stopping) return Promise.reject(new Error('the server is shutting down'));
    return new Promise((resolve, reject) => {
      const id = ++this.#nextId;
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage(message(id));
    });
  }

  /** Lets the batches in flight finish, then ends the thread. */
  async stop(): Promise<void> {
    this.#stopping = true;
    if (this.#pending.size > 0) await new Promise<void>((resolve) => this.#idle.push(resolve));
    await this.#worker.terminate();
  }
}

// On globalThis: the server's listener and every route bundle see the one worker.
const shared = globalThis as unknown as { tollboothIngestWorker?: IngestWorker | null };

/**
 * Starts the ingest worker (the production server does, with the bundled worker file) and, on SQLite, the thread that
 * checkpoints the write-ahead log beside both writers (lib/sqlite-checkpointer.ts).
 */
export function startIngestWorker(file: URL | string, checkpointerFile: URL | string): IngestWorker {
  if (dbProvider === 'sqlite') {
    leaveCheckpointsToThread();
    startSqliteCheckpointer(checkpointerFile, sqliteDatabaseFile());
  }
  shared.tollboothIngestWorker ??= new IngestWorker(file);
  return shared.tollboothIngestWorker;
}

/** The running ingest worker, or null: batches are then written in this thread. */
export const ingestWorker = (): IngestWorker | null => shared.tollboothIngestWorker ?? null;

/** Waits for the batches in flight and stops the worker (on shutdown, after the queued usage is handed to it). */
export async function stopIngestWorker(): Promise<void> {
  const worker = shared.tollboothIngestWorker;
  if (!worker) return;
  await worker.stop();
  shared.tollboothIngestWorker = null;
  await stopSqliteCheckpointer();
}
