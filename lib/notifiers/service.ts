import 'server-only';
import { db } from '../db';
import { newId } from '../ids';
import { ApiError, fieldError } from '../api/errors';
import { recordAudit } from '../audit/service';
import type { Actor } from '../audit/actor';
import { keysetQuery, takePage } from '../pagination/keyset';
import type { Prisma } from '../generated/prisma/client';
import { enqueueMessages } from '../webhooks/outbox';
import { encryptSigningSecret, generateSigningSecret } from './secret';
import type { CreateNotifierInput, ListDeliveriesQuery, ListNotifiersQuery, NotifierChange } from './schema';

export type NotifierRow = Prisma.NotifierGetPayload<object>;
export type DeliveryRow = Prisma.WebhookDeliveryGetPayload<{ include: { attemptsLog: true } }>;

/** What the audit log keeps of a notifier (never its secret). */
const snapshot = (n: NotifierRow) => ({ name: n.name, url: n.url, is_active: n.isActive });

export async function getNotifierOrThrow(workspaceId: string, notifierId: string): Promise<NotifierRow> {
  const row = await db.notifier.findFirst({ where: { id: notifierId, workspaceId } });
  if (!row) throw new ApiError('not_found', `Notifier ${notifierId} not found`);
  return row;
}

/** Creates a notifier with a fresh signing secret, returned here once (only its encrypted form is stored). */
export async function createNotifier(workspaceId: string, input: CreateNotifierInput, actor: Actor, now: Date): Promise<{ notifier: NotifierRow; signingSecret: string }> {
  const signingSecret = generateSigningSecret();
  const signingSecretEncrypted = await encryptSigningSecret(signingSecret);
  const notifier = await db.$transaction(async (tx) => {
    const row = await tx.notifier.create({ data: { id: newId(), workspaceId, name: input.name, url: input.url, signingSecretEncrypted, createdAt: now } });
    await recordAudit(tx, { workspaceId, actor, action: 'notifier.create', target: { kind: 'notifier', id: row.id, label: row.name }, after: snapshot(row), at: now });
    return row;
  });
  return { notifier, signingSecret };
}

export async function updateNotifier(workspaceId: string, notifierId: string, change: NotifierChange, actor: Actor, now: Date): Promise<NotifierRow> {
  return db.$transaction(async (tx) => {
    const current = await tx.notifier.findFirst({ where: { id: notifierId, workspaceId } });
    if (!current) throw new ApiError('not_found', `Notifier ${notifierId} not found`);
    const data: Prisma.NotifierUpdateInput = {};
    if (change.name !== undefined && change.name !== current.name) data.name = change.name;
    if (change.url !== undefined && change.url !== current.url) data.url = change.url;
    if (change.isActive !== undefined && change.isActive !== current.isActive) data.isActive = change.isActive;
    if (Object.keys(data).length === 0) return current;
    const row = await tx.notifier.update({ where: { id: current.id }, data });
    await recordAudit(tx, {
      workspaceId,
      actor,
      action: 'notifier.update',
      target: { kind: 'notifier', id: row.id, label: row.name },
      before: snapshot(current),
      after: snapshot(row),
      at: now,
    });
    return row;
  });
}

/** Deletes the notifier with its queued and past deliveries; budget alerts naming it simply skip it from now on. */
export async function deleteNotifier(workspaceId: string, notifierId: string, actor: Actor, now: Date): Promise<NotifierRow> {
  return db.$transaction(async (tx) => {
    const current = await tx.notifier.findFirst({ where: { id: notifierId, workspaceId } });
    if (!current) throw new ApiError('not_found', `Notifier ${notifierId} not found`);
    await tx.notifier.delete({ where: { id: current.id } });
    await recordAudit(tx, { workspaceId, actor, action: 'notifier.delete', target: { kind: 'notifier', id: current.id, label: current.name }, before: snapshot(current), at: now });
    return current;
  });
}

// GET /v2/notifiers: newest first, cursor-paginated.
export async function listNotifiers(workspaceId: string, query: ListNotifiersQuery): Promise<{ rows: NotifierRow[]; hasMore: boolean }> {
  const cursorId = query.starting_after ?? query.ending_before;
  const backwards = Boolean(query.ending_before);
  if (cursorId && !(await db.notifier.count({ where: { id: cursorId, workspaceId } }))) {
    throw fieldError('invalid_request', query.starting_after ? 'starting_after' : 'ending_before', `no notifier with id "${cursorId}"`);
  }
  const { where, orderBy } = keysetQuery({ field: 'id', direction: 'desc' }, cursorId ? { id: cursorId } : null, backwards);
  const rows = await db.notifier.findMany({
    where: { AND: [{ workspaceId }, where as Prisma.NotifierWhereInput] },
    orderBy: orderBy as Prisma.NotifierOrderByWithRelationInput[],
    take: query.limit + 1,
  });
  return takePage(rows, query.limit, backwards);
}

/** Every notifier of the workspace (Studio pages, alert pickers): few per workspace. */
export async function listAllNotifiers(workspaceId: string): Promise<NotifierRow[]> {
  return db.notifier.findMany({ where: { workspaceId }, orderBy: [{ name: 'asc' }, { id: 'asc' }] });
}

/** The last message of each notifier (its status shows in the Studio's list). */
export async function lastDeliveries(notifierIds: string[]): Promise<Map<string, DeliveryRow>> {
  const out = new Map<string, DeliveryRow>();
  await Promise.all(
    notifierIds.map(async (notifierId) => {
      const row = await db.webhookDelivery.findFirst({ where: { notifierId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], include: { attemptsLog: { orderBy: { attemptedAt: 'asc' } } } });
      if (row) out.set(notifierId, row);
    }),
  );
  return out;
}

// POST /v2/notifiers/{id}/test: a signed "test" message through the outbox, like any alert.
export async function sendTestMessage(workspaceId: string, notifierId: string, now: Date): Promise<DeliveryRow> {
  const notifier = await getNotifierOrThrow(workspaceId, notifierId);
  if (!notifier.isActive) throw fieldError('unprocessable', 'is_active', 'the notifier is inactive: activate it to send a test message');
  const [id] = await db.$transaction((tx) =>
    enqueueMessages(tx, {
      workspaceId,
      notifierIds: [notifier.id],
      eventType: 'test',
      body: { type: 'test', timestamp: now.toISOString(), data: { notifier_id: notifier.id, message: 'A test message from Tollbooth: this notifier receives budget alerts.' } },
      now,
    }),
  );
  return getDeliveryOrThrow(workspaceId, id);
}

export async function getDeliveryOrThrow(workspaceId: string, deliveryId: string): Promise<DeliveryRow> {
  const row = await db.webhookDelivery.findFirst({ where: { id: deliveryId, workspaceId }, include: { attemptsLog: { orderBy: { attemptedAt: 'asc' } } } });
  if (!row) throw new ApiError('not_found', `Delivery ${deliveryId} not found`);
  return row;
}

// GET /v2/notifiers/{id}/deliveries: the notifier's messages, newest first, each with its attempts.
export async function listDeliveries(workspaceId: string, notifierId: string, query: ListDeliveriesQuery): Promise<{ rows: DeliveryRow[]; hasMore: boolean }> {
  const notifier = await getNotifierOrThrow(workspaceId, notifierId);
  const cursorId = query.starting_after ?? query.ending_before;
  const backwards = Boolean(query.ending_before);
  if (cursorId && !(await db.webhookDelivery.count({ where: { id: cursorId, notifierId: notifier.id } }))) {
    throw fieldError('invalid_request', query.starting_after ? 'starting_after' : 'ending_before', `no delivery with id "${cursorId}"`);
  }
  const { where, orderBy } = keysetQuery({ field: 'id', direction: 'desc' }, cursorId ? { id: cursorId } : null, backwards);
  const rows = await db.webhookDelivery.findMany({
    where: { AND: [{ notifierId: notifier.id }, where as Prisma.WebhookDeliveryWhereInput] },
    orderBy: orderBy as Prisma.WebhookDeliveryOrderByWithRelationInput[],
    take: query.limit + 1,
    include: { attemptsLog: { orderBy: { attemptedAt: 'asc' } } },
  });
  return takePage(rows, query.limit, backwards);
}

/**
 * Budget alerts may only name notifiers of the workspace: a 404 naming `alerts.<i>.notifier_ids.<j>` otherwise.
 * No query when no alert names a notifier.
 */
export async function assertAlertNotifiers(workspaceId: string, alerts: { notifierIds: string[] }[] | undefined): Promise<void> {
  const named = (alerts ?? []).flatMap((a, i) => a.notifierIds.map((id, j) => ({ id, field: `alerts.${i}.notifier_ids.${j}` })));
  if (named.length === 0) return;
  const found = await db.notifier.findMany({ where: { workspaceId, id: { in: [...new Set(named.map((n) => n.id))] } }, select: { id: true } });
  const known = new Set(found.map((n) => n.id));
  const missing = named.find((n) => !known.has(n.id));
  if (missing) throw fieldError('not_found', missing.field, `no notifier with id "${missing.id}": create one with POST /v2/notifiers and use its id`);
}
