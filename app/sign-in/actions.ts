'use server';

import { redirect } from 'next/navigation';
import { z } from 'zod';
import { recordSignIn, verifyCredentials } from '@/lib/users/service';
import { startSession } from '@/lib/auth/session';
import { safeNextPath } from '@/lib/auth/redirect';
import { SignInThrottle } from '@/lib/auth/throttle';
import { formatDuration } from '@/components/format';

export type SignInState = { error?: string; fieldErrors: { email?: string; password?: string }; values: { email: string } };

const signInSchema = z.object({
  email: z.string().trim().min(1, 'Enter your email address').max(320),
  password: z.string().min(1, 'Enter your password').max(1024),
});

const throttle = new SignInThrottle();

// Sign-in: email + password against the argon2 hash, then an iron-session cookie.
export async function signInAction(_prev: SignInState, formData: FormData): Promise<SignInState> {
  const raw = { email: String(formData.get('email') ?? ''), password: String(formData.get('password') ?? '') };
  const values = { email: raw.email };
  const parsed = signInSchema.safeParse(raw);
  if (!parsed.success) {
    const fieldErrors: SignInState['fieldErrors'] = {};
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] as 'email' | 'password';
      fieldErrors[field] ??= issue.message;
    }
    return { fieldErrors, values };
  }

  const now = new Date();
  const key = parsed.data.email.toLowerCase();
  const wait = throttle.retryAfterMs(key, now);
  if (wait > 0) {
    return { error: `Too many failed attempts. Try again in ${formatDuration(wait)}.`, fieldErrors: {}, values };
  }

  const user = await verifyCredentials(parsed.data.email, parsed.data.password);
  if (!user) {
    throttle.recordFailure(key, now);
    return { error: 'That email and password do not match an admin account.', fieldErrors: {}, values };
  }
  throttle.clear(key);
  await startSession(user, now);
  await recordSignIn(user.id, now);
  redirect(safeNextPath(formData.get('next')));
}
