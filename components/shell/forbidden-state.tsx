import Link from 'next/link';
import { ShieldX } from 'lucide-react';
import { ROLE_LABELS, type Permission, type Role } from '../../lib/auth/roles';
import { buttonClasses } from '../ui/button';
import { Card } from '../ui/card';
import { EmptyState } from '../ui/empty-state';

const NEEDED: Record<Exclude<Permission, 'read'>, string> = { manage: 'a member or an admin', admin: 'an admin' };

/** A page the signed-in role may not open (403): which role it needs and who to ask. */
export function ForbiddenState({ role, needs, what }: { role: Role; needs: Exclude<Permission, 'read'>; what: string }) {
  return (
    <Card role="alert" data-testid="forbidden">
      <EmptyState
        icon={<ShieldX />}
        title="You do not have access to this page"
        actions={
          <Link href="/identities" className={buttonClasses('secondary')}>
            Back to identities
          </Link>
        }
      >
        <p>
          {what} is for {NEEDED[needs]}. You are signed in as {ROLE_LABELS[role].toLowerCase()}; an admin can change your role on
          the Users page.
        </p>
        <p className="mt-2 text-xs text-zinc-500">403 Forbidden</p>
      </EmptyState>
    </Card>
  );
}
