import { LogOut } from 'lucide-react';
import { signOutAction } from '@/app/(studio)/actions';
import { Button } from '../ui/button';

/** Who is signed in, and the way out (a POST form, so it works without JavaScript). */
export function UserMenu({ email, compact = false }: { email: string; compact?: boolean }) {
  const initial = email.slice(0, 1).toUpperCase();
  return (
    <div className="flex items-center gap-2.5">
      <span
        aria-hidden="true"
        className="flex size-7 shrink-0 items-center justify-center rounded-full bg-brand-100 text-xs font-semibold text-brand-700"
      >
        {initial}
      </span>
      {!compact && (
        <span className="min-w-0 flex-1 truncate text-sm text-zinc-700" title={email}>
          {email}
        </span>
      )}
      <form action={signOutAction}>
        <Button type="submit" variant="ghost" size={compact ? 'icon' : 'sm'} aria-label="Sign out" title="Sign out">
          <LogOut aria-hidden="true" />
          {compact ? null : <span className="sr-only">Sign out</span>}
        </Button>
      </form>
    </div>
  );
}
