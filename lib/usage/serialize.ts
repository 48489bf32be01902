// Wire shape of POST /v2/usage's answer: one result per event, USD at the edge.
import { microsToUsd } from '../money';
import type { IngestResponse } from './schema';
import type { IngestResult } from './service';

export function serializeIngestResults(results: IngestResult[]): IngestResponse {
  const accepted = results.filter((r) => r.status === 'created').length;
  return {
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
  };
}
