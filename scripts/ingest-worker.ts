// The ingest worker thread of the production server (lib/usage/ingest-worker-client.ts): writes the usage batches
// the main thread hands it on this thread's own database connection, and answers each with its results or its error.
// Batches that arrive while the writers are busy queue up and are then written together, one transaction with a
// savepoint per batch (group commit, ingestGroupHere): under load one commit serves several batches. Built by
// scripts/build-server.mjs into `<distDir>/tollbooth-ingest-worker.mjs`.
import { parentPort } from 'node:worker_threads';
import { dbProvider } from '../lib/db';
import { ingestGroupHere, type IngestOutcome } from '../lib/usage/service';
import { packResults, serializeError, type IngestBodyRequest, type IngestReply, type IngestRequest } from '../lib/usage/ingest-worker-client';
import { usageRecordsFromBody } from '../lib/usage/schema';

if (!parentPort) throw new Error('scripts/ingest-worker.ts runs as a worker thread of the server');
const port = parentPort;

/** A group stops growing at this many events: a transaction's length (and the wait of the batches in it) stays bounded. */
const GROUP_EVENTS = 5_000;
/**
 * Groups written at once. SQLite has a single writer; PostgreSQL's backends write several transactions side by side
 * while this thread prepares the next (concurrent batches that collide are retried, as ingest always does).
 */
const WRITERS = dbProvider === 'postgresql' ? 4 : 1;

const queue: IngestRequest[] = [];
let writing = 0;

port.on('message', (message: IngestRequest | IngestBodyRequest) => {
  let request: IngestRequest;
  if ('body' in message) {
    // POST /v2/usage's body: parsed and validated here; an invalid one is answered at once with its 400.
    const { id, workspaceId, body, apiKeyId, now } = message;
    try {
      request = { id, workspaceId, records: usageRecordsFromBody(body, apiKeyId), now, source: 'usage' };
    } catch (err) {
      port.postMessage({ id, error: serializeError(err) } satisfies IngestReply);
      return;
    }
  } else {
    request = message;
  }
  queue.push(request);
  drainSoon();
});

let drainScheduled = false;
/**
 * SQLite (one writer): drains once the batches already sent to this thread have arrived. A group's writing holds the
 * thread, so the batches posted meanwhile are delivered together after it; draining at the first of them started the
 * next group with that one batch alone (measured: every group was a single batch). On the next turn of the loop the
 * group takes them all. PostgreSQL drains at once: a free writer there takes a batch alone rather than grouping it
 * (larger groups of the four writers held their rollup rows' locks longer: slower, measured).
 */
function drainSoon() {
  if (WRITERS > 1) return drain();
  if (drainScheduled) return;
  drainScheduled = true;
  setImmediate(() => {
    drainScheduled = false;
    drain();
  });
}

/** Starts writing queued batches, as many groups as there are free writers. */
function drain() {
  while (writing < WRITERS && queue.length > 0) {
    const group = [queue.shift() as IngestRequest];
    let events = group[0].records.length;
    while (queue.length > 0 && events + queue[0].records.length <= GROUP_EVENTS) {
      events += queue[0].records.length;
      group.push(queue.shift() as IngestRequest);
    }
    writing++;
    void write(group).finally(() => {
      writing--;
      drainSoon();
    });
  }
}

async function write(group: IngestRequest[]) {
  const outcomes: IngestOutcome[] = await ingestGroupHere(group).catch((err: unknown) => group.map(() => ({ error: err })));
  outcomes.forEach((outcome, i) => {
    const id = group[i].id;
    port.postMessage(('results' in outcome ? { id, results: packResults(outcome.results) } : { id, error: serializeError(outcome.error) }) satisfies IngestReply);
  });
}
