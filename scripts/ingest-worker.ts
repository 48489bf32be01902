// The ingest worker thread of the production server (lib/usage/ingest-worker-client.ts): writes the usage batches
// the main thread hands it, each in one transaction on this thread's own database connection, and answers with the
// results or the error. Built by scripts/build-server.mjs into `<distDir>/tollbooth-ingest-worker.mjs`.
import { parentPort } from 'node:worker_threads';
import { ingestUsageHere } from '../lib/usage/service';
import { serializeError, type IngestReply, type IngestRequest } from '../lib/usage/ingest-worker-client';

if (!parentPort) throw new Error('scripts/ingest-worker.ts runs as a worker thread of the server');
const port = parentPort;

port.on('message', (request: IngestRequest) => {
  ingestUsageHere(request.workspaceId, request.records, request.now, request.source).then(
    (results) => port.postMessage({ id: request.id, results } satisfies IngestReply),
    (err: unknown) => port.postMessage({ id: request.id, error: serializeError(err) } satisfies IngestReply),
  );
});
