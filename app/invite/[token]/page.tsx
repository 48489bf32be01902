import type { Metadata } from 'next';
import Link from 'next/link';
import { LinkIcon } from 'lucide-react';
import { db } from '@/lib/db';
import { ROLE_DESCRIPTIONS } from '@/lib/auth/roles';
import { findInvite, INVITE_PROBLEMS } from '@/lib/users/invites';
import { Logo } from '@/components/shell/logo';
import { buttonClasses } from '@/components/ui/button';
import { formatDateTime } from '@/components/format';
import { RoleBadge } from '@/components/users/role-badge';
import { AcceptInviteForm } from './accept-form';
import { acceptInviteAction } from './actions';

export const metadata: Metadata = { title: 'Accept invite' };

// The one-time link an admin handed out: who it is for, which role, and the form to choose a password.
export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const lookup = await findInvite(db, token, new Date());

  return (
    <main className="flex min-h-dvh flex-col items-center justify-center bg-gradient-to-b from-white to-zinc-100 px-4 py-12">
      <div className="w-full max-w-sm">
        <div className="mb-8 flex flex-col items-center text-center">
          <Logo className="size-10" />
          <h1 className="mt-4 text-xl font-semibold tracking-tight text-zinc-900">
            {lookup.state === 'pending' ? `Join ${lookup.invite.workspaceName} on Tollbooth` : 'This invite cannot be used'}
          </h1>
          <p className="mt-1 text-sm text-zinc-500">LLM usage, spend and budgets per identity.</p>
        </div>
        <div className="rounded-xl bg-white p-6 shadow-sm ring-1 ring-zinc-200">
          {lookup.state === 'pending' ? (
            <>
              <dl className="mb-5 space-y-3 rounded-lg bg-zinc-50 px-4 py-3 text-sm ring-1 ring-zinc-200 ring-inset">
                <div>
                  <dt className="text-xs text-zinc-500">Email</dt>
                  <dd className="font-medium break-all text-zinc-900" data-testid="invite-email">
                    {lookup.invite.email}
                  </dd>
                </div>
                <div>
                  <dt className="text-xs text-zinc-500">Role</dt>
                  <dd className="mt-0.5 flex flex-wrap items-center gap-2" data-testid="invite-role">
                    <RoleBadge role={lookup.invite.role} />
                    <span className="text-zinc-600">{ROLE_DESCRIPTIONS[lookup.invite.role]}</span>
                  </dd>
                </div>
              </dl>
              <AcceptInviteForm email={lookup.invite.email} action={acceptInviteAction.bind(null, token)} />
              <p className="mt-4 text-center text-xs text-zinc-500">This link works once, until {formatDateTime(lookup.invite.expiresAt)}.</p>
            </>
          ) : (
            <div className="space-y-4 text-center" role="alert" data-testid="invite-problem">
              <div className="mx-auto flex size-10 items-center justify-center rounded-full bg-amber-50 text-amber-600 [&_svg]:size-5">
                <LinkIcon aria-hidden="true" />
              </div>
              <p className="text-sm text-zinc-700">{INVITE_PROBLEMS[lookup.state]}</p>
              <Link href="/sign-in" className={buttonClasses('secondary', 'md', 'w-full')}>
                Go to sign in
              </Link>
            </div>
          )}
        </div>
      </div>
    </main>
  );
}
