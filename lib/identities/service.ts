import 'server-only';
import { bumpConfigVersion } from '../workspaces/config';
import { db, type Tx } from '../db';
import { newId } from '../ids';
import { ApiError, fieldError } from '../api/errors';
import { keysetSql, orderSql, takePage, type Anchor, type SortSpec } from '../pagination/keyset';
import { inIdOrder, selectCount, selectIds } from '../sql';
import { inList } from '../sql-exec';
import { Prisma } from '../generated/prisma/client';
import type { IdentityChange, IdentitySortField, IdentitySource, ListIdentitiesQuery, NewIdentity } from './schema';
import { getIdentityMetrics, zeroMetrics, type IdentityMetrics } from '../usage/metrics';
import { identityFilters } from './filters';
import { findIdentityRow, selectIdentities, type IdentityRow } from './lookup';
import { sortNameOf } from './search';
import { rankIdentitiesWithMetrics } from './ranking';
import { recordAudit, recordUpdate } from '../audit/service';
import { identitySnapshot } from '../audit/snapshots';
import type { Actor } from '../audit/actor';
import { createIdentityBudgetTx, setIdentityBudgetTx, getIdentityBudgetSnapshots, type StudioBudget, type BudgetSnapshot, type BudgetStatus } from '../budgets/service';
import { offsetPage, type NumberedPage } from '../pagination/offset';

export type { IdentityMetrics };

export type IdentityRecord = {
  id: string;
  workspaceId: string;
  externalId: string;
  displayName: string | null;
  email: string | null;
  avatarUrl: string | null;
  tags: string[];
  metadata: Record<string, unknown>;
  source: IdentitySource;
  createdAt: Date;
  updatedAt: Date;
};

export function toIdentityRecord(row: IdentityRow): IdentityRecord {
  const metadata = row.metadata && typeof row.metadata === 'object' && !Array.isArray(row.metadata) ? (row.metadata as Record<string, unknown>) : {};
  return {
    id: row.id,
    workspaceId: row.workspaceId,
    externalId: row.externalId,
    displayName: row.displayName,
    email: row.email,
    avatarUrl: row.avatarUrl,
    tags: Array.isArray(row.tags) ? row.tags.map(String) : [],
    metadata,
    source: row.source as IdentitySource,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}


export async function getIdentity(workspaceId: string, idOrExternalId: string): Promise<IdentityRecord | null> {
  const row = await findIdentityRow(db, workspaceId, idOrExternalId);
  return row ? toIdentityRecord(row) : null;
}

export async function getIdentityOrThrow(workspaceId: string, idOrExternalId: string): Promise<IdentityRecord> {
  const identity = await getIdentity(workspaceId, idOrExternalId);
  if (!identity) throw new ApiError('not_found', `Identity ${idOrExternalId} not found`);
  return identity;
}

/** Insert an identity inside a transaction (shared by the API, the Studio and usage auto-creation). */
export async function createIdentityTx(tx: Tx, workspaceId: string, input: NewIdentity, source: IdentitySource): Promise<IdentityRow> {
  const existing = await tx.identity.findUnique({ where: { workspaceId_externalId: { workspaceId, externalId: input.externalId } } });
  if (existing) throw fieldError('conflict', 'external_id', `an identity with external id "${input.externalId}" already exists`);
  const tags = input.tags ?? [];
  const row = await tx.identity.create({
    data: {
      id: newId(),
      workspaceId,
      externalId: input.externalId,
      displayName: input.displayName ?? null,
      email: input.email ?? null,
      avatarUrl: input.avatarUrl ?? null,
      tags,
      metadata: (input.metadata ?? {}) as Prisma.InputJsonValue,
      sortName: sortNameOf(input.displayName, input.externalId),
      source,
    },
  });
  if (tags.length > 0) await tx.identityTag.createMany({ data: tags.map((tag) => ({ identityId: row.id, workspaceId, tag })) });
  return row;
}

/** An explicit create (Studio, API, scripts), recorded in the audit log with its budget; traffic creates through createIdentityTx. */
export async function createIdentity(
  workspaceId: string,
  actor: Actor,
  input: NewIdentity,
  opts: { source: IdentitySource; budget?: StudioBudget | null; now: Date },
): Promise<IdentityRecord> {
  const row = await db.$transaction(async (tx) => {
    const created = await createIdentityTx(tx, workspaceId, input, opts.source);
    await recordAudit(tx, {
      workspaceId,
      actor,
      action: 'identity.create',
      target: { kind: 'identity', id: created.id, label: created.externalId },
      identityId: created.id,
      after: identitySnapshot(created),
      at: opts.now,
    });
    if (opts.budget) await createIdentityBudgetTx(tx, workspaceId, actor, created, opts.budget, opts.now);
    return created;
  });
  return toIdentityRecord(row);
}

/**
 * Partial update; with `budget` (Studio edit) the identity's budget is set or removed in the same transaction. The
 * actor is recorded in the audit log; null is a profile refresh from traffic (the gateway), which is not.
 */
export async function updateIdentity(
  workspaceId: string,
  actor: Actor | null,
  idOrExternalId: string,
  input: IdentityChange,
  opts: { budget?: StudioBudget | null; now?: Date } = {},
): Promise<IdentityRecord> {
  const now = opts.now ?? new Date();
  const row = await db.$transaction(async (tx) => {
    const current = await findIdentityRow(tx, workspaceId, idOrExternalId);
    if (!current) throw new ApiError('not_found', `Identity ${idOrExternalId} not found`);
    if (opts.budget !== undefined) {
      if (!actor) throw new Error('a budget change needs an actor');
      await setIdentityBudgetTx(tx, workspaceId, actor, current, opts.budget, now);
    }
    const data: Prisma.IdentityUpdateInput = {};
    if (input.displayName !== undefined) {
      data.displayName = input.displayName;
      data.sortName = sortNameOf(input.displayName, current.externalId);
    }
    if (input.email !== undefined) data.email = input.email;
    if (input.avatarUrl !== undefined) data.avatarUrl = input.avatarUrl;
    if (input.metadata !== undefined) data.metadata = (input.metadata ?? {}) as Prisma.InputJsonValue;
    if (input.tags !== undefined) {
      const tags = input.tags ?? [];
      data.tags = tags;
      await tx.identityTag.deleteMany({ where: { identityId: current.id } });
      if (tags.length > 0) await tx.identityTag.createMany({ data: tags.map((tag) => ({ identityId: current.id, workspaceId, tag })) });
    }
    // An empty PATCH still answers with the record but leaves `updated` untouched.
    if (Object.keys(data).length === 0) return current;
    const updated = await tx.identity.update({ where: { id: current.id }, data });
    if (actor) {
      const target = { kind: 'identity' as const, id: current.id, label: current.externalId };
      await recordUpdate(tx, { workspaceId, actor, action: 'identity.update', target, identityId: current.id, at: now }, identitySnapshot(current), identitySnapshot(updated));
    }
    return updated;
  });
  return toIdentityRecord(row);
}

/** Deletes the identity with its budgets, usage events and rollups (cascade). */
export async function deleteIdentity(workspaceId: string, actor: Actor, idOrExternalId: string, now: Date = new Date()): Promise<void> {
  const row = await findIdentityRow(db, workspaceId, idOrExternalId);
  if (!row) throw new ApiError('not_found', `Identity ${idOrExternalId} not found`);
  // Cached by the gateway and owning budgets: every instance reloads.
  await db.$transaction(async (tx) => {
    // The version first, as usage writers take it (holdConfigVersion) before the identities they write for.
    await bumpConfigVersion(tx, workspaceId);
    await tx.identity.delete({ where: { id: row.id } });
    const target = { kind: 'identity' as const, id: row.id, label: row.externalId };
    await recordAudit(tx, { workspaceId, actor, action: 'identity.delete', target, identityId: row.id, before: identitySnapshot(row), at: now });
  });
}

/**
 * The lists' condition on identity `i`: the workspace's identities the search and tags keep (identityFilters). The
 * lists select a page of ids with it in SQL, then read those identities (identitiesInOrder).
 */
async function listWhere(workspaceId: string, search: string | undefined, tags: string[] | undefined): Promise<Prisma.Sql> {
  return Prisma.join([Prisma.sql`i."workspaceId" = ${workspaceId}`, ...(await identityFilters(workspaceId, { search, tags }))], ' AND ');
}

/** The identities with these ids, in the ids' order. */
/** The identities of `ids`, in that order. */
async function identitiesInOrder(ids: string[]): Promise<IdentityRecord[]> {
  if (ids.length === 0) return [];
  return inIdOrder(ids, await selectIdentities(db, inList(Prisma.sql`"id"`, ids))).map(toIdentityRecord);
}

const API_SORTS: Record<IdentitySortField, SortSpec> = {
  IDENTITY_SORT_FIELD_UNSPECIFIED: { field: 'id', direction: 'desc' },
  IDENTITY_SORT_FIELD_DISPLAY_NAME: { field: 'sortName', direction: 'asc' },
  IDENTITY_SORT_FIELD_UPDATED: { field: 'updatedAt', direction: 'desc' },
};

export type IdentityView = { identity: IdentityRecord; metrics?: IdentityMetrics; budget?: BudgetSnapshot | null };

/** Cursor-paginated list for the API (`/v2/identities`). */
export async function listIdentitiesByCursor(workspaceId: string, query: ListIdentitiesQuery, now: Date): Promise<{ rows: IdentityView[]; hasMore: boolean }> {
  const sort = API_SORTS[query.sort_by ?? 'IDENTITY_SORT_FIELD_UNSPECIFIED'];
  const cursorId = query.starting_after ?? query.ending_before;
  const backwards = Boolean(query.ending_before);
  let anchor: Anchor | null = null;
  if (cursorId) {
    const row = await db.identity.findFirst({ where: { id: cursorId, workspaceId } });
    if (!row) throw fieldError('invalid_request', query.starting_after ? 'starting_after' : 'ending_before', `no identity with _id "${cursorId}"`);
    anchor = row;
  }
  const keyset = keysetSql(sort, anchor, backwards, 'i');
  const ids = await selectIds(Prisma.sql`
    SELECT i."id" AS id FROM "Identity" i WHERE ${await listWhere(workspaceId, query.search, query['filter_by.tags'])} AND ${keyset.where}
    ORDER BY ${keyset.orderBy} LIMIT ${query.limit + 1}`);
  const page = takePage(await identitiesInOrder(ids), query.limit, backwards);
  const views = await attachExtras(workspaceId, page.rows, { metrics: query.include_metrics, budget: query.include_budget }, now);
  return { rows: views, hasMore: page.hasMore };
}

export async function attachExtras(
  workspaceId: string,
  identities: IdentityRecord[],
  include: { metrics: boolean; budget: boolean },
  now: Date,
): Promise<IdentityView[]> {
  const ids = identities.map((i) => i.id);
  const [metrics, budgets] = await Promise.all([
    include.metrics ? getIdentityMetrics(workspaceId, ids, now) : null,
    include.budget ? getIdentityBudgetSnapshots(workspaceId, ids, now) : null,
  ]);
  return identities.map((identity) => ({
    identity,
    ...(metrics ? { metrics: metrics.get(identity.id) ?? zeroMetrics() } : {}),
    ...(budgets ? { budget: budgets.get(identity.id) ?? null } : {}),
  }));
}

export type StudioSort = 'created' | 'name' | 'requests' | 'cost' | 'tokens' | 'error_rate';
export type IdentityListRow = { identity: IdentityRecord; metrics: IdentityMetrics; budget: BudgetStatus | null };


/** Page-numbered list for the Studio, sortable by any 30-day metric. */
export async function listIdentitiesByPage(
  workspaceId: string,
  opts: { search?: string; tags?: string[]; sort: StudioSort; order: 'asc' | 'desc'; page: number; pageSize: number },
  now: Date,
): Promise<NumberedPage<IdentityListRow>> {
  const where = await listWhere(workspaceId, opts.search, opts.tags);
  const total = await selectCount(Prisma.sql`SELECT COUNT(*) AS n FROM "Identity" i WHERE ${where}`);
  const { page, pageCount, skip } = offsetPage(total, opts);
  let identities: IdentityRecord[];
  let metrics: Map<string, IdentityMetrics>;

  if (opts.sort === 'created' || opts.sort === 'name') {
    const order = orderSql({ field: opts.sort === 'name' ? 'sortName' : 'id', direction: opts.order }, 'i');
    identities = await identitiesInOrder(
      await selectIds(Prisma.sql`SELECT i."id" AS id FROM "Identity" i WHERE ${where} ORDER BY ${order} LIMIT ${opts.pageSize} OFFSET ${skip}`),
    );
    metrics = await getIdentityMetrics(workspaceId, identities.map((i) => i.id), now);
  } else {
    // Metric sorts rank in the database, then load one page.
    const ranked = await rankIdentitiesWithMetrics(
      workspaceId,
      { search: opts.search, tags: opts.tags, metric: opts.sort, order: opts.order, limit: opts.pageSize, offset: skip },
      now,
    );
    identities = await identitiesInOrder(ranked.ids);
    metrics = ranked.metrics;
  }
  const budgets = await getIdentityBudgetSnapshots(workspaceId, identities.map((i) => i.id), now);
  return {
    rows: identities.map((identity) => ({
      identity,
      metrics: metrics.get(identity.id) ?? zeroMetrics(),
      budget: budgets.get(identity.id)?.status ?? null,
    })),
    total,
    page,
    pageCount,
  };
}

/**
 * Every distinct tag of the workspace, in order. One index seek per tag (each step asks the (workspaceId, tag) index
 * for the next tag after the last), so the cost follows the number of distinct tags, not of tag rows.
 */
export async function listWorkspaceTags(workspaceId: string): Promise<string[]> {
  const rows = await db.$queryRaw<{ tag: string | null }[]>`
    WITH RECURSIVE tags ("tag") AS (
      SELECT MIN("tag") FROM "IdentityTag" WHERE "workspaceId" = ${workspaceId}
      UNION ALL
      SELECT (SELECT MIN(t."tag") FROM "IdentityTag" t WHERE t."workspaceId" = ${workspaceId} AND t."tag" > tags."tag") FROM tags WHERE tags."tag" IS NOT NULL
    )
    SELECT "tag" FROM tags WHERE "tag" IS NOT NULL`;
  return rows.map((r) => r.tag as string);
}
