import { methodNotAllowed, withApi, readBodyBytes } from '@/lib/api/handler';
import { json } from '@/lib/api/json';
import { ingestUsageBody } from '@/lib/usage/service';
import { serializeIngestResults } from '@/lib/usage/serialize';

export const dynamic = 'force-dynamic';

// POST /v2/usage – record LLM calls made outside Tollbooth; idempotent per event_id / request_id
export const POST = withApi(async ({ req, workspaceId, principal, now }) => {
  // Parsed and validated (400s naming the field) with the batch's writing, on the ingest worker's thread.
  return json(serializeIngestResults(await ingestUsageBody(workspaceId, await readBodyBytes(req), principal.keyId, now)));
  // A key checked in the last minute is trusted here; the batch's transaction refuses it if revoked since (lib/usage/service.ts).
}, { cachedAuth: true });

const notAllowed = methodNotAllowed(['POST']);
export { notAllowed as GET, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
