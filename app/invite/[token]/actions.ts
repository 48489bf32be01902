'use server';

import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { db } from '@/lib/db';
import { requestNow } from '@/lib/api/handler';
import { actionError, fieldSentence } from '@/lib/actions/result';
import { startSession } from '@/lib/auth/session';
import { recordSignIn } from '@/lib/users/service';
import { acceptInvite } from '@/lib/users/invites';
import { acceptInviteSchema } from '@/lib/users/schema';

export type AcceptInviteState = {
  error?: string;
  fieldErrors: { name?: string; password?: string; confirm?: string };
  values: { name: string };
};

const LABELS = { name: 'Name', password: 'Password', confirm: 'Confirmation' } as const;

// Accept an invite: the user is created with the invite's role (the link is used up in the same transaction), then signed in.
export async function acceptInviteAction(token: string, _prev: AcceptInviteState, formData: FormData): Promise<AcceptInviteState> {
  const raw = { name: String(formData.get('name') ?? ''), password: String(formData.get('password') ?? ''), confirm: String(formData.get('confirm') ?? '') };
  const values = { name: raw.name };
  const parsed = acceptInviteSchema.safeParse(raw);
  if (!parsed.success) {
    const fieldErrors: AcceptInviteState['fieldErrors'] = {};
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] as keyof typeof LABELS;
      fieldErrors[field] ??= fieldSentence(LABELS[field], issue.message);
    }
    return { fieldErrors, values };
  }
  // The API's clock rule: tests may pin "now" with x-tollbooth-now when TOLLBOOTH_TEST_CLOCK=1.
  const now = requestNow(new Request('http://studio.invalid/invite', { headers: await headers() }));
  let user;
  try {
    user = await acceptInvite(db, token, parsed.data, now);
  } catch (err) {
    return { error: actionError(err, 'invite acceptance').message, fieldErrors: {}, values };
  }
  await startSession(user, now);
  await recordSignIn(user.id, now);
  // The Studio's landing page, whichever it is.
  redirect('/');
}
