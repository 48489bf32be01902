import { LogOut, MonitorX } from 'lucide-react';
import { Button } from '../ui/button';
import { ROLE_LABELS, type Role } from '../../lib/auth/roles';

/** The server actions behind the ways out (the Studio layout passes its own). */
type SignOutActions = { signOut: () => Promise<void>; signOutEverywhere: () => Promise<void> };

/** Who is signed in with which role, and the ways out (POST forms, so they work without JavaScript). */
export function UserMenu({ email, role, actions, compact = false }: { email: string; role: Role; actions: SignOutActions; compact?: boolean }) {
  const initial = email.slice(0, 1).toUpperCase();
  const size = compact ? 'icon' : 'sm';
  return (
    <div className="flex items-center gap-1.5">
      <span
        aria-hidden="true"
        className="mr-1 flex size-7 shrink-0 items-center justify-center rounded-full bg-brand-100 text-xs font-semibold text-brand-700"
        title={compact ? `${email} (${ROLE_LABELS[role]})` : undefined}
      >
        {initial}
      </span>
      {!compact && (
        <span className="min-w-0 flex-1" data-testid="user-menu">
          <span className="block truncate text-sm text-zinc-700" title={email}>
            {email}
          </span>
          <span className="block text-xs text-zinc-500" data-testid="user-role">
            {ROLE_LABELS[role]}
          </span>
        </span>
      )}
      <form action={actions.signOut}>
        <Button type="submit" variant="ghost" size={size} aria-label="Sign out" title="Sign out">
          <LogOut aria-hidden="true" />
        </Button>
      </form>
      {/* Revokes every session of this admin: other browsers, other devices, copied cookies. */}
      <form action={actions.signOutEverywhere}>
        <Button
          type="submit"
          variant="ghost"
          size={size}
          aria-label="Sign out everywhere"
          title="Sign out everywhere (every browser and device)"
        >
          <MonitorX aria-hidden="true" />
        </Button>
      </form>
    </div>
  );
}
