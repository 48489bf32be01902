// Invitations: an admin gets a one-time link (no mail server needed); whoever opens it chooses a name and a password and
// becomes a user with the invite's role. The token is shown once; only its SHA-256 is stored, like session ids.
import 'server-only';
import { createHash, randomBytes } from 'node:crypto';
import { hash } from '@node-rs/argon2';
import type { Db } from '../db';
import { ApiError, fieldError } from '../api/errors';
import { isUniqueViolation } from '../db-errors';
import { newId } from '../ids';
import { asRole, type Role } from '../auth/roles';
import { userActor, type Actor } from '../audit/actor';
import { recordAudit } from '../audit/service';
import type { AcceptInviteInput, NewInvite } from './schema';

export const INVITE_TTL_MS = 7 * 24 * 60 * 60_000;

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export type InviteRow = { id: string; email: string; role: Role; createdAt: Date; expiresAt: Date; expired: boolean };

/** Creates an invite and returns its token (256 random bits, base64url), which only the admin's link carries. */
export async function createInvite(client: Db, workspaceId: string, input: NewInvite, actor: Actor, now: Date) {
  const token = randomBytes(32).toString('base64url');
  const invite = await client.$transaction(async (tx) => {
    const existing = await tx.user.findUnique({ where: { email: input.email }, select: { id: true } });
    if (existing) throw fieldError('conflict', 'email', 'already has an account');
    // A new link for the same email replaces the earlier one: only the latest works.
    await tx.invite.updateMany({
      where: { workspaceId, email: input.email, acceptedAt: null, revokedAt: null },
      data: { revokedAt: now },
    });
    const row = await tx.invite.create({
      data: {
        id: newId(),
        workspaceId,
        email: input.email,
        role: input.role,
        tokenHash: hashToken(token),
        createdById: actor.kind === 'user' ? actor.id : null,
        createdAt: now,
        expiresAt: new Date(now.getTime() + INVITE_TTL_MS),
      },
    });
    await recordAudit(tx, {
      workspaceId,
      actor,
      action: 'invite.create',
      target: { kind: 'invite', id: row.id, label: row.email },
      after: { email: row.email, role: row.role, expires_at: row.expiresAt.toISOString() },
      at: now,
    });
    return row;
  });
  return { invite, token };
}

/** Invites neither accepted nor revoked, newest first; expired ones are marked (they can be revoked or re-sent). */
export async function listPendingInvites(client: Db, workspaceId: string, now: Date): Promise<InviteRow[]> {
  const rows = await client.invite.findMany({
    where: { workspaceId, acceptedAt: null, revokedAt: null },
    orderBy: { createdAt: 'desc' },
  });
  return rows.map((r) => ({ id: r.id, email: r.email, role: asRole(r.role), createdAt: r.createdAt, expiresAt: r.expiresAt, expired: r.expiresAt <= now }));
}

/** The link stops working at once. */
export async function revokeInvite(client: Db, workspaceId: string, inviteId: string, actor: Actor, now: Date) {
  return client.$transaction(async (tx) => {
    const invite = await tx.invite.findFirst({ where: { id: inviteId, workspaceId } });
    if (!invite) throw new ApiError('not_found', 'This invite no longer exists');
    if (invite.acceptedAt) throw new ApiError('conflict', `${invite.email} has already accepted this invite`);
    if (invite.revokedAt) return invite;
    const revoked = await tx.invite.update({ where: { id: invite.id }, data: { revokedAt: now } });
    await recordAudit(tx, {
      workspaceId,
      actor,
      action: 'invite.revoke',
      target: { kind: 'invite', id: invite.id, label: invite.email },
      before: { email: invite.email, role: invite.role },
      at: now,
    });
    return revoked;
  });
}

export type InviteLookup =
  | { state: 'pending'; invite: { id: string; email: string; role: Role; expiresAt: Date; workspaceName: string } }
  | { state: 'unknown' | 'expired' | 'revoked' | 'accepted' };

/** What an invite link leads to: the invite when it can still be accepted, otherwise why not. */
export async function findInvite(client: Pick<Db, 'invite'>, token: string, now: Date): Promise<InviteLookup> {
  const invite = await client.invite.findUnique({ where: { tokenHash: hashToken(token) }, include: { workspace: { select: { name: true } } } });
  if (!invite) return { state: 'unknown' };
  if (invite.acceptedAt) return { state: 'accepted' };
  if (invite.revokedAt) return { state: 'revoked' };
  if (invite.expiresAt <= now) return { state: 'expired' };
  return {
    state: 'pending',
    invite: { id: invite.id, email: invite.email, role: asRole(invite.role), expiresAt: invite.expiresAt, workspaceName: invite.workspace.name },
  };
}

/** Why a link cannot be used, in words for the person holding it. */
export const INVITE_PROBLEMS: Record<Exclude<InviteLookup['state'], 'pending'>, string> = {
  unknown: 'This invite link is not valid. Check that it was copied whole, or ask an admin for a new one.',
  expired: 'This invite link has expired. Ask an admin for a new one.',
  revoked: 'This invite link was revoked. Ask an admin for a new one.',
  accepted: 'This invite link has already been used. Sign in with the email and password chosen then.',
};

/**
 * Accepts an invite: marks it used and creates the user with its role, in one transaction; a second use, an
 * expired or a revoked link is refused, and only one of two simultaneous uses wins.
 */
export async function acceptInvite(client: Db, token: string, input: AcceptInviteInput, now: Date) {
  const passwordHash = await hash(input.password);
  const tokenHash = hashToken(token);
  try {
    return await client.$transaction(async (tx) => {
      const claimed = await tx.invite.updateMany({
        where: { tokenHash, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
        data: { acceptedAt: now },
      });
      if (claimed.count !== 1) {
        const lookup = await findInvite(tx, token, now);
        throw new ApiError('conflict', INVITE_PROBLEMS[lookup.state === 'pending' ? 'accepted' : lookup.state]);
      }
      const invite = await tx.invite.findUniqueOrThrow({ where: { tokenHash } });
      const user = await tx.user.create({
        data: { id: newId(), workspaceId: invite.workspaceId, email: invite.email, name: input.name, role: invite.role, passwordHash, createdAt: now },
      });
      await recordAudit(tx, {
        workspaceId: invite.workspaceId,
        actor: userActor({ userId: user.id, email: user.email }),
        action: 'invite.accept',
        target: { kind: 'user', id: user.id, label: user.email },
        after: { email: user.email, name: user.name, role: user.role, invite_id: invite.id },
        at: now,
      });
      return user;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new ApiError('conflict', 'An account with this email already exists. Sign in instead.');
    throw err;
  }
}
