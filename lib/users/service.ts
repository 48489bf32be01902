import 'server-only';
import { hash, verify } from '@node-rs/argon2';
import { db } from '../db';
import { newId } from '../ids';
import { revokeUserSessionsQuery } from './sessions';
import { recordAudit } from '../audit/service';
import { systemActor } from '../audit/actor';

const normalizeEmail = (email: string) => email.trim().toLowerCase();

/**
 * Creates the first admin from the environment, or updates their password when it changed (a changed password
 * revokes every session the old one opened) and gives them back the admin role if a hand edit took it.
 */
export async function ensureAdminUser(workspaceId: string, email: string, password: string, now: Date = new Date()) {
  const normalized = normalizeEmail(email);
  const existing = await db.user.findUnique({ where: { email: normalized } });
  if (existing) {
    if (!(await verify(existing.passwordHash, password))) {
      const passwordHash = await hash(password);
      // One transaction: a new password never stands beside sessions the old one opened.
      await db.$transaction([db.user.update({ where: { id: existing.id }, data: { passwordHash } }), revokeUserSessionsQuery(existing.id, now)]);
    }
    // The environment's admin is the bootstrap admin: always an admin, whatever the table says.
    if (existing.role !== 'admin') {
      return db.$transaction(async (tx) => {
        const user = await tx.user.update({ where: { id: existing.id }, data: { role: 'admin' } });
        await recordAudit(tx, { ...bootstrapChange(user, now), action: 'user.role_change', before: { role: existing.role }, after: { role: 'admin' } });
        return user;
      });
    }
    return existing;
  }
  const passwordHash = await hash(password);
  return db.$transaction(async (tx) => {
    const user = await tx.user.create({ data: { id: newId(), workspaceId, email: normalized, role: 'admin', passwordHash } });
    await recordAudit(tx, { ...bootstrapChange(user, now), action: 'user.create', after: { email: user.email, role: 'admin' } });
    return user;
  });
}

/** The audit entry's frame for a change the environment made (TOLLBOOTH_ADMIN_EMAIL at start). */
const bootstrapChange = (user: { id: string; workspaceId: string; email: string }, at: Date) => ({
  workspaceId: user.workspaceId,
  actor: systemActor('Environment (TOLLBOOTH_ADMIN_EMAIL)'),
  target: { kind: 'user' as const, id: user.id, label: user.email },
  at,
});

/** Returns the user when the email and password match, otherwise null (same answer for both failures). */
export async function verifyCredentials(email: string, password: string) {
  const user = await db.user.findUnique({ where: { email: normalizeEmail(email) } });
  if (!user) {
    // Spend comparable time so a missing account is not distinguishable by timing.
    await hash(password);
    return null;
  }
  return (await verify(user.passwordHash, password)) ? user : null;
}

export async function getUser(id: string) {
  return db.user.findUnique({ where: { id } });
}

/** Stamps a successful Studio sign-in. */
export async function recordSignIn(id: string, now: Date) {
  await db.user.update({ where: { id }, data: { lastLoginAt: now } });
}

/** Zero means nobody can sign in yet: the sign-in page explains how to create the first admin. */
export async function countUsers() {
  return db.user.count();
}
