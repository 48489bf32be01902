import 'server-only';
import { createHash, randomBytes } from 'node:crypto';
import { db } from '../db';

// Server-side Studio sessions: the cookie carries a random id, the table keeps its hash and whether it still counts.
export const SESSION_TTL_MS = 7 * 24 * 60 * 60_000;
// lastSeenAt is a hint for admins, not a security check: write it at most once a minute per session.
const LAST_SEEN_RESOLUTION_MS = 60_000;

const hashSessionId = (sessionId: string) => createHash('sha256').update(sessionId).digest('hex');

/** Creates a session for the user and returns its id (256 random bits, base64url), which only the cookie keeps. */
export async function createSession(userId: string, now: Date): Promise<string> {
  const sessionId = randomBytes(32).toString('base64url');
  await db.session.create({
    data: { idHash: hashSessionId(sessionId), userId, createdAt: now, lastSeenAt: now, expiresAt: new Date(now.getTime() + SESSION_TTL_MS) },
  });
  return sessionId;
}

/** The user of a live session (not revoked, not expired), or null. */
export async function findSessionUser(sessionId: string, now: Date) {
  const idHash = hashSessionId(sessionId);
  const session = await db.session.findUnique({ where: { idHash }, include: { user: true } });
  if (!session || session.revokedAt || session.expiresAt <= now) return null;
  if (now.getTime() - session.lastSeenAt.getTime() >= LAST_SEEN_RESOLUTION_MS) {
    await db.session.updateMany({ where: { idHash, lastSeenAt: session.lastSeenAt }, data: { lastSeenAt: now } });
  }
  return session.user;
}

/** Sign-out: this session stops opening the Studio, whoever holds a copy of the cookie. */
export async function revokeSession(sessionId: string, now: Date): Promise<void> {
  await db.session.updateMany({ where: { idHash: hashSessionId(sessionId), revokedAt: null }, data: { revokedAt: now } });
}

/** The statement that revokes all of a user's sessions, to run inside another change's transaction. */
export const revokeUserSessionsQuery = (userId: string, now: Date) =>
  db.session.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: now } });

/** Sign out everywhere: every session of the user stops counting. */
export async function revokeUserSessions(userId: string, now: Date): Promise<number> {
  const { count } = await revokeUserSessionsQuery(userId, now);
  // Rows that can never count again are dropped here rather than by a sweeper.
  await db.session.deleteMany({ where: { userId, expiresAt: { lt: now } } });
  return count;
}
