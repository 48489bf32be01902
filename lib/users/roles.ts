// Studio users and their roles: list, change a role, remove. The guards live here, so the Users page and any later
// API share them: the environment's admin stays an admin, a workspace always keeps one admin, nobody removes themself.
import 'server-only';
import type { Db, Tx } from '../db';
import { ApiError } from '../api/errors';
import { asRole, type Role } from '../auth/roles';
import type { Actor } from '../audit/actor';
import { recordAudit } from '../audit/service';

export type UserRow = {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  createdAt: Date;
  lastLoginAt: Date | null;
};

/** The email set by TOLLBOOTH_ADMIN_EMAIL, normalised; null when unset. */
export function environmentAdminEmail(env: Record<string, string | undefined> = process.env): string | null {
  const email = env.TOLLBOOTH_ADMIN_EMAIL?.trim().toLowerCase();
  return email ? email : null;
}

/** Every user of the workspace, admins first, then by email. */
export async function listUsers(client: Db, workspaceId: string): Promise<UserRow[]> {
  const rows = await client.user.findMany({
    where: { workspaceId },
    select: { id: true, email: true, name: true, role: true, createdAt: true, lastLoginAt: true },
    orderBy: { email: 'asc' },
  });
  const rank: Record<Role, number> = { admin: 0, member: 1, viewer: 2 };
  return rows.map((u) => ({ ...u, role: asRole(u.role) })).sort((a, b) => rank[a.role] - rank[b.role] || a.email.localeCompare(b.email));
}

/**
 * Membership changes of one workspace run one at a time: each starts by writing the workspace row (a row lock on
 * PostgreSQL, the write lock on SQLite), so two admins demoting each other cannot both see "another admin is left".
 */
async function lockWorkspace(tx: Tx, workspaceId: string, now: Date) {
  await tx.workspace.update({ where: { id: workspaceId }, data: { updatedAt: now } });
}

async function getUserInWorkspace(tx: Tx, workspaceId: string, userId: string) {
  const user = await tx.user.findFirst({ where: { id: userId, workspaceId } });
  if (!user) throw new ApiError('not_found', 'This user no longer exists');
  return user;
}

async function assertAnotherAdmin(tx: Tx, workspaceId: string, userId: string, email: string, verb: string) {
  const others = await tx.user.count({ where: { workspaceId, role: 'admin', id: { not: userId } } });
  if (others === 0) throw new ApiError('conflict', `${email} is the last admin and cannot be ${verb}; make someone else an admin first`);
}

type Change = { workspaceId: string; userId: string; actor: Actor; now: Date; environmentAdmin: string | null };

/** Gives a user another role; the environment's admin and the last admin stay admins. */
export async function changeUserRole(client: Db, change: Change & { role: Role }) {
  const { workspaceId, userId, role, actor, now, environmentAdmin } = change;
  return client.$transaction(async (tx) => {
    await lockWorkspace(tx, workspaceId, now);
    const user = await getUserInWorkspace(tx, workspaceId, userId);
    const before = asRole(user.role);
    if (before === role) return { ...user, role: before };
    if (before === 'admin') {
      if (user.email === environmentAdmin) {
        throw new ApiError('conflict', `${user.email} is the environment's admin (TOLLBOOTH_ADMIN_EMAIL) and stays an admin`);
      }
      await assertAnotherAdmin(tx, workspaceId, user.id, user.email, 'demoted');
    }
    const updated = await tx.user.update({ where: { id: user.id }, data: { role } });
    await recordAudit(tx, {
      workspaceId,
      actor,
      action: 'user.role_change',
      target: { kind: 'user', id: user.id, label: user.email },
      before: { role: before },
      after: { role },
      at: now,
    });
    return { ...updated, role };
  });
}

/** Removes a user; their sessions go with the row (cascade), so their next request is signed out. */
export async function removeUser(client: Db, change: Change) {
  const { workspaceId, userId, actor, now, environmentAdmin } = change;
  return client.$transaction(async (tx) => {
    await lockWorkspace(tx, workspaceId, now);
    const user = await getUserInWorkspace(tx, workspaceId, userId);
    if (actor.kind === 'user' && actor.id === user.id) throw new ApiError('conflict', 'You cannot remove yourself; another admin can');
    if (user.email === environmentAdmin) {
      throw new ApiError('conflict', `${user.email} is the environment's admin (TOLLBOOTH_ADMIN_EMAIL) and cannot be removed`);
    }
    if (asRole(user.role) === 'admin') await assertAnotherAdmin(tx, workspaceId, user.id, user.email, 'removed');
    await tx.user.delete({ where: { id: user.id } });
    await recordAudit(tx, {
      workspaceId,
      actor,
      action: 'user.remove',
      target: { kind: 'user', id: user.id, label: user.email },
      before: { email: user.email, name: user.name, role: user.role },
      at: now,
    });
    return user;
  });
}
