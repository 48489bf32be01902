import 'server-only';
import { db } from '../db';
import { isUniqueViolation } from '../db-errors';
import { newId } from '../ids';
import { ApiError, fieldError } from '../api/errors';
import { envProviders, type ProviderConfig } from '../gateway/providers';
import type { Prisma } from '../generated/prisma/client';
import { bumpConfigVersion, invalidateWorkspaceConfig } from '../workspaces/config';
import { checkConnection } from './connection';
import { decryptApiKey, encryptApiKey } from './encryption-key';
import { apiKeyHint, DEFAULT_BASE_URLS, PROVIDER_KINDS, type NewProvider, type ProviderChange, type ProviderKind } from './schema';
import type { ProviderInfo, ProviderTest } from './serialize';
import { recordAudit, recordUpdate } from '../audit/service';
import { providerSnapshot } from '../audit/snapshots';
import type { Actor } from '../audit/actor';

export type { ProviderInfo, ProviderTest };
type ProviderRow = Prisma.ProviderGetPayload<object>;
type Env = Record<string, string | undefined>;

const asKind = (kind: string): ProviderKind => ((PROVIDER_KINDS as readonly string[]).includes(kind) ? (kind as ProviderKind) : 'openai');

function fromRow(row: ProviderRow): ProviderInfo {
  return {
    id: row.id,
    name: row.name,
    kind: asKind(row.kind),
    baseUrl: row.baseUrl,
    hasApiKey: row.apiKeyEncrypted !== null,
    apiKeyHint: row.apiKeyEncrypted !== null ? (row.apiKeyHint ?? '') : null,
    source: 'database',
    overridden: false,
    lastTest: row.lastTestedAt && row.lastTestOk !== null ? { ok: row.lastTestOk, message: row.lastTestMessage ?? '', testedAt: row.lastTestedAt } : null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function fromEnv(config: ProviderConfig, overridden: boolean, lastTest: ProviderTest | null = null): ProviderInfo {
  return {
    id: null,
    name: config.name,
    kind: 'openai',
    baseUrl: config.baseUrl,
    hasApiKey: config.apiKey !== null,
    apiKeyHint: config.apiKey !== null ? apiKeyHint(config.apiKey) : null,
    source: 'environment',
    overridden,
    lastTest,
    createdAt: null,
    updatedAt: null,
  };
}

const providerTarget = (row: ProviderRow) => ({ kind: 'provider' as const, id: row.id, label: row.name });

const envVariable = (name: string) => `TOLLBOOTH_PROVIDER_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;

/** The workspace's database providers, then the environment's (a database provider of the same name overrides one). */
export async function listProviders(workspaceId: string, env: Env = process.env): Promise<ProviderInfo[]> {
  const rows = await db.provider.findMany({ where: { workspaceId }, orderBy: { name: 'asc' } });
  const names = new Set(rows.map((r) => r.name));
  return [...rows.map(fromRow), ...envProviders(env).map((c) => fromEnv(c, names.has(c.name)))];
}

/** By id, or by name (the only handle of an environment provider). */
async function findRow(workspaceId: string, ref: string): Promise<ProviderRow | null> {
  return (
    (await db.provider.findFirst({ where: { workspaceId, id: ref } })) ?? (await db.provider.findUnique({ where: { workspaceId_name: { workspaceId, name: ref } } }))
  );
}

const notFound = (ref: string) =>
  new ApiError('not_found', `Provider ${ref} not found`, [{ field: 'provider_id', issue: 'is not a provider id or name in this workspace' }]);

/** A database provider by id or name, or the environment provider of that name; 404 otherwise. */
export async function getProviderOrThrow(workspaceId: string, ref: string, env: Env = process.env): Promise<ProviderInfo> {
  const row = await findRow(workspaceId, ref);
  if (row) return fromRow(row);
  const fromEnvironment = envProviders(env).find((c) => c.name === ref);
  if (fromEnvironment) return fromEnv(fromEnvironment, false);
  throw notFound(ref);
}

/** The database row to change; an environment provider is read-only (409). */
async function getRowToChange(workspaceId: string, ref: string, env: Env): Promise<ProviderRow> {
  const row = await findRow(workspaceId, ref);
  if (row) return row;
  if (envProviders(env).some((c) => c.name === ref)) {
    throw new ApiError(
      'conflict',
      `Provider "${ref}" is configured by environment variables (${envVariable(ref)}_BASE_URL / _API_KEY): change them there, ` +
        `or add a provider named "${ref}" here, which takes its place`,
      [{ field: 'provider_id', issue: 'is configured by environment variables and cannot be changed through the API' }],
    );
  }
  throw notFound(ref);
}

const nameTaken = (name: string) => fieldError('conflict', 'name', `a provider named "${name}" already exists`);
const baseUrlRequired = () => fieldError('invalid_request', 'base_url', 'is required for an OpenAI-compatible provider, e.g. https://api.openai.com/v1');

async function sealedKey(apiKey: string | null): Promise<{ apiKeyEncrypted: string | null; apiKeyHint: string | null }> {
  if (apiKey === null) return { apiKeyEncrypted: null, apiKeyHint: null };
  return { apiKeyEncrypted: await encryptApiKey(apiKey), apiKeyHint: apiKeyHint(apiKey) };
}

/** Adds a provider (409 naming `name` when one has that name); the gateway routes "<name>/…" to it from the next call. */
export async function createProvider(workspaceId: string, actor: Actor, input: NewProvider): Promise<ProviderInfo> {
  const baseUrl = input.baseUrl ?? DEFAULT_BASE_URLS[input.kind];
  if (!baseUrl) throw baseUrlRequired();
  if (await db.provider.findUnique({ where: { workspaceId_name: { workspaceId, name: input.name } }, select: { id: true } })) throw nameTaken(input.name);
  const key = await sealedKey(input.apiKey);
  try {
    const row = await db.$transaction(async (tx) => {
      const created = await tx.provider.create({ data: { id: `prov_${newId()}`, workspaceId, name: input.name, kind: input.kind, baseUrl, ...key } });
      await bumpConfigVersion(tx, workspaceId);
      await recordAudit(tx, { workspaceId, actor, action: 'provider.create', target: providerTarget(created), after: providerSnapshot(created) });
      return created;
    });
    return fromRow(row);
  } catch (err) {
    if (isUniqueViolation(err)) throw nameTaken(input.name);
    throw err;
  } finally {
    // Also after the commit: a call that reloaded during the transaction must not keep the old copy.
    invalidateWorkspaceConfig(workspaceId);
  }
}

/** Changes a database provider; a new key, base URL or kind clears the last test (it tested something else). */
export async function updateProvider(workspaceId: string, actor: Actor, ref: string, change: ProviderChange, env: Env = process.env): Promise<ProviderInfo> {
  const row = await getRowToChange(workspaceId, ref, env);
  const data: Prisma.ProviderUpdateInput = {};
  if (change.name !== undefined && change.name !== row.name) {
    if (await db.provider.findUnique({ where: { workspaceId_name: { workspaceId, name: change.name } }, select: { id: true } })) throw nameTaken(change.name);
    data.name = change.name;
  }
  const kind = change.kind ?? asKind(row.kind);
  if (kind !== row.kind) data.kind = kind;
  if (change.baseUrl !== undefined) {
    const baseUrl = change.baseUrl ?? DEFAULT_BASE_URLS[kind];
    if (!baseUrl) throw baseUrlRequired();
    if (baseUrl !== row.baseUrl) data.baseUrl = baseUrl;
  } else if (kind !== row.kind && row.baseUrl === DEFAULT_BASE_URLS[asKind(row.kind)]) {
    // Still on the old kind's default endpoint: take the new kind's.
    const baseUrl = DEFAULT_BASE_URLS[kind];
    if (!baseUrl) throw baseUrlRequired();
    data.baseUrl = baseUrl;
  }
  if (change.apiKey !== undefined) Object.assign(data, await sealedKey(change.apiKey));
  if (Object.keys(data).length === 0) return fromRow(row);
  if (data.kind !== undefined || data.baseUrl !== undefined || data.apiKeyEncrypted !== undefined) {
    Object.assign(data, { lastTestedAt: null, lastTestOk: null, lastTestMessage: null });
  }
  try {
    const updated = await db.$transaction(async (tx) => {
      const saved = await tx.provider.update({ where: { id: row.id }, data });
      await bumpConfigVersion(tx, workspaceId);
      // A rotated key shows as a new hint; the key itself is never recorded.
      const before = { ...providerSnapshot(row), ...(data.apiKeyEncrypted !== undefined ? { api_key: row.apiKeyEncrypted ? 'set' : 'none' } : {}) };
      const after = { ...providerSnapshot(saved), ...(data.apiKeyEncrypted !== undefined ? { api_key: saved.apiKeyEncrypted ? 'replaced' : 'removed' } : {}) };
      await recordUpdate(tx, { workspaceId, actor, action: 'provider.update', target: providerTarget(saved) }, before, after);
      return saved;
    });
    return fromRow(updated);
  } catch (err) {
    if (isUniqueViolation(err) && change.name) throw nameTaken(change.name);
    throw err;
  } finally {
    invalidateWorkspaceConfig(workspaceId);
  }
}

/** Deletes a database provider; calls to "<name>/…" then go to the environment provider of that name, if any. */
export async function deleteProvider(workspaceId: string, actor: Actor, ref: string, env: Env = process.env): Promise<ProviderInfo> {
  const row = await getRowToChange(workspaceId, ref, env);
  try {
    await db.$transaction(async (tx) => {
      await tx.provider.delete({ where: { id: row.id } });
      await bumpConfigVersion(tx, workspaceId);
      await recordAudit(tx, { workspaceId, actor, action: 'provider.delete', target: providerTarget(row), before: providerSnapshot(row) });
    });
  } finally {
    invalidateWorkspaceConfig(workspaceId);
  }
  return fromRow(row);
}

/**
 * "Test connection": GET {base_url}/models with the key. A database provider keeps the result (lastTested…);
 * an environment provider's is only returned.
 */
export async function testProvider(workspaceId: string, ref: string, now: Date, env: Env = process.env): Promise<{ provider: ProviderInfo; test: ProviderTest }> {
  const row = await findRow(workspaceId, ref);
  if (!row) {
    const config = envProviders(env).find((c) => c.name === ref);
    if (!config) throw notFound(ref);
    const test = { ...(await checkConnection({ kind: 'openai', baseUrl: config.baseUrl, apiKey: config.apiKey })), testedAt: now };
    return { provider: fromEnv(config, false, test), test };
  }
  let check: { ok: boolean; message: string };
  try {
    const apiKey = row.apiKeyEncrypted ? await decryptApiKey(row.name, row.apiKeyEncrypted) : null;
    check = await checkConnection({ kind: asKind(row.kind), baseUrl: row.baseUrl, apiKey });
  } catch (err) {
    check = { ok: false, message: err instanceof Error ? err.message : 'the stored API key cannot be read' };
  }
  const test = { ...check, testedAt: now };
  // Only if the provider was not changed meanwhile (the result is about what was tested); a test is not an edit.
  await db.provider.updateMany({
    where: { id: row.id, updatedAt: row.updatedAt },
    data: { lastTestedAt: now, lastTestOk: test.ok, lastTestMessage: test.message.slice(0, 500), updatedAt: row.updatedAt },
  });
  const saved = await db.provider.findUnique({ where: { id: row.id } });
  return { provider: fromRow(saved ?? row), test };
}
