import { isMainThread, workerData } from 'node:worker_threads';

// One writer at a time across the server's threads. The main thread and the ingest worker thread
// (lib/usage/ingest-worker-client.ts) each have their own SQLite connection to the same file. SQLite allows one
// writer, and a connection that must wait for another's transaction does so with a synchronous sleep — on the main
// thread that would stall every request — or fails outright when its transaction had read first (SQLITE_BUSY with
// a stale snapshot). So every transaction on either connection first takes this lock, waiting for it
// asynchronously: the threads take turns, and SQLite never sees two of ours writing at once. The main thread is
// preferred: the worker lets a waiting main-thread transaction (an admission, a Studio change) go first.
// The lock lives in shared memory: [0] holder (0 none, 1 main thread, 2 worker), [1] main-thread waiters.

const FREE = 0;
const MAIN = 1;
const WORKER = 2;

const shared = globalThis as unknown as { tollboothSqliteWriteLock?: Int32Array };

/** The lock's memory: the main thread makes it; a worker gets it through workerData (`sqliteWriteLock`). */
function cells(): Int32Array {
  if (!shared.tollboothSqliteWriteLock) {
    const given = !isMainThread ? (workerData as { sqliteWriteLock?: SharedArrayBuffer } | null)?.sqliteWriteLock : undefined;
    shared.tollboothSqliteWriteLock = new Int32Array(given ?? new SharedArrayBuffer(8));
  }
  return shared.tollboothSqliteWriteLock;
}

/** What a worker thread needs to share this thread's lock (pass it in workerData). */
export const sqliteWriteLockForWorker = (): { sqliteWriteLock: SharedArrayBuffer } => ({ sqliteWriteLock: cells().buffer as SharedArrayBuffer });

/** Resolves when the value at `index` may have changed from `value` (or after `ms`, to look again). */
async function changed(lock: Int32Array, index: number, value: number, ms: number): Promise<void> {
  const waited = Atomics.waitAsync(lock, index, value, ms);
  if (waited.async) await waited.value;
}

/** Takes the lock for this thread; resolves once it holds it. Never blocks the event loop. */
export async function acquireSqliteWriteLock(): Promise<void> {
  const lock = cells();
  const me = isMainThread ? MAIN : WORKER;
  if (me === MAIN) Atomics.add(lock, 1, 1);
  try {
    for (;;) {
      if (tryAcquireSqliteWriteLock()) return;
      const holder = Atomics.load(lock, 0);
      // Held: wait for its release. Free but a main-thread transaction is about to take it: look again shortly.
      await changed(lock, 0, holder, holder === FREE ? 2 : 1_000);
    }
  } finally {
    if (me === MAIN) Atomics.sub(lock, 1, 1);
  }
}

/** Takes the lock for this thread if it is free right now (a worker leaves it to a waiting main thread); true if it did. */
export function tryAcquireSqliteWriteLock(): boolean {
  const lock = cells();
  const me = isMainThread ? MAIN : WORKER;
  if (me === WORKER && Atomics.load(lock, 1) > 0) return false;
  return Atomics.compareExchange(lock, 0, FREE, me) === FREE;
}

/** Gives the lock back (by the thread that holds it). */
export function releaseSqliteWriteLock(): void {
  const lock = cells();
  Atomics.store(lock, 0, FREE);
  Atomics.notify(lock, 0);
}

/** After a worker thread died: frees the lock if it held it (its transaction was rolled back with its connection). */
export function releaseSqliteWriteLockOfDeadWorker(): void {
  const lock = cells();
  if (Atomics.compareExchange(lock, 0, WORKER, FREE) === WORKER) Atomics.notify(lock, 0);
}
