import Link from 'next/link';
import { Logo } from '@/components/shell/logo';
import { buttonClasses } from '@/components/ui/button';

export default function NotFound() {
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center px-4 text-center">
      <Logo className="size-10" />
      <h1 className="mt-6 text-xl font-semibold text-zinc-900">Page not found</h1>
      <p className="mt-1 text-sm text-zinc-500">There is nothing at this address.</p>
      <Link href="/identities" className={buttonClasses('primary', 'md', 'mt-6')}>
        Go to identities
      </Link>
    </main>
  );
}
