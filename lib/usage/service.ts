import 'server-only';
import { db, dbProvider, type Tx } from '../db';
import { execute, inList, insertRows, query, type PgColumn } from '../sql-exec';
import { isForeignKeyViolation, isUniqueViolation, isWriteConflict } from '../db-errors';
import { metrics } from '../metrics/registry';
import { newId } from '../ids';
import { ApiError, fieldError } from '../api/errors';
import { startOfUtcDay } from '../time/periods';
import { Prisma } from '../generated/prisma/client';
import { sortNameOf } from '../identities/search';
import { priceCall, priceKey, splitModel, type CustomPrice, type PriceBook, type PriceResult } from './pricing';
import { MAX_EVENT_COST_USD, usageRecordsFromBody, type UsageRecord } from './schema';
import { formatUsd, microsToUsd, usdToMicros } from '../money';
import { bumpWindowTotalsTx, foldWindowDeltasSoon } from './window-totals';
import { recordEventKeys } from './event-keys';
import { lockIdentities } from './identity-locks';
import { retentionCutoff, retentionDaysFrom } from './retention-policy';
import { addToCounters, counterKey, settleHeld, takeReservations, type CounterDelta, type HeldSettlement, type Hold, type TakenReservation } from '../budgets/counters';
import { cachedBudgetsFor, configSeenBy, invalidateWorkspaceConfig, pricesFor, readBudgetsFor, rememberIdentity, type WorkspaceConfig } from '../workspaces/config';
import { budgetApplies, callTarget, windowKeyAt, type CallScope } from '../budgets/scopes';
import type { BudgetRow } from '../workspaces/config';
import { budgetAlertsAfterUsageTx } from '../alerts/hooks';
import { ingestWorker } from './ingest-worker-client';
import { pgTransactionScope } from '../pg-direct';
import type { TouchedCounter } from '../alerts/fire';
import { offsetPage, type NumberedPage, type Paging } from '../pagination/offset';

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

type Indexed = { record: UsageRecord; index: number };

/**
 * Resolves every record's identity with a few queries; unknown external ids are created. External ids the current
 * configuration remembers (configSeenBy: no identity was deleted since) are not looked up.
 */
async function resolveIdentities(tx: Tx, workspaceId: string, items: Indexed[], source: UsageSource, config: WorkspaceConfig | null, trustGateway: boolean) {
  const byId = new Map<string, IdentityRef>();
  const byExternal = new Map<string, IdentityRef>();
  // The gateway's records name the identity their call was admitted for: looked up only once one was found gone.
  const ids = [...new Set(items.filter(({ record }) => !trustGateway || !record.fromGateway).map(({ record }) => record.identityId).filter((v): v is string => Boolean(v)))];
  const externals: string[] = [];
  for (const external of new Set(items.filter(({ record }) => !record.identityId).map(({ record }) => record.externalId as string))) {
    const known = config?.identities.get(external);
    if (known) byExternal.set(external, known);
    else externals.push(external);
  }
  for (const part of chunks(ids)) {
    const rows = await query<IdentityRef>(tx, Prisma.sql`SELECT "id", "externalId" FROM "Identity" WHERE "workspaceId" = ${workspaceId} AND ${inList(Prisma.sql`"id"`, part)}`);
    for (const r of rows) byId.set(r.id, r);
  }
  for (const part of chunks(externals)) {
    const rows = await query<IdentityRef>(tx, Prisma.sql`SELECT "id", "externalId" FROM "Identity" WHERE "workspaceId" = ${workspaceId} AND ${inList(Prisma.sql`"externalId"`, part)}`);
    for (const r of rows) byExternal.set(r.externalId, r);
  }
  // Identities first named by this batch: created together, one multi-row statement per chunk.
  const missing = new Map<string, UsageRecord>();
  for (const { record } of items) {
    if (!record.identityId && !byExternal.has(record.externalId as string) && !missing.has(record.externalId as string)) missing.set(record.externalId as string, record);
  }
  if (missing.size > 0) for (const created of await createUsageIdentities(tx, workspaceId, [...missing.values()], source)) byExternal.set(created.externalId, created);
  const resolved = new Map<number, IdentityRef>();
  /** Gateway calls whose identity was deleted while they were in flight (its usage deleted with it). */
  const gone = new Set<number>();
  for (const { record, index } of items) {
    if (record.fromGateway && record.identityId && record.externalId) {
      if (!trustGateway && !byId.has(record.identityId)) gone.add(index);
      resolved.set(index, { id: record.identityId, externalId: record.externalId });
      continue;
    }
    if (record.identityId) {
      const identity = byId.get(record.identityId);
      if (!identity) throw fieldError('not_found', `events.${index}.identity_id`, `no identity with _id "${record.identityId}"`);
      if (record.externalId && identity.externalId !== record.externalId) {
        throw fieldError('unprocessable', `events.${index}.external_id`, `does not match the identity ${record.identityId}`);
      }
      resolved.set(index, identity);
      continue;
    }
    resolved.set(index, byExternal.get(record.externalId as string) as IdentityRef);
  }
  return { resolved, gone };
}

/**
 * Creates the identities a batch names for the first time (external id, and the display name and email of the
 * first event naming each), as the API would with no tags or metadata; one that another batch creates meanwhile
 * is kept as it is (ON CONFLICT DO NOTHING) and read back like the rest.
 */
async function createUsageIdentities(tx: Tx, workspaceId: string, records: UsageRecord[], source: UsageSource): Promise<IdentityRef[]> {
  const now = new Date();
  const emptyObject = dbProvider === 'postgresql' ? Prisma.sql`'{}'::jsonb` : Prisma.sql`'{}'`;
  const emptyList = dbProvider === 'postgresql' ? Prisma.sql`'[]'::jsonb` : Prisma.sql`'[]'`;
  const out: IdentityRef[] = [];
  for (const part of chunks(records, 200)) {
    const values = part.map((r) => {
      const externalId = r.externalId as string;
      return Prisma.sql`(${newId()}, ${workspaceId}, ${externalId}, ${r.displayName ?? null}, ${r.email ?? null}, ${emptyObject}, ${emptyList},
        ${sortNameOf(r.displayName, externalId)}, ${source}, ${now}, ${now})`;
    });
    await execute(
      tx,
      Prisma.sql`INSERT INTO "Identity" ("id", "workspaceId", "externalId", "displayName", "email", "metadata", "tags", "sortName", "source", "createdAt", "updatedAt")
        VALUES ${Prisma.join(values)} ON CONFLICT ("workspaceId", "externalId") DO NOTHING`,
    );
    out.push(
      ...(await query<IdentityRef>(
        tx,
        Prisma.sql`SELECT "id", "externalId" FROM "Identity" WHERE "workspaceId" = ${workspaceId} AND ${inList(Prisma.sql`"externalId"`, part.map((r) => r.externalId as string))}`,
      )),
    );
  }
  return out;
}

/** What a record is charged in micro-USD (the caller's stated cost, else its price), null when it has no price. */
export const chargedMicros = (record: UsageRecord, occurredAt: Date, prices: PriceBook): bigint | null => priceOf(record, occurredAt, prices).costMicros;

/** What an event is charged and with which price (kept on the event). */
function priceOf(record: UsageRecord, occurredAt: Date, current: PriceBook): { costMicros: bigint | null; pricing: Prisma.InputJsonValue | undefined } {
  if (record.costMicros !== undefined) return { costMicros: record.costMicros, pricing: { source: 'caller' } };
  const prices = record.admittedPrice === undefined ? current : admittedPriceBook(record, record.admittedPrice);
  const price = priceCall(
    {
      provider: record.provider,
      model: record.model,
      inputTokens: record.inputTokens,
      outputTokens: record.outputTokens,
      cacheReadTokens: record.cacheReadTokens,
      cacheWriteTokens: record.cacheWriteTokens,
      at: occurredAt,
    },
    prices,
  );
  if (!price) return { costMicros: null, pricing: undefined };
  return { costMicros: price.costMicros, pricing: pricingJson(price) };
}

const NO_PRICES: PriceBook = new Map();

/** The prices a gateway call was admitted under, as far as they concern it: its custom price, or none. */
function admittedPriceBook(record: UsageRecord, price: CustomPrice | null): PriceBook {
  if (!price || !record.model) return NO_PRICES;
  const { provider, model } = splitModel(record.provider, record.model);
  return provider ? new Map([[priceKey(provider, model), price]]) : NO_PRICES;
}

/** The price an event was charged with, as stored on it. */
export function pricingJson(price: NonNullable<PriceResult>): Prisma.InputJsonValue {
  const custom = price.custom;
  return {
    source: price.source,
    provider: price.provider,
    model: price.model,
    ...(custom
      ? {
          input_micros_per_mtok: custom.inputMicrosPerMTok.toString(),
          output_micros_per_mtok: custom.outputMicrosPerMTok.toString(),
          ...(custom.cacheReadMicrosPerMTok !== null ? { cache_read_micros_per_mtok: custom.cacheReadMicrosPerMTok.toString() } : {}),
          ...(custom.cacheWriteMicrosPerMTok !== null ? { cache_write_micros_per_mtok: custom.cacheWriteMicrosPerMTok.toString() } : {}),
        }
      : {}),
  };
}

type EventRow = {
  id: string;
  workspaceId: string;
  identityId: string;
  eventKey: string;
  requestId: string | null;
  occurredAt: Date;
  provider: string | null;
  model: string | null;
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  costMicros: bigint | null;
  priced: boolean;
  status: string;
  errorCode: string | null;
  latencyMs: number | null;
  source: string;
  estimated: boolean;
  apiKeyId: string | null;
  reservationId: string | null;
  deploymentId: string | null;
  pricing?: Prisma.InputJsonValue;
  metadata?: Prisma.InputJsonValue;
};

const EVENT_COLUMNS: PgColumn[] = [
  { name: 'id', type: 'text' },
  { name: 'workspaceId', type: 'text' },
  { name: 'identityId', type: 'text' },
  { name: 'eventKey', type: 'text' },
  { name: 'requestId', type: 'text' },
  { name: 'occurredAt', type: 'timestamp(3)' },
  { name: 'provider', type: 'text' },
  { name: 'model', type: 'text' },
  { name: 'inputTokens', type: 'integer' },
  { name: 'outputTokens', type: 'integer' },
  { name: 'totalTokens', type: 'integer' },
  { name: 'cacheReadTokens', type: 'integer' },
  { name: 'cacheWriteTokens', type: 'integer' },
  { name: 'costMicros', type: 'bigint' },
  { name: 'priced', type: 'boolean' },
  { name: 'status', type: 'text' },
  { name: 'errorCode', type: 'text' },
  { name: 'latencyMs', type: 'integer' },
  { name: 'source', type: 'text' },
  { name: 'metadata', type: 'jsonb' },
  { name: 'estimated', type: 'boolean' },
  { name: 'pricing', type: 'jsonb' },
  { name: 'apiKeyId', type: 'text' },
  { name: 'reservationId', type: 'text' },
  { name: 'deploymentId', type: 'text' },
  { name: 'createdAt', type: 'timestamp(3)' },
];
/** A batch's events in few statements (insertRows; PostgreSQL: one binary COPY): the ingest hot path skips the ORM's per-query planning. */
async function insertEvents(tx: Tx, rows: EventRow[]): Promise<void> {
  // PostgreSQL: the events' keys first (their unique index is not on the partitioned table, lib/usage/event-keys.ts).
  if (dbProvider === 'postgresql') await recordEventKeys(tx, rows);
  const createdAt = new Date();
  const values = rows.map((r) => [r.id, r.workspaceId, r.identityId, r.eventKey, r.requestId, r.occurredAt, r.provider, r.model, r.inputTokens, r.outputTokens,
    r.totalTokens, r.cacheReadTokens, r.cacheWriteTokens, r.costMicros, r.priced, r.status, r.errorCode, r.latencyMs, r.source, r.metadata ?? null, r.estimated, r.pricing ?? null, r.apiKeyId,
    r.reservationId, r.deploymentId, createdAt]);
  await insertRows(tx, 'UsageEvent', EVENT_COLUMNS, values, 200);
}

type RollupDelta = { inputTokens: number; outputTokens: number; costMicros: bigint | null; isError: boolean };

const ROLLUP_COLUMNS: PgColumn[] = [
  { name: 'identityId', type: 'text' },
  { name: 'day', type: 'timestamp(3)' },
  { name: 'workspaceId', type: 'text' },
  { name: 'requests', type: 'integer' },
  { name: 'errors', type: 'integer' },
  { name: 'unpricedRequests', type: 'integer' },
  { name: 'inputTokens', type: 'bigint' },
  { name: 'outputTokens', type: 'bigint' },
  { name: 'costMicros', type: 'bigint' },
];

const ROLLUP_UPSERT = `ON CONFLICT ("identityId", "day") DO UPDATE SET
  "requests" = "UsageDaily"."requests" + excluded."requests",
  "errors" = "UsageDaily"."errors" + excluded."errors",
  "unpricedRequests" = "UsageDaily"."unpricedRequests" + excluded."unpricedRequests",
  "inputTokens" = "UsageDaily"."inputTokens" + excluded."inputTokens",
  "outputTokens" = "UsageDaily"."outputTokens" + excluded."outputTokens",
  "costMicros" = "UsageDaily"."costMicros" + excluded."costMicros"`;

/** One upsert per (identity, UTC day) for the whole batch, in the batch's transaction. */
export async function bumpRollups(tx: Tx, workspaceId: string, rows: { identityId: string; occurredAt: Date; delta: RollupDelta }[]) {
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
  // One multi-row INSERT … ON CONFLICT per chunk instead of an upsert per group (PostgreSQL: one, from a JSON document).
  const values = [...groups.values()].map((g) => [g.identityId, g.day, workspaceId, g.requests, g.errors, g.unpricedRequests, g.inputTokens, g.outputTokens, g.costMicros]);
  await insertRows(tx, 'UsageDaily', ROLLUP_COLUMNS, values, 100, ROLLUP_UPSERT);
}

/** An event recorded earlier, as much of it as a replay is compared with and answered from. */
type StoredEvent = {
  id: string;
  eventKey: string;
  identityId: string;
  identity: { externalId: string };
  provider: string | null;
  model: string | null;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  costMicros: bigint | null;
  priced: boolean;
  status: string;
  occurredAt: Date;
};

type StoredRow = Omit<StoredEvent, 'identity' | 'inputTokens' | 'outputTokens' | 'cacheReadTokens' | 'cacheWriteTokens' | 'costMicros' | 'priced' | 'occurredAt'> & {
  externalId: string;
  inputTokens: number | bigint;
  outputTokens: number | bigint;
  cacheReadTokens: number | bigint;
  cacheWriteTokens: number | bigint;
  costMicros: number | bigint | string | null;
  priced: boolean | number | bigint;
  occurredAt: Date | string;
};

/** The events stored under `keys` in a workspace, with their identity's external id (a batch's replay lookup). */
export function storedEventsQuery(workspaceId: string, keys: string[]): Prisma.Sql {
  const columns = (externalId: Prisma.Sql) => Prisma.sql`e."id", e."eventKey", e."identityId", ${externalId} AS "externalId", e."provider", e."model",
        e."inputTokens", e."outputTokens", e."cacheReadTokens", e."cacheWriteTokens", e."costMicros", e."priced", e."status", e."occurredAt"`;
  // PostgreSQL partitions events by month: the keys' table (lib/usage/event-keys.ts) says which exist, their ids and
  // when they occurred, so each is read by its primary key in its month's partition. Each key is looked up on its own,
  // by index (a LATERAL with LIMIT 1 is never flattened into a join): with `"eventKey" = ANY($keys)` the planner
  // scanned the whole keys table in parallel until it held several hundred thousand keys (35–65 ms a batch at
  // 200,000), and a plain join from `unnest` hashed every key and event of the workspace while the tables had no
  // statistics yet.
  return dbProvider === 'postgresql'
    ? Prisma.sql`SELECT ${columns(Prisma.sql`(SELECT i."externalId" FROM "Identity" i WHERE i."id" = e."identityId")`)}
          FROM unnest(${keys}::text[]) AS q("eventKey")
          CROSS JOIN LATERAL (
            SELECT k."eventId", k."occurredAt" FROM "UsageEventKey" k WHERE k."workspaceId" = ${workspaceId} AND k."eventKey" = q."eventKey" LIMIT 1) k
          CROSS JOIN LATERAL (SELECT * FROM "UsageEvent" e WHERE e."id" = k."eventId" AND e."occurredAt" = k."occurredAt" LIMIT 1) e`
    : Prisma.sql`SELECT ${columns(Prisma.sql`i."externalId"`)}
          FROM "UsageEvent" e JOIN "Identity" i ON i."id" = e."identityId"
          WHERE e."workspaceId" = ${workspaceId} AND e."eventKey" IN (${Prisma.join(keys)})`;
}

/** The events of `keys` already recorded in the workspace (one raw query: a replay check runs on every batch). */
async function storedEvents(tx: Tx, workspaceId: string, keys: string[]): Promise<StoredEvent[]> {
  const rows = await query<StoredRow>(tx, storedEventsQuery(workspaceId, keys));
  return rows.map((r) => ({
    id: r.id,
    eventKey: r.eventKey,
    identityId: r.identityId,
    identity: { externalId: r.externalId },
    provider: r.provider,
    model: r.model,
    inputTokens: Number(r.inputTokens),
    outputTokens: Number(r.outputTokens),
    cacheReadTokens: Number(r.cacheReadTokens),
    cacheWriteTokens: Number(r.cacheWriteTokens),
    costMicros: r.costMicros === null ? null : BigInt(r.costMicros),
    priced: Boolean(Number(r.priced)),
    status: r.status,
    occurredAt: new Date(r.occurredAt),
  }));
}

/** The fields of a replayed event that differ from what was stored under its id (empty: a true retry). */
function differences(record: UsageRecord, stored: StoredEvent): string[] {
  const out: string[] = [];
  if (record.identityId && record.identityId !== stored.identityId) out.push('identity_id');
  if (record.externalId && record.externalId !== stored.identity.externalId) out.push('external_id');
  if ((record.provider ?? null) !== stored.provider) out.push('provider');
  if ((record.model ?? null) !== stored.model) out.push('model');
  if (record.inputTokens !== stored.inputTokens) out.push('input_tokens');
  if (record.outputTokens !== stored.outputTokens) out.push('output_tokens');
  if ((record.cacheReadTokens ?? 0) !== stored.cacheReadTokens) out.push('cache_read_tokens');
  if ((record.cacheWriteTokens ?? 0) !== stored.cacheWriteTokens) out.push('cache_write_tokens');
  if (record.costMicros !== undefined && record.costMicros !== stored.costMicros) out.push('cost');
  if (record.status !== stored.status) out.push('status');
  if (record.occurredAt && record.occurredAt.getTime() !== stored.occurredAt.getTime()) out.push('timestamp');
  return out;
}

const conflictError = (index: number, eventKey: string, fields: string[], what: string) =>
  fieldError('conflict', `events.${index}.event_id`, `event "${eventKey}" ${what} with a different ${fields.join(', ')}; use a new event_id for a new call`);

/** The budget windows each event counts toward, summed per counter row. */
function counterDeltas(budgets: BudgetRow[], events: { call: CallScope; occurredAt: Date; costMicros: bigint | null; tokens: number; held?: ReadonlySet<string> }[]): CounterDelta[] {
  const deltas = new Map<string, CounterDelta>();
  for (const budget of budgets) {
    for (const event of events) {
      if (event.held?.has(budget.id) || !budgetApplies(budget, event.call)) continue;
      const windowStartMs = windowKeyAt(budget, event.occurredAt);
      if (windowStartMs === null) continue;
      const key = counterKey(budget.id, windowStartMs);
      const d = deltas.get(key) ?? { budgetId: budget.id, windowStartMs, spentMicros: 0n, tokens: 0n, requests: 0 };
      d.spentMicros += event.costMicros ?? 0n;
      d.tokens += BigInt(event.tokens);
      d.requests += 1;
      deltas.set(key, d);
    }
  }
  return [...deltas.values()];
}

/** Sums, per held counter, the usage to add (none when the call counts in another window) and the estimates to give back. */
function addHeld(held: Map<string, HeldSettlement>, hold: Hold, taken: TakenReservation, usage: { costMicros: bigint | null; tokens: number } | null) {
  const key = counterKey(hold.budgetId, hold.windowStartMs);
  const d = held.get(key) ?? { hold, spentMicros: 0n, tokens: 0n, requests: 0, releaseMicros: 0n, releaseTokens: 0, releaseCalls: 0 };
  if (usage) {
    d.spentMicros += usage.costMicros ?? 0n;
    d.tokens += BigInt(usage.tokens);
    d.requests += 1;
  }
  d.releaseMicros += taken.estimateMicros;
  d.releaseTokens += taken.estimateTokens;
  d.releaseCalls += 1;
  held.set(key, d);
}

/** The most one event may cost, priced from its tokens: the most its `cost` may say (lib/usage/schema.ts). */
const MAX_EVENT_COST_MICROS = usdToMicros(MAX_EVENT_COST_USD);

/** 422 for an event whose tokens, at its model's price, cost more than one event may (sums of such would overflow). */
function overpricedError(record: UsageRecord, index: number, costMicros: bigint) {
  const field = record.outputTokens > record.inputTokens ? 'output_tokens' : 'input_tokens';
  return fieldError(
    'unprocessable',
    `events.${index}.${field}`,
    `prices the event at ${formatUsd(microsToUsd(costMicros))} (${record.provider ?? ''}/${record.model ?? ''}), more than the ${formatUsd(MAX_EVENT_COST_USD)} one event may cost`,
  );
}

/**
 * PostgreSQL: a batch is first written as if none of its events had been seen before, without looking their keys up
 * (a thousand index probes that find nothing, for almost every batch); when one had been, inserting its key fails
 * (unique violation), and the batch is written again from its savepoint, looking its keys up first.
 */
class SeenBefore extends Error {}

/**
 * One batch's writes, in `tx` (a savepoint of the group's transaction): see ingestUsage. `lookUp`: the events' keys are
 * looked up first (duplicates and conflicts found before anything is written); without, a key seen before throws
 * SeenBefore (PostgreSQL only, whose keys' table refuses a second insert of a key).
 */
async function ingestInTx(
  tx: Tx,
  { workspaceId, records, now, source }: IngestBatch,
  onCommit: (done: () => void) => void,
  { lookUp, trustGateway }: { lookUp: boolean; trustGateway: boolean },
): Promise<IngestResult[]> {
  const results: IngestResult[] = new Array(records.length);
  if (source === 'usage') await refuseRevokedKeys(tx, records);
  // Prices, identities and budget definitions come from the cache when it is the configuration this transaction sees.
  const config = await configSeenBy(tx, workspaceId);
  // 1. Events seen before (earlier batches) are duplicates — or conflicts when their content differs.
  // The gateway mints its keys, so its records are never looked up.
  const keys = lookUp ? [...new Set(records.filter((r) => !r.fromGateway).map((r) => r.eventKey))] : [];
  const existing = new Map<string, StoredEvent>();
  for (const part of chunks(keys)) {
    const rows = await storedEvents(tx, workspaceId, part);
    for (const r of rows) existing.set(r.eventKey, r);
  }
  // 2. The first occurrence of each new key is created; a repeat within the batch is its duplicate.
  const fresh: Indexed[] = [];
  const firstIndex = new Map<string, number>();
  records.forEach((record, index) => {
    const stored = existing.get(record.eventKey);
    if (stored) {
      const fields = differences(record, stored);
      if (fields.length > 0) throw conflictError(index, record.eventKey, fields, 'was already recorded');
      return;
    }
    if (firstIndex.has(record.eventKey)) return;
    firstIndex.set(record.eventKey, index);
    fresh.push({ record, index });
  });
  const { resolved: identities, gone } = await resolveIdentities(tx, workspaceId, fresh, source, config, trustGateway);
  const prices = await pricesFor(tx, workspaceId, config);
  const rows = fresh.map(({ record, index }) => {
    const identity = identities.get(index) as IdentityRef;
    const occurredAt = record.occurredAt ?? now;
    const { costMicros, pricing } = priceOf(record, occurredAt, prices);
    if (costMicros !== null && costMicros > MAX_EVENT_COST_MICROS && record.costMicros === undefined) throw overpricedError(record, index, costMicros);
    const id = newId();
    results[index] = { eventId: record.eventKey, id, identityId: identity.id, externalId: identity.externalId, status: 'created', costMicros, priced: costMicros !== null };
    return {
      data: {
        id,
        workspaceId,
        identityId: identity.id,
        eventKey: record.eventKey,
        requestId: record.requestId ?? null,
        occurredAt,
        provider: record.provider ?? null,
        model: record.model ?? null,
        inputTokens: record.inputTokens,
        outputTokens: record.outputTokens,
        totalTokens: record.inputTokens + record.outputTokens,
        cacheReadTokens: record.cacheReadTokens ?? 0,
        cacheWriteTokens: record.cacheWriteTokens ?? 0,
        costMicros,
        priced: costMicros !== null,
        status: record.status,
        errorCode: record.errorCode ?? null,
        latencyMs: record.latencyMs ?? null,
        source,
        estimated: record.estimated ?? false,
        apiKeyId: record.apiKeyId ?? null,
        reservationId: record.reservationId ?? null,
        deploymentId: record.deploymentId ?? null,
        ...(pricing ? { pricing } : {}),
        ...(record.metadata ? { metadata: record.metadata as Prisma.InputJsonValue } : {}),
      },
      delta: { inputTokens: record.inputTokens, outputTokens: record.outputTokens, costMicros, isError: record.status === 'error' },
    };
  });
  // A gateway call whose identity was deleted while it was in flight is not stored (the identity's usage went with it),
  // but the provider was paid for it: it settles its reservation and counts toward the budgets that are left.
  const stored = gone.size > 0 ? rows.filter((_, i) => !gone.has(fresh[i].index)) : rows;
  // PostgreSQL: the rows below name these identities without foreign keys; a deletion waits for this batch.
  await lockIdentities(tx, stored.map((r) => r.data.identityId));
  try {
    await insertEvents(tx, stored.map((r) => r.data));
  } catch (err) {
    if (!lookUp && isUniqueViolation(err)) throw new SeenBefore();
    throw err;
  }
  await bumpRollups(tx, workspaceId, stored.map((r) => ({ identityId: r.data.identityId, occurredAt: r.data.occurredAt, delta: r.delta })));
  // The ranking's window totals count the new events in the same transaction (lib/usage/window-totals.ts).
  await bumpWindowTotalsTx(
    tx,
    workspaceId,
    stored.map((r) => ({
      identityId: r.data.identityId,
      occurredAt: r.data.occurredAt,
      requests: 1,
      errors: r.delta.isError ? 1 : 0,
      costMicros: r.delta.costMicros ?? 0n,
      tokens: BigInt(r.data.totalTokens),
      unpriced: r.delta.costMicros === null ? 1 : 0,
    })),
  );
  // 3. Each settled reservation gives its estimate back and its call's real usage goes to the same
  // budget windows; any other call is matched against the budgets.
  const settling = fresh.map(({ record }) => record.reservationId).filter((v): v is string => Boolean(v));
  const released = settling.length > 0 ? await takeReservations(tx, settling, workspaceId) : new Map<string, TakenReservation>();
  const held = new Map<string, HeldSettlement>();
  // Every event is matched against the budgets that apply to it; a settled one skips those its reservation held (they
  // were settled above) — a budget made while its call was in flight, or one of a model other than the one reserved
  // for, counts it too.
  const matching: { row: (typeof rows)[number]; held?: ReadonlySet<string> }[] = [];
  // A reservation is settled by one event: the first of the batch naming it (as a later batch's would be, another
  // event naming it is charged in full, as a call with no reservation).
  const claimed = new Set<string>();
  const holdOf = (i: number) => {
    const reservationId = fresh[i].record.reservationId;
    if (!reservationId || claimed.has(reservationId)) return undefined;
    claimed.add(reservationId);
    return released.get(reservationId);
  };
  const holds = rows.map((_, i) => holdOf(i));
  // Another identity's reservation would give back its holds early and charge the wrong budgets: the batch is refused.
  const stolen = rows.findIndex((row, i) => {
    const owner = holds[i]?.identityId;
    return owner && owner !== row.data.identityId;
  });
  if (stolen >= 0) {
    const [owner] = await query<{ externalId: string }>(tx, Prisma.sql`SELECT "externalId" FROM "Identity" WHERE "id" = ${holds[stolen]?.identityId}`);
    throw fieldError(
      'unprocessable',
      `events.${fresh[stolen].index}.reservation_id`,
      `reservation "${fresh[stolen].record.reservationId}" was made for another identity (${owner ? `"${owner.externalId}"` : 'since deleted'}); report its call for that identity`,
    );
  }
  const touched: TouchedCounter[] = [];
  let matched: BudgetRow[] = [];
  if (rows.length > 0) {
    const identityIds = [...new Set(rows.map(({ data }) => data.identityId))];
    const budgets = cachedBudgetsFor(config, identityIds) ?? (await readBudgetsFor(tx, workspaceId, identityIds, config));
    const byId = new Map(budgets.map((b) => [b.id, b]));
    rows.forEach((row, i) => {
      const hold = holds[i];
      if (!hold) {
        matching.push({ row });
        return;
      }
      // A hold on a window the event no longer falls in (the budget's period changed while the call was in flight) is
      // only given back: the call is charged to its window now, as its budget's history (the events) counts it.
      const settledOnHold = new Set<string>();
      for (const h of hold.holds) {
        const budget = byId.get(h.budgetId);
        const current = budget ? windowKeyAt(budget, row.data.occurredAt) : null;
        const moved = current !== null && current !== BigInt(h.windowStartMs);
        addHeld(held, h, hold, moved ? null : { costMicros: row.data.costMicros, tokens: row.data.totalTokens });
        if (!moved) settledOnHold.add(h.budgetId);
      }
      matching.push({ row, held: settledOnHold });
    });
    if (held.size > 0) await settleHeld(tx, [...held.values()]);
    for (const h of held.values()) touched.push({ budgetId: h.hold.budgetId, windowStartMs: BigInt(h.hold.windowStartMs) });
    const deltas = counterDeltas(
      budgets,
      matching.map(({ row: r, held: heldBudgets }) => ({
        call: { workspaceId, identityId: r.data.identityId, apiKeyId: r.data.apiKeyId, ...callTarget(r.data.provider, r.data.model) },
        occurredAt: r.data.occurredAt,
        costMicros: r.data.costMicros,
        tokens: r.data.totalTokens,
        ...(heldBudgets ? { held: heldBudgets } : {}),
      })),
    );
    if (deltas.length > 0) await addToCounters(tx, deltas);
    matched = budgets;
    for (const d of deltas) touched.push({ budgetId: d.budgetId, windowStartMs: d.windowStartMs });
  }
  // Budget alerts whose threshold the settled spend reached fire with it (nothing runs for budgets without alerts).
  await budgetAlertsAfterUsageTx(tx, workspaceId, stored.map((r) => r.data.identityId), touched, matched, now);
  // 4. Everything else points at what already existed or was created first in this batch.
  records.forEach((record, index) => {
    if (results[index]) return;
    const stored = existing.get(record.eventKey);
    results[index] = stored
      ? { eventId: stored.eventKey, id: stored.id, identityId: stored.identityId, externalId: stored.identity.externalId, status: 'duplicate', costMicros: stored.costMicros, priced: stored.priced }
      : { ...results[firstIndex.get(record.eventKey) as number], status: 'duplicate' };
  });
  // Once committed (not before: a batch rolled back takes the identities it created with it), the batch's identities
  // are remembered with the configuration it was checked against; a deletion since bumps its version, so a
  // remembered identity is only used while it exists.
  if (config) {
    onCommit(() => {
      for (const [index, identity] of identities) if (!gone.has(index)) rememberIdentity(config, identity);
    });
  }
  return results;
}

/**
 * POST /v2/usage trusts a key checked in the last minute (withApi's cachedAuth): its batch is refused here, in the
 * writing transaction, when the key was revoked or deleted meanwhile — on any instance, at once, as the gateway's
 * admission does for calls.
 */
async function refuseRevokedKeys(tx: Tx, records: UsageRecord[]): Promise<void> {
  const keys = [...new Set(records.map((r) => r.apiKeyId).filter((id): id is string => Boolean(id)))];
  if (keys.length === 0) return;
  const live = await query<{ id: string }>(tx, Prisma.sql`SELECT "id" FROM "ApiKey" WHERE ${inList(Prisma.sql`"id"`, keys)} AND "revokedAt" IS NULL`);
  if (live.length < keys.length) throw new ApiError('unauthorized', 'Invalid or revoked API key');
}

/** A batch of usage as ingestUsage takes it. */
export type IngestBatch = { workspaceId: string; records: UsageRecord[]; now: Date; source: UsageSource };
/** What became of one batch of a group: its results once committed, or the error that refused it alone. */
export type IngestOutcome = { results: IngestResult[] } | { error: unknown };

/**
 * A collision with a concurrent writer, or (foreign key) an identity the worker's memory still named after it was
 * deleted outside the API (which would have moved the config version): the group is written again, from scratch.
 */
const retryable = (err: unknown) => isUniqueViolation(err) || isWriteConflict(err) || isForeignKeyViolation(err);

/**
 * PostgreSQL: one writer of usage at a time per workspace, across instances (a transaction-scoped advisory lock, taken
 * first, in one order). Writers on several instances otherwise lock the same rows — rollups, budget counters — in
 * orders no one statement can fix (each batch of a group in turn), and deadlock; SQLite's single writer never does.
 */
export async function holdUsageWriters(tx: Tx, workspaceIds: string[]): Promise<void> {
  for (const workspaceId of [...new Set(workspaceIds)].sort()) await query(tx, Prisma.sql`SELECT pg_advisory_xact_lock(hashtext(${`usage:${workspaceId}`}))::text AS locked`);
}

/**
 * SQLite: a batch of a group refused by its content (a 409 replay, an unknown identity id …). Its group's transaction
 * is rolled back and the other batches are written again without it (ingestGroupHere).
 */
class BatchRefused extends Error {
  constructor(
    readonly batch: IngestBatch,
    readonly error: unknown,
  ) {
    super('a batch of the group was refused');
  }
}

/**
 * Writes the batches in one transaction (group commit): a batch refused by its content (a 409 replay, an unknown
 * identity id …) is answered with its error while the others commit together. The ingest worker groups the batches
 * that queued up while it was writing: one commit, and each index page the batches share written once, instead of one
 * per batch. Each batch stays all-or-nothing.
 *
 * On PostgreSQL each batch has a savepoint of its own (rolled back alone when refused, or written again when one of
 * its events had been seen, SeenBefore). SQLite has none: a savepoint makes it copy every page the batch changes to a
 * statement journal first, so that it could be rolled back to (in a microbenchmark of 1,000 rows a transaction, a
 * third of the CPU; bench/README.md); refusals are rare, and the group is written again without the refused batch.
 */
async function ingestGroupOnce(batches: IngestBatch[], afterCommit: (() => void)[], trustGateway: boolean): Promise<IngestOutcome[]> {
  const savepoints = dbProvider === 'postgresql';
  return pgTransactionScope((attachPg) =>
    db.$transaction(
      async (tx) => {
        // PostgreSQL: the batches' statements go straight on the transaction's connection (lib/pg-direct.ts).
        if (dbProvider === 'postgresql') {
          await attachPg(tx);
          await holdUsageWriters(tx, batches.map((b) => b.workspaceId));
        }
        const outcomes: IngestOutcome[] = [];
        for (const batch of batches) {
          if (savepoints) await execute(tx, Prisma.sql`SAVEPOINT "batch"`);
          const committed: (() => void)[] = [];
          try {
            let results: IngestResult[];
            try {
              results = await ingestInTx(tx, batch, (done) => committed.push(done), { lookUp: dbProvider !== 'postgresql', trustGateway });
            } catch (error) {
              if (!(error instanceof SeenBefore)) throw error;
              // An event seen before: written again from the savepoint, its keys looked up first.
              await execute(tx, Prisma.sql`ROLLBACK TO SAVEPOINT "batch"`);
              results = await ingestInTx(tx, batch, (done) => committed.push(done), { lookUp: true, trustGateway });
            }
            outcomes.push({ results });
            afterCommit.push(...committed);
          } catch (error) {
            // A collision with a concurrent writer retries the whole group (ingestGroupHere).
            if (retryable(error)) throw error;
            if (!savepoints) throw new BatchRefused(batch, error);
            await execute(tx, Prisma.sql`ROLLBACK TO SAVEPOINT "batch"`);
            outcomes.push({ error });
          }
          if (savepoints) await execute(tx, Prisma.sql`RELEASE SAVEPOINT "batch"`);
        }
        return outcomes;
      },
      { timeout: 60_000 * batches.length, maxWait: 30_000 },
    ),
  );
}

/**
 * Records a batch of usage atomically and idempotently: an event whose id was seen before is reported
 * as a duplicate and not counted again (409 when its content differs); one invalid event rejects the
 * whole batch. Budget counters move and the reservations the calls settle are released in the same
 * transaction. Every recorded call, from the API or the gateway, goes through here. In the production server the
 * batch is written by the ingest worker thread (lib/usage/ingest-worker-client.ts), so that a batch's pricing and
 * statements never hold up other requests; elsewhere (dev server, scripts, tests) here, in this thread.
 */
export async function ingestUsage(workspaceId: string, records: UsageRecord[], now: Date, source: UsageSource = 'usage'): Promise<IngestResult[]> {
  const worker = ingestWorker();
  return counted(source, worker ? await worker.ingest(workspaceId, records, now, source) : await ingestUsageHere(workspaceId, records, now, source));
}

/** Counts a recorded batch's new events in the usage metric. */
function counted(source: UsageSource, results: IngestResult[]): IngestResult[] {
  metrics.usageEvents.inc({ source }, results.filter((r) => r.status === 'created').length);
  return results;
}

/**
 * POST /v2/usage: the request body's bytes (size already checked), parsed and validated as `ingestUsageSchema` (400s
 * naming the field), then ingested as ingestUsage does. The production server's ingest worker parses it on its thread.
 */
export async function ingestUsageBody(workspaceId: string, body: Uint8Array, apiKeyId: string, now: Date): Promise<IngestResult[]> {
  const worker = ingestWorker();
  if (!worker) return ingestUsage(workspaceId, usageRecordsFromBody(body, apiKeyId), now);
  return counted('usage', await worker.ingestBody(workspaceId, body, apiKeyId, now));
}

/** ingestUsage's work, in this thread (the ingest worker runs it for the server). */
export async function ingestUsageHere(workspaceId: string, records: UsageRecord[], now: Date, source: UsageSource): Promise<IngestResult[]> {
  const [outcome] = await ingestGroupHere([{ workspaceId, records, now, source }]);
  if ('error' in outcome) throw outcome.error;
  return outcome.results;
}

/** Several batches written together (ingestGroupOnce), each answered on its own. */
export async function ingestGroupHere(batches: IngestBatch[]): Promise<IngestOutcome[]> {
  const outcomes: (IngestOutcome | undefined)[] = batches.map((batch) => {
    try {
      checkBatch(batch);
      return undefined;
    } catch (error) {
      return { error };
    }
  });
  let valid = batches.filter((_, i) => outcomes[i] === undefined);
  // SQLite: the batches refused by their content, answered with their error; the group is written without them.
  const refused = new Map<IngestBatch, IngestOutcome>();
  // A concurrent writer may create the same identity or event first (unique violation), or collide with this one
  // (PostgreSQL write conflict / deadlock): retry, and the retry sees what the other wrote.
  let written: IngestOutcome[] = [];
  // Failed attempts so far; a refused batch is not one (each refusal takes one batch out of the group).
  let failed = 0;
  // Cleared once an identity was found gone: the gateway's records are then resolved by external id (resolveIdentities).
  let trustGateway = true;
  while (valid.length > 0) {
    try {
      const afterCommit: (() => void)[] = [];
      written = await ingestGroupOnce(valid, afterCommit, trustGateway);
      for (const done of afterCommit) done();
      // Committed: the window totals' pending deltas are folded in about a second (lib/usage/window-totals.ts).
      for (const workspaceId of new Set(valid.filter((_, i) => 'results' in written[i]).map((b) => b.workspaceId))) foldWindowDeltasSoon(workspaceId);
      break;
    } catch (err) {
      if (err instanceof BatchRefused) {
        refused.set(err.batch, { error: err.error });
        valid = valid.filter((b) => b !== err.batch);
        continue;
      }
      failed++;
      if (!retryable(err) || failed >= MAX_ATTEMPTS) {
        written = valid.map(() => ({ error: err }));
        break;
      }
      // The retry reads prices, budgets and identities from the database again.
      if (isForeignKeyViolation(err)) {
        trustGateway = false;
        for (const workspaceId of new Set(valid.map((b) => b.workspaceId))) invalidateWorkspaceConfig(workspaceId);
      }
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * failed));
    }
  }
  const writtenOf = new Map(valid.map((b, i) => [b, written[i]]));
  return batches.map((b, i) => outcomes[i] ?? refused.get(b) ?? (writtenOf.get(b) as IngestOutcome));
}

/** What is refused before any write: expired timestamps, and an event id repeated within the batch with other content. */
function checkBatch({ records, now }: IngestBatch): void {
  refuseExpired(records, now);
  const seen = new Map<string, number>();
  records.forEach((record, index) => {
    const first = seen.get(record.eventKey);
    if (first !== undefined) {
      const fields = sameCall(records[first], record);
      if (fields.length > 0) throw conflictError(index, record.eventKey, fields, `repeats events.${first}`);
    }
    seen.set(record.eventKey, first ?? index);
  });
}

/**
 * With a retention period (TOLLBOOTH_RETENTION_DAYS), an event from before its cutoff would be deleted at the next
 * run, and one re-sent after its original was deleted could not be recognised as a duplicate: refused with 422.
 */
function refuseExpired(records: UsageRecord[], now: Date): void {
  const days = retentionDaysFrom(process.env.TOLLBOOTH_RETENTION_DAYS);
  if (days === null) return;
  const cutoff = retentionCutoff(now, days);
  const index = records.findIndex((r) => r.occurredAt !== undefined && r.occurredAt < cutoff);
  if (index < 0) return;
  throw fieldError(
    'unprocessable',
    `events.${index}.timestamp`,
    `is before ${cutoff.toISOString()}: raw usage is kept ${days} days (TOLLBOOTH_RETENTION_DAYS), so older events are not accepted`,
  );
}

/** Fields in which two records with one event id disagree. */
function sameCall(a: UsageRecord, b: UsageRecord): string[] {
  const keys: (keyof UsageRecord)[] = ['identityId', 'externalId', 'provider', 'model', 'inputTokens', 'outputTokens', 'cacheReadTokens', 'cacheWriteTokens', 'costMicros', 'status'];
  const wire: Partial<Record<keyof UsageRecord, string>> = {
    identityId: 'identity_id',
    externalId: 'external_id',
    inputTokens: 'input_tokens',
    outputTokens: 'output_tokens',
    cacheReadTokens: 'cache_read_tokens',
    cacheWriteTokens: 'cache_write_tokens',
    costMicros: 'cost',
  };
  // Cache token counts left out are 0.
  const valueOf = (r: UsageRecord, k: keyof UsageRecord) => (k === 'cacheReadTokens' || k === 'cacheWriteTokens' ? (r[k] ?? 0) : r[k]);
  const out = keys.filter((k) => valueOf(a, k) !== valueOf(b, k)).map((k) => wire[k] ?? k);
  if (a.occurredAt?.getTime() !== b.occurredAt?.getTime()) out.push('timestamp');
  return out;
}

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
  costMicros: bigint | null;
  priced: boolean;
  status: 'success' | 'error';
  errorCode: string | null;
  latencyMs: number | null;
};

export async function listUsageEvents(
  workspaceId: string,
  identityId: string,
  opts: Paging,
): Promise<NumberedPage<UsageEventRow>> {
  // Filter on the identity alone so SQLite uses the (identityId, occurredAt) index; the
  // workspace check is done once up front.
  const owned = await db.identity.count({ where: { id: identityId, workspaceId } });
  const where = { identityId: owned ? identityId : '' };
  const total = await db.usageEvent.count({ where });
  const { page, pageCount, skip, take } = offsetPage(total, opts);
  const rows = await db.usageEvent.findMany({ where, orderBy: [{ occurredAt: 'desc' }, { id: 'desc' }], skip, take });
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
      costMicros: r.costMicros,
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
