'use server';

import { redirect } from 'next/navigation';
import { endSession } from '@/lib/auth/session';

// Sign-out: drop the session cookie; safe to call when already signed out.
export async function signOutAction(): Promise<void> {
  await endSession();
  redirect('/sign-in');
}
