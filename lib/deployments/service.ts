import 'server-only';
import { z } from 'zod';
import { db } from '../db';
import { isUniqueViolation } from '../db-errors';
import { newId } from '../ids';
import { ApiError, fieldError } from '../api/errors';
import type { Prisma } from '../generated/prisma/client';
import { keysetQuery, takePage } from '../pagination/keyset';
import { bumpConfigVersion } from '../workspaces/config';
import { recordAudit, recordUpdate } from '../audit/service';
import { deploymentSnapshot } from '../audit/snapshots';
import type { Actor } from '../audit/actor';
import { PROMPT_ROLES, type Deployment, type DeploymentChange, type ListDeploymentsQuery, type NewDeployment } from './schema';

export type { Deployment };

type DeploymentRow = Prisma.DeploymentGetPayload<object>;

// The Json columns as written by this service; anything else reads as empty rather than breaking a call.
const storedMessages = z.array(z.object({ role: z.enum(PROMPT_ROLES), content: z.string() }));
const storedParameters = z.record(z.string(), z.unknown());
const storedFallbacks = z.array(z.string());

/** A row → the domain deployment (the Studio's read model maps its rows with it too). */
export function toDeployment(row: DeploymentRow): Deployment {
  return {
    id: row.id,
    workspaceId: row.workspaceId,
    key: row.key,
    description: row.description,
    provider: row.provider,
    model: row.model,
    parameters: storedParameters.safeParse(row.parameters).data ?? {},
    messages: storedMessages.safeParse(row.messages).data ?? [],
    fallbacks: storedFallbacks.safeParse(row.fallbacks).data ?? [],
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

const deploymentTarget = (d: { id: string; key: string }) => ({ kind: 'deployment' as const, id: d.id, label: d.key });

const json = (value: unknown) => value as Prisma.InputJsonValue;

const duplicateKey = (key: string) => fieldError('conflict', 'key', `a deployment with key "${key}" already exists`);

/** The deployment callers name by `key` (invoke, stream, get_config); 404 when the workspace has none. */
export async function getDeploymentByKey(workspaceId: string, key: string): Promise<Deployment> {
  const row = await db.deployment.findUnique({ where: { workspaceId_key: { workspaceId, key } } });
  if (!row) throw new ApiError('not_found', `Deployment "${key}" not found`);
  return toDeployment(row);
}

/** By id, or by key (keys cannot look like ids, so the two never collide); null when neither matches. */
export async function findDeployment(workspaceId: string, idOrKey: string): Promise<Deployment | null> {
  const rows = await db.deployment.findMany({ where: { workspaceId, OR: [{ id: idOrKey }, { key: idOrKey }] }, take: 2 });
  const row = rows.find((r) => r.id === idOrKey) ?? rows[0];
  return row ? toDeployment(row) : null;
}

export async function getDeploymentOrThrow(workspaceId: string, idOrKey: string): Promise<Deployment> {
  const deployment = await findDeployment(workspaceId, idOrKey);
  if (!deployment) throw new ApiError('not_found', `Deployment ${idOrKey} not found`);
  return deployment;
}

/** Cursor-paginated, newest first (`GET /v2/deployments`, as orq orders it). */
export async function listDeployments(workspaceId: string, query: ListDeploymentsQuery): Promise<{ rows: Deployment[]; hasMore: boolean }> {
  const cursorId = query.starting_after ?? query.ending_before;
  const backwards = Boolean(query.ending_before);
  let anchor: DeploymentRow | null = null;
  if (cursorId) {
    anchor = await db.deployment.findFirst({ where: { id: cursorId, workspaceId } });
    if (!anchor) throw fieldError('invalid_request', query.starting_after ? 'starting_after' : 'ending_before', `no deployment with id "${cursorId}"`);
  }
  const keyset = keysetQuery({ field: 'id', direction: 'desc' }, anchor, backwards);
  const rows = await db.deployment.findMany({
    where: { AND: [{ workspaceId }, keyset.where as Prisma.DeploymentWhereInput] },
    orderBy: keyset.orderBy as Prisma.DeploymentOrderByWithRelationInput[],
    take: query.limit + 1,
  });
  const page = takePage(rows, query.limit, backwards);
  return { rows: page.rows.map(toDeployment), hasMore: page.hasMore };
}

/** Adds a deployment (409 naming `key` when the workspace has one with that key); version 1. */
export async function createDeployment(workspaceId: string, actor: Actor, input: NewDeployment): Promise<Deployment> {
  const clash = await db.deployment.findUnique({ where: { workspaceId_key: { workspaceId, key: input.key } }, select: { id: true } });
  if (clash) throw duplicateKey(input.key);
  try {
    const row = await db.$transaction(async (tx) => {
      const created = await tx.deployment.create({
        data: {
          id: newId(),
          workspaceId,
          key: input.key,
          description: input.description,
          provider: input.provider,
          model: input.model,
          parameters: json(input.parameters),
          messages: json(input.messages),
          fallbacks: json(input.fallbacks),
        },
      });
      await bumpConfigVersion(tx, workspaceId);
      await recordAudit(tx, { workspaceId, actor, action: 'deployment.create', target: deploymentTarget(created), after: deploymentSnapshot(toDeployment(created)), at: created.createdAt });
      return created;
    });
    return toDeployment(row);
  } catch (err) {
    throw isUniqueViolation(err) ? duplicateKey(input.key) : err;
  }
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Applies a change and increments the version; a change that sets nothing new returns the deployment as it is. */
export async function updateDeployment(workspaceId: string, actor: Actor, idOrKey: string, change: DeploymentChange): Promise<Deployment> {
  const current = await getDeploymentOrThrow(workspaceId, idOrKey);
  const data: Prisma.DeploymentUpdateInput = {};
  if (change.key !== undefined && change.key !== current.key) data.key = change.key;
  if (change.provider !== undefined && change.provider !== current.provider) data.provider = change.provider;
  if (change.model !== undefined && change.model !== current.model) data.model = change.model;
  if (change.description !== undefined && change.description !== current.description) data.description = change.description;
  if (change.parameters !== undefined && !same(change.parameters, current.parameters)) data.parameters = json(change.parameters);
  if (change.messages !== undefined && !same(change.messages, current.messages)) data.messages = json(change.messages);
  if (change.fallbacks !== undefined && !same(change.fallbacks, current.fallbacks)) data.fallbacks = json(change.fallbacks);
  if (Object.keys(data).length === 0) return current;
  if (change.key !== undefined && change.key !== current.key) {
    const clash = await db.deployment.findUnique({ where: { workspaceId_key: { workspaceId, key: change.key } }, select: { id: true } });
    if (clash) throw duplicateKey(change.key);
  }
  const fallbacks = change.fallbacks ?? current.fallbacks;
  const primary = `${change.provider ?? current.provider}/${change.model ?? current.model}`;
  const index = fallbacks.indexOf(primary);
  if (index !== -1) {
    throw change.fallbacks !== undefined
      ? fieldError('invalid_request', `fallbacks.${index}`, 'is already the primary model')
      : fieldError('invalid_request', 'model', `is also fallback ${index + 1}; remove it from the fallbacks first`);
  }
  try {
    const row = await db.$transaction(async (tx) => {
      const updated = await tx.deployment.update({ where: { id: current.id }, data: { ...data, version: { increment: 1 } } });
      await bumpConfigVersion(tx, workspaceId);
      const entry = { workspaceId, actor, action: 'deployment.update' as const, target: deploymentTarget(updated), at: updated.updatedAt };
      await recordUpdate(tx, entry, deploymentSnapshot(current), deploymentSnapshot(toDeployment(updated)));
      return updated;
    });
    return toDeployment(row);
  } catch (err) {
    throw isUniqueViolation(err) && change.key !== undefined ? duplicateKey(change.key) : err;
  }
}

/** Kinds of the workspace's providers (openai, anthropic, google) by name, to give a custom provider its orq name. */
export async function getProviderKinds(workspaceId: string): Promise<Map<string, string>> {
  const rows = await db.provider.findMany({ where: { workspaceId }, select: { name: true, kind: true } });
  return new Map(rows.map((r) => [r.name, r.kind]));
}

/** Deletes a deployment; its usage events keep their deploymentId (and their cost). */
export async function deleteDeployment(workspaceId: string, actor: Actor, idOrKey: string): Promise<Deployment> {
  const current = await getDeploymentOrThrow(workspaceId, idOrKey);
  await db.$transaction(async (tx) => {
    await tx.deployment.delete({ where: { id: current.id } });
    await bumpConfigVersion(tx, workspaceId);
    await recordAudit(tx, { workspaceId, actor, action: 'deployment.delete', target: deploymentTarget(current), before: deploymentSnapshot(current) });
  });
  return current;
}
