import 'server-only';
import { db } from '../db';
import { fieldError } from '../api/errors';
import type { ApiPrincipal } from '../api-keys/service';
import { createIdentityTx, updateIdentity } from '../identities/service';
import type { IdentitySource, NewIdentity } from '../identities/schema';
import { getWorkspaceConfig, rememberIdentity, type IdentityRef, type WorkspaceConfig } from '../workspaces/config';
import { publicIdentitySchema, type PublicIdentity } from './schema';

// Who an LLM call is for, on every call path (router v2/v3, embeddings, deployments): the identity the
// request names — created on first use and updated when its profile fields change (orq's upsert) —
// else the API key's owner identity.

/** The profile fields a request can set, in the form they are stored. */
type Profile = Omit<NewIdentity, 'externalId'>;

/** What was last read or written for each identity, per cached workspace config (a config reload forgets it). */
const profiles = new WeakMap<WorkspaceConfig, Map<string, string>>();

const stableJson = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b))) : v,
  );

function requestedProfile(who: PublicIdentity): Profile {
  const profile: Profile = {};
  if (who.display_name !== undefined) profile.displayName = who.display_name;
  if (who.email !== undefined) profile.email = who.email;
  // orq sends any string; only an http(s) URL is kept as the avatar.
  if (who.logo_url && /^https?:\/\//.test(who.logo_url)) profile.avatarUrl = who.logo_url;
  if (who.tags !== undefined) profile.tags = [...new Set(who.tags)];
  if (who.metadata !== undefined) profile.metadata = Object.assign({}, ...who.metadata);
  return profile;
}

type StoredRow = { displayName: string | null; email: string | null; avatarUrl: string | null; tags: unknown; metadata: unknown };

/** Stored values of the fields a request names, one key per field (so only named fields are compared). */
function storedFields(row: StoredRow): Record<keyof Profile, string> {
  return {
    displayName: stableJson(row.displayName ?? null),
    email: stableJson(row.email ?? null),
    avatarUrl: stableJson(row.avatarUrl ?? null),
    tags: stableJson(row.tags ?? []),
    metadata: stableJson(row.metadata ?? {}),
  };
}

/** The fields of `wanted` that differ from what is stored. */
function changedFields(wanted: Profile, stored: Record<keyof Profile, string>): Profile {
  const differs = (field: keyof Profile) => wanted[field] !== undefined && stableJson(wanted[field]) !== stored[field];
  return Object.fromEntries(Object.entries(wanted).filter(([field]) => differs(field as keyof Profile))) as Profile;
}

const profileSelect = { id: true, externalId: true, displayName: true, email: true, avatarUrl: true, tags: true, metadata: true } as const;

/**
 * The identity a call names, by external id: created on first use (source "gateway", or `source`), its profile
 * updated when the request's fields differ from what is stored — with no write when nothing changed.
 */
export async function upsertCallIdentity(workspaceId: string, who: PublicIdentity, source: IdentitySource = 'gateway'): Promise<IdentityRef> {
  const config = await getWorkspaceConfig(workspaceId);
  const wanted = requestedProfile(who);
  const seen = (profiles.get(config) ?? profiles.set(config, new Map()).get(config)) as Map<string, string>;
  const cached = config.identities.get(who.id);
  const cachedProfile = seen.get(who.id);
  if (cached && cachedProfile && Object.keys(changedFields(wanted, JSON.parse(cachedProfile))).length === 0) return cached;

  const find = (): Promise<(StoredRow & IdentityRef) | null> =>
    db.identity.findUnique({ where: { workspaceId_externalId: { workspaceId, externalId: who.id } }, select: profileSelect });
  let row = await find();
  if (!row) {
    try {
      row = await db.$transaction((tx) =>
        createIdentityTx(
          tx,
          workspaceId,
          { externalId: who.id, ...wanted },
          source,
        ),
      );
    } catch (err) {
      // Created by a concurrent call in the meantime.
      row = await find();
      if (!row) throw err;
    }
  }
  const changes = changedFields(wanted, storedFields(row));
  if (Object.keys(changes).length > 0) {
    // A profile refresh from traffic, like the create above: not an audited change (null actor).
    row = await updateIdentity(workspaceId, null, row.id, changes);
  }
  const ref = { id: row.id, externalId: row.externalId };
  rememberIdentity(config, ref);
  seen.set(who.id, JSON.stringify(storedFields(row)));
  return ref;
}

/** The `X-ORQ-IDENTITY-ID` header, validated like every external id. */
export function identityFromHeader(req: Request): PublicIdentity | undefined {
  const value = req.headers.get('x-orq-identity-id');
  if (value === null) return undefined;
  const parsed = publicIdentitySchema.safeParse({ id: value });
  if (!parsed.success) throw fieldError('invalid_request', 'X-ORQ-IDENTITY-ID', parsed.error.issues[0]?.message ?? 'is not a valid external id');
  return parsed.data;
}

/** A call's identity, the cached configuration it was found under, and how to find it again under a newer one. */
export type CallIdentity = { identity: IdentityRef; found: IdentityFound };
export type IdentityFound = { under: WorkspaceConfig; again: () => Promise<IdentityRef> };

/**
 * The identity a call is made for: the one the request names (body, else the `X-ORQ-IDENTITY-ID`
 * header), else the API key's owner; a 400 naming `field` when there is none. Found again (`found.again`), the named
 * identity is looked up in the reloaded configuration (made anew if it was deleted meanwhile), and the key's owner is
 * read from the database (the key itself is cached for a minute).
 */
export async function resolveCallIdentity(
  workspaceId: string,
  principal: ApiPrincipal,
  named: PublicIdentity | undefined,
  req: Request,
  field: string,
): Promise<CallIdentity> {
  const who = named ?? identityFromHeader(req);
  // Taken first: a configuration reloaded while the identity is looked up makes admission look again.
  const under = await getWorkspaceConfig(workspaceId);
  if (who) return { identity: await upsertCallIdentity(workspaceId, who), found: { under, again: () => upsertCallIdentity(workspaceId, who) } };
  const again = async () => requireOwner(await keyOwner(principal.keyId), field);
  return { identity: requireOwner(principal.owner, field), found: { under, again } };
}

function requireOwner(owner: IdentityRef | null, field: string): IdentityRef {
  if (owner) return owner;
  throw fieldError(
    'invalid_request',
    field,
    'is required: the external id of the identity making the call (or send X-ORQ-IDENTITY-ID, or give the API key an owner identity in the Studio)',
  );
}

/** The key's owner identity as stored now. */
async function keyOwner(keyId: string | null): Promise<IdentityRef | null> {
  if (!keyId) return null;
  const key = await db.apiKey.findUnique({ where: { id: keyId }, select: { ownerIdentity: { select: { id: true, externalId: true } } } });
  return key?.ownerIdentity ?? null;
}
