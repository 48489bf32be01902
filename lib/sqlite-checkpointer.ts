import { Worker, type MessagePort } from 'node:worker_threads';
import type BetterSqlite3 from 'better-sqlite3';
import { log } from './log';

// SQLite's write-ahead log is copied back into the database file by checkpoints. The production server runs them on
// a thread of their own (scripts/checkpoint-worker.ts) with its own connection: a PASSIVE checkpoint works beside a
// writer, so the ingest worker's batches and the main thread's admissions never wait for one. Elsewhere (dev server,
// scripts) the main thread's connection checkpoints on commit, as SQLite does by default (lib/sqlite-direct.ts).

export type CheckpointerData = { file: string };

/** How often the log is copied back: once a second keeps it small (readers search it) without copying a page often. */
const CHECKPOINT_EVERY_MS = 1_000;

/** The checkpoint thread's loop (on `db`, its own connection), until the server stops it. */
export function runCheckpoints(db: BetterSqlite3.Database, port: MessagePort): void {
  // Never sleeps on a lock: a PASSIVE checkpoint copies what it can and leaves the rest to the next one.
  db.pragma('busy_timeout = 0');
  setInterval(() => {
    try {
      const [result] = db.pragma('wal_checkpoint(PASSIVE)') as { log: number }[];
      // -1: this connection has not seen the log yet — it was opened before the server's first connection switched the
      // database to write-ahead logging (lib/sqlite-direct.ts). Switched here too (the same mode; persistent), the next
      // checkpoint copies it.
      if (result?.log === -1) db.pragma('journal_mode = WAL');
    } catch (err) {
      // A busy database is tried again a second later; committed transactions are never affected.
      port.postMessage({ error: err instanceof Error ? err.message : String(err) });
    }
  }, CHECKPOINT_EVERY_MS);
}

const shared = globalThis as unknown as { tollboothCheckpointer?: Worker | null; tollboothCheckpointerStopping?: boolean };

/** Starts the checkpoint thread on the SQLite database `file`. */
export function startSqliteCheckpointer(workerFile: URL | string, file: string): void {
  if (shared.tollboothCheckpointer) return;
  shared.tollboothCheckpointerStopping = false;
  const data: CheckpointerData = { file };
  const spawn = () => {
    const worker = new Worker(workerFile, { workerData: data });
    worker.on('message', (m: { error?: string }) => log.warn({ error: m.error }, 'a SQLite checkpoint failed; trying again'));
    worker.on('error', (err) => log.error({ err }, 'the SQLite checkpoint thread failed'));
    worker.on('exit', (code) => {
      if (shared.tollboothCheckpointerStopping) return;
      log.error({ code }, 'the SQLite checkpoint thread exited; starting a new one');
      shared.tollboothCheckpointer = spawn();
    });
    // The thread never keeps the process alive on its own.
    worker.unref();
    return worker;
  };
  shared.tollboothCheckpointer = spawn();
}

/** Stops the checkpoint thread (on shutdown). */
export async function stopSqliteCheckpointer(): Promise<void> {
  const worker = shared.tollboothCheckpointer;
  if (!worker) return;
  shared.tollboothCheckpointerStopping = true;
  shared.tollboothCheckpointer = null;
  await worker.terminate();
}
