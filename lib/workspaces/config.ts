import 'server-only';
import { db, dbProvider, type Tx } from '../db';
import { query } from '../sql-exec';
import { priceKey, type CustomPrice, type PriceBook } from '../usage/pricing';
import { Prisma } from '../generated/prisma/client';
import type { ProviderConfig } from '../gateway/providers';
import { decryptApiKey } from '../providers/encryption-key';
import { log } from '../log';

export type BudgetRow = Prisma.BudgetGetPayload<object>;
export type IdentityRef = { id: string; externalId: string };

/**
 * What the hot path reads on every call and rarely changes: budget definitions, custom prices,
 * settings, providers and identities, cached per process. Every change bumps `Workspace.configVersion`, and each
 * admission compares it inside its transaction, so a stale copy (from this or another instance) is
 * noticed and reloaded before it can decide anything.
 */
export type WorkspaceConfig = {
  workspaceId: string;
  version: number;
  allowUnpricedCalls: boolean;
  prices: PriceBook;
  /** Budgets of every scope but identity (few per workspace). */
  sharedBudgets: BudgetRow[];
  /** Identity budgets, loaded per identity on first use. */
  identityBudgets: Map<string, BudgetRow[]>;
  /** External id → identity, filled by the gateway. */
  identities: Map<string, IdentityRef>;
  /** Database providers by name, keys decrypted (they win over environment providers of the same name). */
  providers: Map<string, ProviderConfig>;
  /** Database providers whose key cannot be decrypted here: name → why, told to each call that names them. */
  unreadableProviders: Map<string, string>;
};

const MAX_CACHED_IDENTITIES = 50_000;
// On globalThis: every route bundle of the server shares one cache.
const globalForConfig = globalThis as unknown as { tollboothConfigs?: Map<string, Promise<WorkspaceConfig>> };
const configs = (globalForConfig.tollboothConfigs ??= new Map<string, Promise<WorkspaceConfig>>());

async function loadConfig(workspaceId: string): Promise<WorkspaceConfig> {
  // The version first: what is read after it is at least as new, so a change committed meanwhile makes the cache look
  // stale (and reloaded), never current with older data.
  const workspace = await db.workspace.findUniqueOrThrow({ where: { id: workspaceId }, select: { configVersion: true, allowUnpricedCalls: true } });
  const [sharedBudgets, prices, providerRows] = await Promise.all([
    db.budget.findMany({ where: { workspaceId, scopeKind: { not: 'identity' } } }),
    db.modelPrice.findMany({ where: { workspaceId } }),
    db.provider.findMany({ where: { workspaceId }, select: { name: true, kind: true, baseUrl: true, apiKeyEncrypted: true } }),
  ]);
  const providers = new Map<string, ProviderConfig>();
  const unreadableProviders = new Map<string, string>();
  for (const p of providerRows) {
    try {
      const apiKey = p.apiKeyEncrypted ? await decryptApiKey(p.name, p.apiKeyEncrypted) : null;
      providers.set(p.name, { name: p.name, baseUrl: p.baseUrl, apiKey, kind: p.kind });
    } catch (err) {
      log.error({ err }, 'provider key unreadable');
      unreadableProviders.set(p.name, err instanceof Error ? err.message : String(err));
    }
  }
  return {
    workspaceId,
    version: workspace.configVersion,
    allowUnpricedCalls: workspace.allowUnpricedCalls,
    prices: new Map(prices.map((p): [string, CustomPrice] => [priceKey(p.provider, p.model), p])),
    sharedBudgets,
    identityBudgets: new Map(),
    identities: new Map(),
    providers,
    unreadableProviders,
  };
}

/** The cached configuration of a workspace (loaded once; reloaded after a change). */
export function getWorkspaceConfig(workspaceId: string): Promise<WorkspaceConfig> {
  let config = configs.get(workspaceId);
  if (!config) {
    config = loadConfig(workspaceId);
    configs.set(workspaceId, config);
    config.catch(() => configs.delete(workspaceId));
  }
  return config;
}

/** Forget the cached configuration; the next call reloads it. */
export function invalidateWorkspaceConfig(workspaceId: string): void {
  configs.delete(workspaceId);
}

/** Within the transaction that changes budgets, prices, settings, keys or providers: make every instance reload. */
export async function bumpConfigVersion(tx: Tx | typeof db, workspaceId: string): Promise<void> {
  await tx.workspace.update({ where: { id: workspaceId }, data: { configVersion: { increment: 1 } } });
  invalidateWorkspaceConfig(workspaceId);
}

/** The identity's own budgets, cached with the configuration. */
export async function identityBudgetsOf(config: WorkspaceConfig, identityId: string): Promise<BudgetRow[]> {
  const cached = config.identityBudgets.get(identityId);
  if (cached) return cached;
  const rows = await db.budget.findMany({ where: { identityId, scopeKind: 'identity' } });
  if (config.identityBudgets.size >= MAX_CACHED_IDENTITIES) config.identityBudgets.clear();
  config.identityBudgets.set(identityId, rows);
  return rows;
}

/** Remembers an identity resolved by external id (identities are deleted only with a version bump). */
export function rememberIdentity(config: WorkspaceConfig, identity: IdentityRef): void {
  if (config.identities.size >= MAX_CACHED_IDENTITIES) config.identities.clear();
  config.identities.set(identity.externalId, identity);
}

/** The workspace's config version as stored now (read inside a transaction, it is that transaction's view). */
/** The workspace's config version (bumped by every change the cache holds). */
export const configVersionSql = (workspaceId: string) => Prisma.sql`SELECT "configVersion" AS v FROM "Workspace" WHERE "id" = ${workspaceId}`;

/** The version in a configVersionSql row, null when the workspace is gone. */
export const versionFrom = (row: { v: number | bigint } | undefined): number | null => (row ? Number(row.v) : null);

export async function readConfigVersion(client: Tx | typeof db, workspaceId: string): Promise<number | null> {
  return versionFrom((await query<{ v: number | bigint }>(client, configVersionSql(workspaceId)))[0]);
}

/**
 * The configuration version `tx` sees, held still until `tx` ends on PostgreSQL (FOR SHARE on the workspace's row): a
 * writer of usage takes it before it reads the budgets its events count toward. A change that moves the version — a
 * budget made, reset or given another period, whose counter starts from the events written so far (bumpConfigVersion
 * first) — then waits for the writers in flight, and the writers after it see the change: no event is missed by both.
 * (SQLite's single writer orders them already.)
 */
export async function holdConfigVersion(tx: Tx, workspaceId: string): Promise<number | null> {
  if (dbProvider !== 'postgresql') return readConfigVersion(tx, workspaceId);
  return versionFrom((await query<{ v: number | bigint }>(tx, Prisma.sql`${configVersionSql(workspaceId)} FOR SHARE`))[0]);
}

/**
 * The cached configuration when it is the one `tx` sees (its version read in `tx`); otherwise null, and the stale
 * copy is dropped (the next caller loads the current one). What a transaction takes from a non-null answer is as
 * current as the transaction itself.
 */
export async function configSeenBy(tx: Tx, workspaceId: string): Promise<WorkspaceConfig | null> {
  const config = await getWorkspaceConfig(workspaceId);
  if ((await holdConfigVersion(tx, workspaceId)) === config.version) return config;
  invalidateWorkspaceConfig(workspaceId);
  return null;
}

/**
 * The budgets that may count a batch's events, from a current cache (configSeenBy) that holds every identity's
 * budgets (no ORM query on the hot path); null when the caller must read them.
 */
export function cachedBudgetsFor(config: WorkspaceConfig | null, identityIds: string[]): BudgetRow[] | null {
  if (!config) return null;
  const own = identityIds.map((id) => config.identityBudgets.get(id));
  if (own.some((rows) => rows === undefined)) return null;
  return [...(own as BudgetRow[][]).flat(), ...config.sharedBudgets];
}

/**
 * The budgets that may count a batch's events, read in `tx` (every scope but identity, and these identities' own),
 * when cachedBudgetsFor could not answer. With a current cache (configSeenBy), the identities' budgets are
 * remembered with it (none is remembered as none): the next batches naming them run no ORM query.
 */
export async function readBudgetsFor(tx: Tx, workspaceId: string, identityIds: string[], config: WorkspaceConfig | null): Promise<BudgetRow[]> {
  const byIdentity = identityIds.length <= MAX_LISTED_IDENTITIES;
  // Past MAX_LISTED_IDENTITIES, every budget of the workspace. (Not `in: undefined`: Prisma drops that condition, and
  // an OR branch without one matched nothing — such a batch counted no identity budget.)
  const rows = await tx.budget.findMany({
    where: byIdentity ? { workspaceId, OR: [{ scopeKind: { not: 'identity' } }, { identityId: { in: identityIds } }] } : { workspaceId },
  });
  // Either way every budget of these identities was read (past MAX_LISTED_IDENTITIES, every identity budget of the
  // workspace): each identity's own are remembered.
  if (config) {
    const own = new Map<string, BudgetRow[]>(identityIds.map((id) => [id, []]));
    for (const row of rows) if (row.scopeKind === 'identity' && row.identityId) own.get(row.identityId)?.push(row);
    if (config.identityBudgets.size + own.size > MAX_CACHED_IDENTITIES) config.identityBudgets.clear();
    for (const [id, budgets] of own) config.identityBudgets.set(id, budgets);
  }
  return rows;
}

/** Most identity ids one budget query lists (SQLite binds at most 32,766 parameters); more read every identity budget. */
const MAX_LISTED_IDENTITIES = 500;

/** The custom prices a batch is charged with: a current cache's (configSeenBy), else the stored ones, read in `tx`. */
export async function pricesFor(tx: Tx, workspaceId: string, config: WorkspaceConfig | null): Promise<PriceBook> {
  if (config) return config.prices;
  return new Map((await tx.modelPrice.findMany({ where: { workspaceId } })).map((p): [string, CustomPrice] => [priceKey(p.provider, p.model), p]));
}
