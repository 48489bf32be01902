import 'server-only';
import { cookies } from 'next/headers';
import { FLASH_COOKIE } from './flash-cookie';

/** A message to toast on the next page, for actions that redirect (e.g. delete → list). */
export async function setFlash(message: string, tone: 'success' | 'error' = 'success'): Promise<void> {
  // Next URL-encodes cookie values itself.
  (await cookies()).set(FLASH_COOKIE, JSON.stringify({ message, tone }), {
    path: '/',
    maxAge: 60,
    sameSite: 'lax',
    httpOnly: false,
  });
}
