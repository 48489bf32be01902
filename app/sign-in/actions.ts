'use server';

import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { recordSignIn, verifyCredentials } from '@/lib/users/service';
import { startSession } from '@/lib/auth/session';
import { safeNextPath } from '@/lib/auth/redirect';
import { SignInThrottle } from '@/lib/auth/throttle';
import { db } from '@/lib/db';
import { clientIpFrom } from '@/lib/auth/client-ip';
import { requestNow } from '@/lib/api/handler';
import { formatDuration } from '@/components/format';

export type SignInState = { error?: string; fieldErrors: { email?: string; password?: string }; values: { email: string } };

const signInSchema = z.object({
  email: z.string().trim().min(1, 'Enter your email address').max(320),
  password: z.string().min(1, 'Enter your password').max(1024),
});

const throttle = new SignInThrottle(db);

// Sign-in: throttle, email + password against the argon2 hash, then a server-side session in a sealed cookie.
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

  const requestHeaders = await headers();
  // The API's clock rule: tests may pin "now" with x-tollbooth-now when TOLLBOOTH_TEST_CLOCK=1.
  const now = requestNow(new Request('http://studio.invalid/sign-in', { headers: requestHeaders }));
  const email = parsed.data.email.toLowerCase();
  const clientIp = clientIpFrom(requestHeaders);
  // Counted before the password is checked, atomically in the database: parallel guesses (on any instance) are each counted or refused.
  const decision = await throttle.attempt(clientIp, email, now);
  if (!decision.allowed) {
    return { error: `Too many failed attempts. Try again in ${formatDuration(decision.retryAfterMs)}.`, fieldErrors: {}, values };
  }

  const user = await verifyCredentials(parsed.data.email, parsed.data.password);
  if (!user) return { error: 'That email and password do not match an admin account.', fieldErrors: {}, values };
  await throttle.succeeded(clientIp, email);
  await startSession(user, now);
  await recordSignIn(user.id, now);
  redirect(safeNextPath(formData.get('next')));
}
