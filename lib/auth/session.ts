import 'server-only';
import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { getIronSession, type SessionOptions } from 'iron-session';
import { getUser } from '../users/service';
import { getSessionSecret } from './secret';

export const SESSION_COOKIE = 'tollbooth_session';
const SESSION_TTL_SECONDS = 7 * 24 * 60 * 60;

export type SessionData = { userId?: string; email?: string; signedInAt?: string };

export type StudioSession = { userId: string; email: string; workspaceId: string };

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
    ttl: SESSION_TTL_SECONDS,
    cookieOptions: { httpOnly: true, sameSite: 'lax', path: '/', secure: await shouldUseSecureCookies() },
  };
}

export async function getSession() {
  return getIronSession<SessionData>(await cookies(), await sessionOptions());
}

/** The signed-in admin, or null. Checks the user still exists, so a deleted admin is signed out. */
export async function currentSession(): Promise<StudioSession | null> {
  const session = await getSession();
  if (!session.userId) return null;
  const user = await getUser(session.userId);
  if (!user) return null;
  return { userId: user.id, email: user.email, workspaceId: user.workspaceId };
}

/** Every Studio page and server action starts here: no session, no access. */
export async function requireSession(): Promise<StudioSession> {
  const session = await currentSession();
  if (!session) redirect('/sign-in');
  return session;
}

export async function startSession(user: { id: string; email: string }, now: Date): Promise<void> {
  const session = await getSession();
  session.userId = user.id;
  session.email = user.email;
  session.signedInAt = now.toISOString();
  await session.save();
}

export async function endSession(): Promise<void> {
  const session = await getSession();
  session.destroy();
}
