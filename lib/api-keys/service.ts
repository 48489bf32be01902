import 'server-only';
import { db } from '../db';
import { newId } from '../ids';
import { ApiError, fieldError } from '../api/errors';
import { findIdentityRow } from '../identities/lookup';
import { bumpConfigVersion } from '../workspaces/config';
import { KEY_GENERATION_HINT, SHOWN_KEY_CHARS, API_KEY_PREFIX, displayPrefix, generateApiKey, hashApiKey, weakKeyReason } from './crypto';
import { log } from '../log';
import { asApiKeyScope, type ApiKeyScope } from './scope';
import { isUniqueViolation } from '../db-errors';
import { recordAudit } from '../audit/service';
import { apiKeySnapshot } from '../audit/snapshots';
import { actorTag, systemActor, type Actor } from '../audit/actor';

/** Who calls: the key, its workspace and, when an admin gave it one, the identity that owns it (calls without an identity are its calls). */
export type ApiPrincipal = {
  keyId: string;
  workspaceId: string;
  name: string;
  owner: { id: string; externalId: string } | null;
  /** read_only keys may read and check budgets, never change or spend (lib/api/handler.ts refuses the rest). */
  scope: ApiKeyScope;
};

const LAST_USED_GRANULARITY_MS = 60_000;

type CachedKey = { principal: ApiPrincipal; until: number };
// On globalThis: every route bundle of the server shares one cache.
const shared = globalThis as unknown as { tollboothKeyCache?: Map<string, CachedKey> };
const keyCache = (shared.tollboothKeyCache ??= new Map<string, CachedKey>());

/**
 * The hot path's authentication: a key checked in the last minute is trusted from memory. A revoked
 * key bumps the workspace's config version, which admission checks on every call, so a revocation on
 * any instance stops the key on the very next call that spends.
 */
export async function authenticateApiKeyCached(key: string | null, now: Date): Promise<ApiPrincipal> {
  if (!key) return authenticateApiKey(key, now);
  const hash = hashApiKey(key);
  const hit = keyCache.get(hash);
  if (hit && hit.until > Date.now()) return hit.principal;
  const principal = await authenticateApiKey(key, now);
  if (keyCache.size > 10_000) keyCache.clear();
  keyCache.set(hash, { principal, until: Date.now() + LAST_USED_GRANULARITY_MS });
  return principal;
}

type KeyRow = {
  id: string;
  workspaceId: string;
  name: string;
  scope: string;
  revokedAt: Date | string | null;
  lastUsedAt: Date | string | null;
  ownerId: string | null;
  ownerExternalId: string | null;
};

/** Resolve a presented key to its workspace, or throw 401. */
export async function authenticateApiKey(key: string | null, now: Date): Promise<ApiPrincipal> {
  if (!key) throw new ApiError('unauthorized', 'Missing API key: send "Authorization: Bearer <key>"');
  // One raw statement: every API request runs it, and the ORM's query compile cost more than the read.
  const [record] = await db.$queryRaw<KeyRow[]>`
    SELECT k."id", k."workspaceId", k."name", k."scope", k."revokedAt", k."lastUsedAt", o."id" AS "ownerId", o."externalId" AS "ownerExternalId"
    FROM "ApiKey" k LEFT JOIN "Identity" o ON o."id" = k."ownerIdentityId"
    WHERE k."hash" = ${hashApiKey(key)}`;
  if (!record || record.revokedAt !== null) throw new ApiError('unauthorized', 'Invalid or revoked API key');
  // Write last-used at most once a minute, so reads stay reads.
  if (record.lastUsedAt === null || now.getTime() - new Date(record.lastUsedAt).getTime() > LAST_USED_GRANULARITY_MS) {
    await db.apiKey.update({ where: { id: record.id }, data: { lastUsedAt: now } });
  }
  const owner = record.ownerId !== null && record.ownerExternalId !== null ? { id: record.ownerId, externalId: record.ownerExternalId } : null;
  return { keyId: record.id, workspaceId: record.workspaceId, name: record.name, owner, scope: asApiKeyScope(record.scope) };
}

const keyTarget = (key: { id: string; name: string }) => ({ kind: 'api_key' as const, id: key.id, label: key.name });

/** Creates a key and returns its secret, which is never retrievable again (nor recorded: the audit log keeps its prefix). */
export async function createApiKey(workspaceId: string, actor: Actor, name: string, scope: ApiKeyScope = 'read_write') {
  const secret = generateApiKey();
  const key = await db.$transaction(async (tx) => {
    const row = await tx.apiKey.create({
      data: { id: newId(), workspaceId, name, prefix: displayPrefix(secret), hash: hashApiKey(secret), createdBy: actorTag(actor), scope },
    });
    await recordAudit(tx, { workspaceId, actor, action: 'api_key.create', target: keyTarget(row), after: apiKeySnapshot(row, null), at: row.createdAt });
    return row;
  });
  return { key, secret };
}

/** Refuses to start with a weak TOLLBOOTH_API_KEY (TOLLBOOTH_ALLOW_WEAK_API_KEY=1 allows one, for local tries only). */
export function assertStrongRootKey(key: string, env: Record<string, string | undefined> = process.env): void {
  const reason = weakKeyReason(key);
  if (!reason) return;
  if (env.TOLLBOOTH_ALLOW_WEAK_API_KEY === '1') {
    log.warn(`TOLLBOOTH_API_KEY is weak (${reason}); allowed by TOLLBOOTH_ALLOW_WEAK_API_KEY=1. Never do this on a reachable server.`);
    return;
  }
  throw new Error(`TOLLBOOTH_API_KEY is too weak: ${reason}. ${KEY_GENERATION_HINT}`);
}

/** Keys stored before prefixes were shortened keep only what the Studio now shows. */
export async function shortenStoredPrefixes(): Promise<void> {
  const length = API_KEY_PREFIX.length + SHOWN_KEY_CHARS;
  await db.$executeRawUnsafe(`UPDATE "ApiKey" SET "prefix" = substr("prefix", 1, ${length}) WHERE length("prefix") > ${length}`);
}

/**
 * Registers a key chosen by the operator (TOLLBOOTH_API_KEY); idempotent across restarts. A key an
 * admin revoked stays revoked: a restart must not bring back a leaked key.
 */
export async function ensureApiKey(workspaceId: string, secret: string, name: string) {
  const hash = hashApiKey(secret);
  let key = await db.apiKey.findUnique({ where: { hash } });
  if (!key) {
    try {
      key = await db.$transaction(async (tx) => {
        const row = await tx.apiKey.create({ data: { id: newId(), workspaceId, name, prefix: displayPrefix(secret), hash, createdBy: 'environment' } });
        const actor = systemActor('Environment (TOLLBOOTH_API_KEY)');
        await recordAudit(tx, { workspaceId, actor, action: 'api_key.create', target: keyTarget(row), after: apiKeySnapshot(row, null), at: row.createdAt });
        return row;
      });
    } catch (err) {
      // Registered by another instance starting at the same moment.
      if (!isUniqueViolation(err)) throw err;
      key = await db.apiKey.findUniqueOrThrow({ where: { hash } });
    }
  }
  if (key.revokedAt) log.warn('TOLLBOOTH_API_KEY was revoked in the Studio and stays revoked; set a new key to use one.');
  return key;
}

export async function listApiKeys(workspaceId: string) {
  return db.apiKey.findMany({
    where: { workspaceId },
    include: { ownerIdentity: { select: { id: true, externalId: true, displayName: true } } },
    orderBy: [{ revokedAt: 'asc' }, { createdAt: 'desc' }],
  });
}

/**
 * Gives a key an owner identity (by id or external id), or takes it away (null): calls made with the
 * key that name no identity are attributed to its owner. Every instance forgets its cached keys.
 */
export async function setApiKeyOwner(workspaceId: string, actor: Actor, id: string, ownerIdOrExternalId: string | null, now: Date = new Date()) {
  const key = await db.apiKey.findFirst({ where: { id, workspaceId }, include: { ownerIdentity: { select: { externalId: true } } } });
  if (!key) throw new ApiError('not_found', `API key ${id} not found`);
  let owner: { id: string; externalId: string } | null = null;
  if (ownerIdOrExternalId) {
    owner = await findIdentityRow(db, workspaceId, ownerIdOrExternalId);
    if (!owner) throw fieldError('not_found', 'owner', `identity "${ownerIdOrExternalId}" not found`);
  }
  const ownerIdentityId = owner?.id ?? null;
  const updated = await db.$transaction(async (tx) => {
    const row = await tx.apiKey.update({ where: { id }, data: { ownerIdentityId } });
    await bumpConfigVersion(tx, workspaceId);
    if (key.ownerIdentityId !== ownerIdentityId) {
      await recordAudit(tx, {
        workspaceId,
        actor,
        action: 'api_key.owner_change',
        target: keyTarget(row),
        before: { owner: key.ownerIdentity?.externalId ?? null },
        after: { owner: owner?.externalId ?? null },
        at: now,
      });
    }
    return row;
  });
  keyCache.clear();
  return updated;
}

export async function revokeApiKey(workspaceId: string, actor: Actor, id: string, now: Date) {
  const key = await db.apiKey.findFirst({ where: { id, workspaceId } });
  if (!key) throw new ApiError('not_found', `API key ${id} not found`);
  if (key.revokedAt) return key;
  const revoked = await db.$transaction(async (tx) => {
    const row = await tx.apiKey.update({ where: { id }, data: { revokedAt: now } });
    await bumpConfigVersion(tx, workspaceId);
    const target = keyTarget(row);
    await recordAudit(tx, { workspaceId, actor, action: 'api_key.revoke', target, before: { revoked_at: null }, after: { revoked_at: now.toISOString() }, at: now });
    return row;
  });
  keyCache.clear();
  return revoked;
}
