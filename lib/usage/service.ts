import 'server-only';
import { db, type Tx } from '../db';
import { newId } from '../ids';
import { ApiError, fieldError } from '../api/errors';
import { microsToUsd, usdToMicros } from '../money';
import { addUtcDays, startOfUtcDay } from '../time/periods';
import { Prisma } from '../generated/prisma/client';
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

/** Where an event came from: `POST /v2/usage` or the gateway (which also creates identities as "gateway"). */
export type UsageSource = 'usage' | 'gateway';

/** SQLite binds at most 32,766 parameters per statement; stay well below. */
const CHUNK = 500;

function chunks<T>(items: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const eventKeyOf = (event: UsageEventInput) => (event.event_id ?? event.request_id) as string;

/** Resolves every event's identity with a few queries; unknown external ids are created (source "usage"). */
async function resolveIdentities(tx: Tx, workspaceId: string, events: { event: UsageEventInput; index: number }[], source: UsageSource) {
  const byId = new Map<string, IdentityRef>();
  const byExternal = new Map<string, IdentityRef>();
  const ids = [...new Set(events.map(({ event }) => event.identity_id).filter((v): v is string => Boolean(v)))];
  const externals = [...new Set(events.filter(({ event }) => !event.identity_id).map(({ event }) => event.external_id as string))];
  for (const part of chunks(ids)) {
    const rows = await tx.identity.findMany({ where: { workspaceId, id: { in: part } }, select: { id: true, externalId: true } });
    for (const r of rows) byId.set(r.id, r);
  }
  for (const part of chunks(externals)) {
    const rows = await tx.identity.findMany({ where: { workspaceId, externalId: { in: part } }, select: { id: true, externalId: true } });
    for (const r of rows) byExternal.set(r.externalId, r);
  }
  const resolved = new Map<number, IdentityRef>();
  for (const { event, index } of events) {
    if (event.identity_id) {
      const identity = byId.get(event.identity_id);
      if (!identity) throw fieldError('not_found', `events.${index}.identity_id`, `no identity with _id "${event.identity_id}"`);
      if (event.external_id && identity.externalId !== event.external_id) {
        throw fieldError('unprocessable', `events.${index}.external_id`, `does not match the identity ${event.identity_id}`);
      }
      resolved.set(index, identity);
      continue;
    }
    const externalId = event.external_id as string;
    let identity = byExternal.get(externalId);
    if (!identity) {
      try {
        identity = await createIdentityTx(tx, workspaceId, { external_id: externalId, display_name: event.display_name, email: event.email }, source);
      } catch (err) {
        // Another batch created it after our lookup: retry the batch, which will then find it.
        if (err instanceof ApiError && err.code === 'conflict') throw Object.assign(new Error(`identity ${externalId} was created concurrently`), { code: 'P2002' });
        throw err;
      }
      byExternal.set(externalId, identity);
    }
    resolved.set(index, identity);
  }
  return resolved;
}

function priceOf(event: UsageEventInput, occurredAt: Date): bigint | null {
  if (event.cost !== undefined) return usdToMicros(event.cost);
  const price = priceCall({
    provider: event.provider,
    model: event.model,
    inputTokens: event.input_tokens,
    outputTokens: event.output_tokens,
    cacheReadTokens: event.cache_read_tokens,
    cacheWriteTokens: event.cache_write_tokens,
    at: occurredAt,
  });
  return price?.costMicros ?? null;
}

type RollupDelta = { inputTokens: number; outputTokens: number; costMicros: bigint | null; isError: boolean };

/** One upsert per (identity, UTC day) for the whole batch, in the batch's transaction. */
async function bumpRollups(tx: Tx, workspaceId: string, rows: { identityId: string; occurredAt: Date; delta: RollupDelta }[]) {
  const groups = new Map<string, { identityId: string; day: Date; requests: number; errors: number; unpricedRequests: number; inputTokens: bigint; outputTokens: bigint; costMicros: bigint }>();
  for (const { identityId, occurredAt, delta } of rows) {
    const day = startOfUtcDay(occurredAt);
    const key = `${identityId}|${day.getTime()}`;
    const g = groups.get(key) ?? { identityId, day, requests: 0, errors: 0, unpricedRequests: 0, inputTokens: 0n, outputTokens: 0n, costMicros: 0n };
    g.requests += 1;
    g.errors += delta.isError ? 1 : 0;
    g.unpricedRequests += delta.costMicros === null ? 1 : 0;
    g.inputTokens += BigInt(delta.inputTokens);
    g.outputTokens += BigInt(delta.outputTokens);
    g.costMicros += delta.costMicros ?? 0n;
    groups.set(key, g);
  }
  // One multi-row INSERT … ON CONFLICT per chunk instead of an upsert per group.
  for (const part of chunks([...groups.values()], 100)) {
    const values = part.map(
      (g) => Prisma.sql`(${g.identityId}, ${g.day}, ${workspaceId}, ${g.requests}, ${g.errors}, ${g.unpricedRequests}, ${g.inputTokens}, ${g.outputTokens}, ${g.costMicros})`,
    );
    await tx.$executeRaw`
      INSERT INTO "UsageDaily" ("identityId", "day", "workspaceId", "requests", "errors", "unpricedRequests", "inputTokens", "outputTokens", "costMicros")
      VALUES ${Prisma.join(values)}
      ON CONFLICT ("identityId", "day") DO UPDATE SET
        "requests" = "UsageDaily"."requests" + excluded."requests",
        "errors" = "UsageDaily"."errors" + excluded."errors",
        "unpricedRequests" = "UsageDaily"."unpricedRequests" + excluded."unpricedRequests",
        "inputTokens" = "UsageDaily"."inputTokens" + excluded."inputTokens",
        "outputTokens" = "UsageDaily"."outputTokens" + excluded."outputTokens",
        "costMicros" = "UsageDaily"."costMicros" + excluded."costMicros"`;
  }
}

async function ingestOnce(workspaceId: string, events: UsageEventInput[], now: Date, source: UsageSource): Promise<IngestResult[]> {
  return db.$transaction(
    async (tx) => {
      const results: IngestResult[] = new Array(events.length);
      // 1. Events seen before (earlier batches) are duplicates.
      const keys = [...new Set(events.map(eventKeyOf))];
      const existing = new Map<string, IngestResult>();
      for (const part of chunks(keys)) {
        const rows = await tx.usageEvent.findMany({
          where: { workspaceId, eventKey: { in: part } },
          select: { id: true, eventKey: true, identityId: true, costMicros: true, priced: true, identity: { select: { externalId: true } } },
        });
        for (const r of rows) {
          existing.set(r.eventKey, {
            eventId: r.eventKey,
            id: r.id,
            identityId: r.identityId,
            externalId: r.identity.externalId,
            status: 'duplicate',
            costMicros: r.costMicros,
            priced: r.priced,
          });
        }
      }
      // 2. The first occurrence of each new key is created; a repeat within the batch is its duplicate.
      const fresh: { event: UsageEventInput; index: number }[] = [];
      const firstIndex = new Map<string, number>();
      events.forEach((event, index) => {
        const key = eventKeyOf(event);
        if (existing.has(key) || firstIndex.has(key)) return;
        firstIndex.set(key, index);
        fresh.push({ event, index });
      });
      const identities = await resolveIdentities(tx, workspaceId, fresh, source);
      const rows = fresh.map(({ event, index }) => {
        const identity = identities.get(index) as IdentityRef;
        const occurredAt = event.timestamp ? new Date(event.timestamp) : now;
        const costMicros = priceOf(event, occurredAt);
        const id = newId();
        results[index] = { eventId: eventKeyOf(event), id, identityId: identity.id, externalId: identity.externalId, status: 'created', costMicros, priced: costMicros !== null };
        return {
          data: {
            id,
            workspaceId,
            identityId: identity.id,
            eventKey: eventKeyOf(event),
            requestId: event.request_id ?? null,
            occurredAt,
            provider: event.provider ?? null,
            model: event.model ?? null,
            inputTokens: event.input_tokens,
            outputTokens: event.output_tokens,
            totalTokens: event.input_tokens + event.output_tokens,
            costMicros,
            priced: costMicros !== null,
            status: event.status,
            errorCode: event.error_code ?? null,
            latencyMs: event.latency_ms ?? null,
            source,
            ...(event.metadata ? { metadata: event.metadata as Prisma.InputJsonValue } : {}),
          },
          delta: { inputTokens: event.input_tokens, outputTokens: event.output_tokens, costMicros, isError: event.status === 'error' },
        };
      });
      for (const part of chunks(rows, 200)) await tx.usageEvent.createMany({ data: part.map((r) => r.data) });
      await bumpRollups(tx, workspaceId, rows.map((r) => ({ identityId: r.data.identityId, occurredAt: r.data.occurredAt, delta: r.delta })));
      // 3. Everything else points at what already existed or was created first in this batch.
      events.forEach((event, index) => {
        if (results[index]) return;
        const key = eventKeyOf(event);
        const prior = existing.get(key) ?? results[firstIndex.get(key) as number];
        results[index] = { ...prior, status: 'duplicate' };
      });
      return results;
    },
    { timeout: 60_000, maxWait: 30_000 },
  );
}

/**
 * Records a batch of usage events atomically and idempotently: an event whose id was seen before is
 * reported as a duplicate and not counted again; one invalid event rejects the whole batch.
 */
export async function ingestUsage(
  workspaceId: string,
  events: UsageEventInput[],
  now: Date,
  source: UsageSource = 'usage',
): Promise<IngestResult[]> {
  const seen = new Map<string, number>();
  events.forEach((event, index) => {
    const key = eventKeyOf(event);
    const first = seen.get(key);
    if (first !== undefined && JSON.stringify(events[first]) !== JSON.stringify(event)) {
      throw fieldError('unprocessable', `events.${index}.event_id`, `repeats events.${first} with different content`);
    }
    seen.set(key, first ?? index);
  });
  // A concurrent batch may create the same identity or event first (unique violation), or collide
  // with it (PostgreSQL write conflict / deadlock): retry, and the retry sees what the other wrote.
  for (let attempt = 1; ; attempt++) {
    try {
      return await ingestOnce(workspaceId, events, now, source);
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (!RETRYABLE.has(String(code)) || attempt >= MAX_ATTEMPTS) throw err;
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * attempt));
    }
  }
}

const RETRYABLE = new Set(['P2002', 'P2034']);
const MAX_ATTEMPTS = 8;

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

