import 'server-only';
import { cache } from 'react';
import { db } from '../db';
import { fieldError } from '../api/errors';
import type { Prisma } from '../generated/prisma/client';
import type { AuditFilter } from './schema';

export type AuditEntryRow = Prisma.AuditEntryGetPayload<object>;

function whereOf(workspaceId: string, filter: AuditFilter): Prisma.AuditEntryWhereInput {
  const where: Prisma.AuditEntryWhereInput = { workspaceId };
  if (filter.targetKind) where.targetKind = filter.targetKind;
  if (filter.targetId) where.targetId = filter.targetId;
  if (filter.action) where.action = filter.action;
  if (filter.actorKind) where.actorKind = filter.actorKind;
  if (filter.actorId) where.actorId = filter.actorId;
  if (filter.identityId) where.identityId = filter.identityId;
  if (filter.from || filter.to) where.at = { ...(filter.from ? { gte: filter.from } : {}), ...(filter.to ? { lt: filter.to } : {}) };
  return where;
}

/**
 * Newest first, by cursor: `startingAfter` gives the older entries after that one, `endingBefore` the newer ones
 * before it. hasOlder / hasNewer say whether a link either way leads anywhere.
 */
export async function listAuditEntries(
  workspaceId: string,
  filter: AuditFilter,
  page: { limit: number; startingAfter?: string; endingBefore?: string },
): Promise<{ rows: AuditEntryRow[]; hasOlder: boolean; hasNewer: boolean }> {
  const cursor = page.startingAfter ?? page.endingBefore;
  if (cursor && !(await db.auditEntry.findFirst({ where: { id: cursor, workspaceId }, select: { id: true } }))) {
    throw fieldError('invalid_request', page.startingAfter ? 'starting_after' : 'ending_before', `no audit entry with id "${cursor}"`);
  }
  const where = whereOf(workspaceId, filter);
  if (page.endingBefore) {
    const newer = await db.auditEntry.findMany({ where: { AND: [where, { id: { gt: page.endingBefore } }] }, orderBy: { id: 'asc' }, take: page.limit + 1 });
    const hasNewer = newer.length > page.limit;
    return { rows: newer.slice(0, page.limit).reverse(), hasNewer, hasOlder: true };
  }
  const rows = await db.auditEntry.findMany({
    where: page.startingAfter ? { AND: [where, { id: { lt: page.startingAfter } }] } : where,
    orderBy: { id: 'desc' },
    take: page.limit + 1,
  });
  return { rows: rows.slice(0, page.limit), hasOlder: rows.length > page.limit, hasNewer: Boolean(page.startingAfter) };
}

/** An identity's own history (its entries and its budget's), newest first. */
export async function listIdentityHistory(identityId: string, limit: number): Promise<{ rows: AuditEntryRow[]; total: number }> {
  const [rows, total] = await Promise.all([
    db.auditEntry.findMany({ where: { identityId }, orderBy: { id: 'desc' }, take: limit }),
    db.auditEntry.count({ where: { identityId } }),
  ]);
  return { rows, total };
}

export type AuditActorOption = { kind: string; id: string | null; label: string };

/** Everyone who has changed something, for the actor filter (one row per user, key or system label). */
export const listAuditActors = cache(async (workspaceId: string): Promise<AuditActorOption[]> => {
  const groups = await db.auditEntry.groupBy({ by: ['actorKind', 'actorId', 'actorLabel'], where: { workspaceId }, orderBy: [{ actorLabel: 'asc' }] });
  const byKey = new Map<string, AuditActorOption>();
  // A renamed key keeps one option (its latest label wins in the sort order; any label will do).
  for (const g of groups) byKey.set(`${g.actorKind}:${g.actorId ?? g.actorLabel}`, { kind: g.actorKind, id: g.actorId, label: g.actorLabel });
  return [...byKey.values()];
});

/** The actions recorded so far, for the action filter. */
export const listAuditActions = cache(async (workspaceId: string): Promise<string[]> => {
  const groups = await db.auditEntry.groupBy({ by: ['action'], where: { workspaceId }, orderBy: [{ action: 'asc' }] });
  return groups.map((g) => g.action);
});

/** Which targets still exist, so the page links only to those. */
export async function existingTargets(workspaceId: string, rows: AuditEntryRow[]): Promise<Set<string>> {
  const idsOf = (kind: string) => [...new Set(rows.filter((r) => r.targetKind === kind).map((r) => r.targetId))];
  const [identities, budgets, providers, deployments, keys, prices] = await Promise.all([
    idsOf('identity').length ? db.identity.findMany({ where: { workspaceId, id: { in: idsOf('identity') } }, select: { id: true } }) : [],
    idsOf('budget').length ? db.budget.findMany({ where: { workspaceId, id: { in: idsOf('budget') } }, select: { id: true } }) : [],
    idsOf('provider').length ? db.provider.findMany({ where: { workspaceId, id: { in: idsOf('provider') } }, select: { id: true } }) : [],
    idsOf('deployment').length ? db.deployment.findMany({ where: { workspaceId, id: { in: idsOf('deployment') } }, select: { id: true } }) : [],
    idsOf('api_key').length ? db.apiKey.findMany({ where: { workspaceId, id: { in: idsOf('api_key') } }, select: { id: true } }) : [],
    idsOf('price').length ? db.modelPrice.findMany({ where: { workspaceId, id: { in: idsOf('price') } }, select: { id: true } }) : [],
  ]);
  // The workspace's settings always exist.
  return new Set([workspaceId, ...[...identities, ...budgets, ...providers, ...deployments, ...keys, ...prices].map((r) => r.id)]);
}
