// The SQLite checkpoint thread of the production server (lib/sqlite-checkpointer.ts): on its own connection to the
// database file, once a second, a PASSIVE checkpoint copies the write-ahead log back into the database. SQLite lets a
// checkpoint run beside a writer, so neither the ingest worker's batches nor the main thread's admissions ever wait
// for one (run by the ingest worker between its transactions, each checkpoint's copy and fsync held up the next
// batch). Built by scripts/build-server.mjs into `<distDir>/tollbooth-checkpoint-worker.mjs`.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { runCheckpoints, type CheckpointerData } from '../lib/sqlite-checkpointer';

if (!parentPort) throw new Error('scripts/checkpoint-worker.ts runs as a worker thread of the server');
runCheckpoints(new Database((workerData as CheckpointerData).file), parentPort);
