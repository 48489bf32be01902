import 'server-only';
import { db } from '../db';
import type { Prisma } from '../generated/prisma/client';
import { csvStream, microsToUsdString, type CsvValue } from './csv';
import { EXPORT_PAGE_SIZE } from './identities';

// An identity's usage events, newest first, paged by a (occurredAt, id) cursor on the (identityId, occurredAt) index.

export const EVENT_COLUMNS = [
  'id',
  'event_id',
  'occurred_at',
  'provider',
  'model',
  'input_tokens',
  'output_tokens',
  'total_tokens',
  'cost_usd',
  'priced',
  'estimated',
  'status',
  'error_code',
  'latency_ms',
  'source',
  'request_id',
  'api_key_id',
  'deployment_id',
] as const;

type Cursor = { occurredAt: Date; id: string };

/** The identity must belong to the workspace (the caller resolved it there). */
export function identityEventsCsv(identityId: string): ReadableStream<Uint8Array> {
  return csvStream<Cursor>(EVENT_COLUMNS, async (cursor) => {
    const where: Prisma.UsageEventWhereInput = cursor
      ? { identityId, OR: [{ occurredAt: { lt: cursor.occurredAt } }, { occurredAt: cursor.occurredAt, id: { lt: cursor.id } }] }
      : { identityId };
    const events = await db.usageEvent.findMany({ where, orderBy: [{ occurredAt: 'desc' }, { id: 'desc' }], take: EXPORT_PAGE_SIZE });
    const rows: CsvValue[][] = events.map((e) => [
      e.id,
      e.eventKey,
      e.occurredAt,
      e.provider,
      e.model,
      e.inputTokens,
      e.outputTokens,
      e.totalTokens,
      e.costMicros !== null ? microsToUsdString(e.costMicros) : null,
      e.priced,
      e.estimated,
      e.status,
      e.errorCode,
      e.latencyMs,
      e.source,
      e.requestId,
      e.apiKeyId,
      e.deploymentId,
    ]);
    const last = events.at(-1);
    return { rows, next: events.length === EXPORT_PAGE_SIZE && last ? { occurredAt: last.occurredAt, id: last.id } : null };
  });
}
