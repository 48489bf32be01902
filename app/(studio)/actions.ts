'use server';

import { redirect } from 'next/navigation';
import { endAllSessions, endSession } from '@/lib/auth/session';

// Sign-out: revoke this session and drop the cookie; safe to call when already signed out.
export async function signOutAction(): Promise<void> {
  await endSession(new Date());
  redirect('/sign-in');
}

// Sign out everywhere: revoke every session of this admin (other browsers, copied cookies), then this one.
export async function signOutEverywhereAction(): Promise<void> {
  await endAllSessions(new Date());
  redirect('/sign-in');
}
