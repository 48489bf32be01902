import Link from 'next/link';
import { requireSession } from '@/lib/auth/session';
import { Logo } from '@/components/shell/logo';
import { NavLinks } from '@/components/shell/nav-links';
import { ScrollingNav } from '@/components/shell/scrolling-nav';
import { UserMenu } from '@/components/shell/user-menu';
import { FlashToaster } from '@/components/shell/flash-toaster';
import { signOutAction, signOutEverywhereAction } from './actions';

const signOutActions = { signOut: signOutAction, signOutEverywhere: signOutEverywhereAction };

// Every Studio page renders inside this shell, which refuses to render without a session.
export default async function StudioLayout({ children }: { children: React.ReactNode }) {
  const session = await requireSession();
  return (
    <div className="min-h-dvh lg:flex">
      <a
        href="#main"
        className="sr-only z-50 rounded-md bg-white px-3 py-2 text-sm font-medium shadow focus:not-sr-only focus:fixed focus:top-2 focus:left-2"
      >
        Skip to content
      </a>
      {/* The aside stretches with the page (border and background to the bottom); its content sticks while scrolling. */}
      <aside className="hidden w-60 shrink-0 border-r border-zinc-200 bg-white lg:block">
        <div className="sticky top-0 flex h-dvh flex-col">
          <Link href="/overview" className="flex items-center gap-2.5 px-5 pt-5 pb-6 focus-visible:outline-2 focus-visible:outline-brand-500">
            <Logo />
            <span className="text-[15px] font-semibold tracking-tight">Tollbooth</span>
          </Link>
          <nav aria-label="Studio" className="flex-1 px-3">
            <p className="px-2.5 pb-2 text-xs font-medium tracking-wide text-zinc-500 uppercase">Identity analytics</p>
            <NavLinks role={session.role} />
          </nav>
          <div className="border-t border-zinc-200 px-3 py-3">
            <UserMenu email={session.email} role={session.role} actions={signOutActions} />
          </div>
        </div>
      </aside>
      <header className="sticky top-0 z-30 flex items-center gap-3 border-b border-zinc-200 bg-white/90 px-4 py-2.5 backdrop-blur lg:hidden">
        <Link href="/overview" aria-label="Tollbooth home" className="rounded-md focus-visible:outline-2 focus-visible:outline-brand-500">
          <Logo />
        </Link>
        <ScrollingNav label="Studio">
          <NavLinks orientation="horizontal" role={session.role} />
        </ScrollingNav>
        <UserMenu email={session.email} role={session.role} actions={signOutActions} compact />
      </header>
      <main id="main" className="min-w-0 flex-1">
        <div className="mx-auto max-w-7xl px-4 py-6 sm:px-6 lg:px-8 lg:py-8">{children}</div>
      </main>
      <FlashToaster />
    </div>
  );
}
