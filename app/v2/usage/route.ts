import { methodNotAllowed, withApi, readBodyBytes } from '@/lib/api/handler';
import { json } from '@/lib/api/json';
import { microsToUsd } from '@/lib/money';
import { ingestUsageBody } from '@/lib/usage/service';

export const dynamic = 'force-dynamic';

// POST /v2/usage – record LLM calls made outside Tollbooth; idempotent per event_id / request_id
export const POST = withApi(async ({ req, workspaceId, principal, now }) => {
  // Parsed and validated (400s naming the field) with the batch's writing, on the ingest worker's thread.
  const results = await ingestUsageBody(workspaceId, await readBodyBytes(req), principal.keyId, now);
  const accepted = results.filter((r) => r.status === 'created').length;
  return json({
    object: 'usage.ingest',
    accepted,
    duplicates: results.length - accepted,
    data: results.map((r) => ({
      event_id: r.eventId,
      id: r.id,
      identity_id: r.identityId,
      external_id: r.externalId,
      status: r.status,
      ...(r.costMicros !== null ? { cost: microsToUsd(r.costMicros) } : {}),
      priced: r.priced,
    })),
  });
  // A key checked in the last minute is trusted here; the batch's transaction refuses it if revoked since (lib/usage/service.ts).
}, { cachedAuth: true });

const notAllowed = methodNotAllowed(['POST']);
export { notAllowed as GET, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
