import 'server-only';
import { db, type Tx } from '../db';
import { newId } from '../ids';
import { fieldError } from '../api/errors';
import { microsToUsd, usdToMicros } from '../money';
import { addUtcDays, startOfUtcDay } from '../time/periods';
import type { Prisma } from '../generated/prisma/client';
import { createIdentityTx } from '../identities/service';
import { priceCall } from './pricing';
import type { UsageEventInput } from './schema';

export type IngestResult = {
  eventId: string;
  id: string;
  identityId: string;
  externalId: string;
  status: 'created' | 'duplicate';
  costMicros: bigint | null;
  priced: boolean;
};

type IdentityRef = { id: string; externalId: string };

async function resolveIdentity(
  tx: Tx,
  workspaceId: string,
  event: UsageEventInput,
  index: number,
  cache: Map<string, IdentityRef>,
): Promise<IdentityRef> {
  const cacheKey = event.identity_id ? `id:${event.identity_id}` : `ext:${event.external_id}`;
  const cached = cache.get(cacheKey);
  if (cached) return cached;
  let identity: IdentityRef | null;
  if (event.identity_id) {
    identity = await tx.identity.findFirst({ where: { id: event.identity_id, workspaceId }, select: { id: true, externalId: true } });
    if (!identity) throw fieldError('not_found', `events.${index}.identity_id`, `no identity with _id "${event.identity_id}"`);
    if (event.external_id && identity.externalId !== event.external_id) {
      throw fieldError('unprocessable', `events.${index}.external_id`, `does not match the identity ${event.identity_id}`);
    }
  } else {
    const externalId = event.external_id as string;
    identity =
      (await tx.identity.findUnique({ where: { workspaceId_externalId: { workspaceId, externalId } }, select: { id: true, externalId: true } })) ??
      (await createIdentityTx(tx, workspaceId, { external_id: externalId, display_name: event.display_name, email: event.email }, 'usage'));
  }
  cache.set(cacheKey, identity);
  return identity;
}

async function ingestOnce(workspaceId: string, events: UsageEventInput[], now: Date): Promise<IngestResult[]> {
  return db.$transaction(
    async (tx) => {
      const identities = new Map<string, IdentityRef>();
      const results: IngestResult[] = [];
      for (const [index, event] of events.entries()) {
        const eventKey = (event.event_id ?? event.request_id) as string;
        const existing = await tx.usageEvent.findUnique({
          where: { workspaceId_eventKey: { workspaceId, eventKey } },
          include: { identity: { select: { externalId: true } } },
        });
        if (existing) {
          results.push({
            eventId: eventKey,
            id: existing.id,
            identityId: existing.identityId,
            externalId: existing.identity.externalId,
            status: 'duplicate',
            costMicros: existing.costMicros,
            priced: existing.priced,
          });
          continue;
        }
        const identity = await resolveIdentity(tx, workspaceId, event, index, identities);
        const occurredAt = event.timestamp ? new Date(event.timestamp) : now;
        const price =
          event.cost !== undefined
            ? { costMicros: usdToMicros(event.cost) }
            : priceCall({
                provider: event.provider,
                model: event.model,
                inputTokens: event.input_tokens,
                outputTokens: event.output_tokens,
                cacheReadTokens: event.cache_read_tokens,
                cacheWriteTokens: event.cache_write_tokens,
                at: occurredAt,
              });
        const costMicros = price?.costMicros ?? null;
        const totalTokens = event.input_tokens + event.output_tokens;
        const isError = event.status === 'error';
        const created = await tx.usageEvent.create({
          data: {
            id: newId(),
            workspaceId,
            identityId: identity.id,
            eventKey,
            requestId: event.request_id ?? null,
            occurredAt,
            provider: event.provider ?? null,
            model: event.model ?? null,
            inputTokens: event.input_tokens,
            outputTokens: event.output_tokens,
            totalTokens,
            costMicros,
            priced: costMicros !== null,
            status: event.status,
            errorCode: event.error_code ?? null,
            latencyMs: event.latency_ms ?? null,
            source: 'usage',
            ...(event.metadata ? { metadata: event.metadata as Prisma.InputJsonValue } : {}),
          },
        });
        await bumpRollup(tx, workspaceId, identity.id, occurredAt, {
          inputTokens: event.input_tokens,
          outputTokens: event.output_tokens,
          costMicros,
          isError,
        });
        results.push({
          eventId: eventKey,
          id: created.id,
          identityId: identity.id,
          externalId: identity.externalId,
          status: 'created',
          costMicros,
          priced: costMicros !== null,
        });
      }
      return results;
    },
    { timeout: 60_000, maxWait: 30_000 },
  );
}

/** Adds one event to its identity's daily rollup (same transaction as the event). */
export async function bumpRollup(
  tx: Tx,
  workspaceId: string,
  identityId: string,
  occurredAt: Date,
  e: { inputTokens: number; outputTokens: number; costMicros: bigint | null; isError: boolean },
) {
  const day = startOfUtcDay(occurredAt);
  const counts = {
    requests: 1,
    errors: e.isError ? 1 : 0,
    unpricedRequests: e.costMicros === null ? 1 : 0,
    inputTokens: BigInt(e.inputTokens),
    outputTokens: BigInt(e.outputTokens),
    costMicros: e.costMicros ?? 0n,
  };
  await tx.usageDaily.upsert({
    where: { identityId_day: { identityId, day } },
    create: { identityId, day, workspaceId, ...counts },
    update: {
      requests: { increment: counts.requests },
      errors: { increment: counts.errors },
      unpricedRequests: { increment: counts.unpricedRequests },
      inputTokens: { increment: counts.inputTokens },
      outputTokens: { increment: counts.outputTokens },
      costMicros: { increment: counts.costMicros },
    },
  });
}

/**
 * Records a batch of usage events atomically and idempotently: an event whose id was seen before is
 * reported as a duplicate and not counted again; one invalid event rejects the whole batch.
 */
export async function ingestUsage(workspaceId: string, events: UsageEventInput[], now: Date): Promise<IngestResult[]> {
  const seen = new Map<string, number>();
  events.forEach((event, index) => {
    const key = (event.event_id ?? event.request_id) as string;
    const first = seen.get(key);
    if (first !== undefined && JSON.stringify(events[first]) !== JSON.stringify(event)) {
      throw fieldError('unprocessable', `events.${index}.event_id`, `repeats events.${first} with different content`);
    }
    seen.set(key, first ?? index);
  });
  // A concurrent batch may create the same identity or event first: retry, and the retry sees it.
  for (let attempt = 1; ; attempt++) {
    try {
      return await ingestOnce(workspaceId, events, now);
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (code !== 'P2002' || attempt >= 3) throw err;
    }
  }
}

export type UsageEventRow = {
  id: string;
  eventKey: string;
  occurredAt: Date;
  provider: string | null;
  model: string | null;
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  costUsd: number | null;
  priced: boolean;
  status: 'success' | 'error';
  errorCode: string | null;
  latencyMs: number | null;
};

export async function listUsageEvents(
  workspaceId: string,
  identityId: string,
  opts: { page: number; pageSize: number },
): Promise<{ rows: UsageEventRow[]; total: number; page: number; pageCount: number }> {
  // Filter on the identity alone so SQLite uses the (identityId, occurredAt) index; the
  // workspace check is done once up front.
  const owned = await db.identity.count({ where: { id: identityId, workspaceId } });
  const where = { identityId: owned ? identityId : '' };
  const total = await db.usageEvent.count({ where });
  const pageCount = Math.max(1, Math.ceil(total / opts.pageSize));
  const page = Math.min(Math.max(1, Math.floor(opts.page) || 1), pageCount);
  const rows = await db.usageEvent.findMany({
    where,
    orderBy: [{ occurredAt: 'desc' }, { id: 'desc' }],
    skip: (page - 1) * opts.pageSize,
    take: opts.pageSize,
  });
  return {
    rows: rows.map((r) => ({
      id: r.id,
      eventKey: r.eventKey,
      occurredAt: r.occurredAt,
      provider: r.provider,
      model: r.model,
      inputTokens: r.inputTokens,
      outputTokens: r.outputTokens,
      totalTokens: r.totalTokens,
      costUsd: r.costMicros !== null ? microsToUsd(r.costMicros) : null,
      priced: r.priced,
      status: r.status as 'success' | 'error',
      errorCode: r.errorCode,
      latencyMs: r.latencyMs,
    })),
    total,
    page,
    pageCount,
  };
}

export type DailyUsage = { day: string; costUsd: number; requests: number; tokens: number; errors: number };

/** One point per UTC day for the last `days` days (zero-filled), oldest first. */
export async function dailyUsage(workspaceId: string, identityId: string, now: Date, days = 30): Promise<DailyUsage[]> {
  const today = startOfUtcDay(now);
  const first = addUtcDays(today, -(days - 1));
  const rows = await db.usageDaily.findMany({ where: { identityId, workspaceId, day: { gte: first, lte: today } } });
  const byDay = new Map(rows.map((r) => [r.day.toISOString().slice(0, 10), r]));
  return Array.from({ length: days }, (_, i) => {
    const day = addUtcDays(first, i).toISOString().slice(0, 10);
    const r = byDay.get(day);
    return {
      day,
      costUsd: r ? microsToUsd(r.costMicros) : 0,
      requests: r?.requests ?? 0,
      tokens: r ? Number(r.inputTokens + r.outputTokens) : 0,
      errors: r?.errors ?? 0,
    };
  });
}

