// Wire shapes of POST /v2/usage's and POST /v2/usage/check's answers, USD at the edge.
import type { CheckResult } from '../budgets/check';
import { serializeBudgetStatus } from '../budgets/serialize';
import { microsToUsd } from '../money';
import type { CheckResponse, IngestResponse } from './schema';
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

export function serializeCheckResult({ identity, externalId, statuses, reservation }: CheckResult): CheckResponse {
  const own = statuses.find((s) => s.scopeKind === 'identity') ?? statuses[0];
  return {
    allowed: true,
    ...(identity ? { identity_id: identity.id } : {}),
    ...(externalId !== undefined ? { external_id: externalId } : {}),
    ...(reservation
      ? {
          reservation_id: reservation.id,
          reservation: {
            reservation_id: reservation.id,
            ...(reservation.costMicros !== null ? { amount: microsToUsd(reservation.costMicros) } : {}),
            tokens: reservation.tokens,
            expires_at: reservation.expiresAt.toISOString(),
          },
        }
      : {}),
    ...(own ? { budget: serializeBudgetStatus(own) } : {}),
    budgets: statuses.map(serializeBudgetStatus),
  };
}
