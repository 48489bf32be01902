import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { currentSession } from '@/lib/auth/session';
import { safeNextPath } from '@/lib/auth/redirect';
import { countUsers } from '@/lib/users/service';
import { Logo } from '@/components/shell/logo';
import { SignInForm } from './sign-in-form';

export const metadata: Metadata = { title: 'Sign in' };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  const { next } = await searchParams;
  const nextPath = typeof next === 'string' ? safeNextPath(next) : undefined;
  if (await currentSession()) redirect(nextPath ?? '/identities');
  const hasAdmins = (await countUsers()) > 0;

  return (
    <main className="flex min-h-dvh flex-col items-center justify-center bg-gradient-to-b from-white to-zinc-100 px-4 py-12">
      <div className="w-full max-w-sm">
        <div className="mb-8 flex flex-col items-center text-center">
          <Logo className="size-10" />
          <h1 className="mt-4 text-xl font-semibold tracking-tight text-zinc-900">Sign in to Tollbooth</h1>
          <p className="mt-1 text-sm text-zinc-500">LLM usage, spend and budgets per identity.</p>
        </div>
        <div className="rounded-xl bg-white p-6 shadow-sm ring-1 ring-zinc-200">
          {hasAdmins ? (
            <SignInForm next={nextPath} />
          ) : (
            <div className="space-y-2 text-sm text-zinc-600" role="status">
              <p className="font-medium text-zinc-900">No admin account yet.</p>
              <p>
                Set <code className="rounded bg-zinc-100 px-1 font-mono text-xs">TOLLBOOTH_ADMIN_EMAIL</code> and{' '}
                <code className="rounded bg-zinc-100 px-1 font-mono text-xs">TOLLBOOTH_ADMIN_PASSWORD</code> in the
                server&apos;s environment and restart it; the first admin is created on start.
              </p>
            </div>
          )}
        </div>
        <p className="mt-6 text-center text-xs text-zinc-500">Sessions are kept on the server; the HTTP-only cookie holds only their sealed id.</p>
      </div>
    </main>
  );
}
