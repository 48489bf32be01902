import 'server-only';
import { cache } from 'react';
import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { getIronSession, type SessionOptions } from 'iron-session';
import { createSession, findSessionUser, revokeSession, revokeUserSessions, SESSION_TTL_MS } from '../users/sessions';
import { SESSION_COOKIE } from './cookie';
import { getSessionSecret } from './secret';
import { allows, asRole, type Permission, type Role } from './roles';
import { userActor, type Actor } from '../audit/actor';
import { ApiError } from '../api/errors';

/** What the sealed cookie holds: only the id of a server-side session (see lib/users/sessions.ts). */
export type SessionData = { sessionId?: string };

export type StudioSession = { userId: string; email: string; workspaceId: string; role: Role; actor: Actor };

/**
 * Cookies are `Secure` when the Studio is served over https (directly or behind a TLS proxy).
 * SESSION_COOKIE_SECURE=true|false overrides the guess, e.g. for a proxy that sends no x-forwarded-proto.
 */
export async function shouldUseSecureCookies(): Promise<boolean> {
  const forced = process.env.SESSION_COOKIE_SECURE;
  if (forced === 'true' || forced === '1') return true;
  if (forced === 'false' || forced === '0') return false;
  const h = await headers();
  const forwarded = h.get('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
  if (forwarded) return forwarded === 'https';
  const origin = h.get('origin') ?? h.get('referer');
  return origin ? origin.startsWith('https:') : false;
}

async function sessionOptions(): Promise<SessionOptions> {
  return {
    cookieName: SESSION_COOKIE,
    password: getSessionSecret(),
    ttl: SESSION_TTL_MS / 1000,
    cookieOptions: { httpOnly: true, sameSite: 'lax', path: '/', secure: await shouldUseSecureCookies() },
  };
}

export async function getSession() {
  return getIronSession<SessionData>(await cookies(), await sessionOptions());
}

/**
 * The signed-in admin, or null. The session row must exist, be neither revoked nor expired, and its user must
 * still exist; read once per request (React `cache`), so a page and its layout share one lookup.
 */
export const currentSession = cache(async (): Promise<StudioSession | null> => {
  const { sessionId } = await getSession();
  if (typeof sessionId !== 'string') return null;
  const user = await findSessionUser(sessionId, new Date());
  if (!user) return null;
  const base = { userId: user.id, email: user.email, workspaceId: user.workspaceId, role: asRole(user.role) };
  return { ...base, actor: userActor(base) };
});

/** Every Studio page and server action starts here: no session, no access. */
export async function requireSession(): Promise<StudioSession> {
  const session = await currentSession();
  if (!session) redirect('/sign-in');
  return session;
}

/**
 * Every server action (and Studio route handler) that changes something starts here: no session, no access; a
 * session whose role does not allow the change gets a 403 `ApiError` (server actions turn it into their error
 * result), so hiding a button is never the only guard.
 */
export async function requirePermission(permission: Permission): Promise<StudioSession> {
  const session = await requireSession();
  if (!allows(session.role, permission)) {
    throw new ApiError('forbidden', `Your role (${session.role}) cannot do this; ask an admin`);
  }
  return session;
}

export async function startSession(user: { id: string }, now: Date): Promise<void> {
  const session = await getSession();
  session.sessionId = await createSession(user.id, now);
  await session.save();
}

/** Sign-out: revokes this session server-side (copies of the cookie stop working too) and drops the cookie. */
export async function endSession(now: Date): Promise<void> {
  const session = await getSession();
  if (typeof session.sessionId === 'string') await revokeSession(session.sessionId, now);
  session.destroy();
}

/** Sign out everywhere: revokes every session of the signed-in admin, this one included. */
export async function endAllSessions(now: Date): Promise<void> {
  const current = await currentSession();
  if (current) await revokeUserSessions(current.userId, now);
  await endSession(now);
}
