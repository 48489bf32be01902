import type { Metadata } from 'next';
import { MailPlus } from 'lucide-react';
import { requireSession } from '@/lib/auth/session';
import { allows, ROLE_DESCRIPTIONS, ROLES } from '@/lib/auth/roles';
import { db } from '@/lib/db';
import { listPendingInvites } from '@/lib/users/invites';
import { environmentAdminEmail, listUsers } from '@/lib/users/roles';
import { Card, CardHeader } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { ForbiddenState } from '@/components/shell/forbidden-state';
import { InviteUserButton } from '@/components/users/invite-user-button';
import { InvitesTable, UsersTable } from '@/components/users/users-table';
import { RoleBadge } from '@/components/users/role-badge';
import { changeUserRoleAction, createInviteAction, removeUserAction, revokeInviteAction } from './actions';

export const metadata: Metadata = { title: 'Users' };

const rowActions = { changeRole: changeUserRoleAction, remove: removeUserAction };

export default async function UsersPage() {
  const session = await requireSession();
  if (!allows(session.role, 'admin')) {
    return (
      <>
        <PageHeader title="Users" />
        <ForbiddenState role={session.role} needs="admin" what="Managing users and roles" />
      </>
    );
  }
  const now = new Date();
  const [users, invites] = await Promise.all([listUsers(db, session.workspaceId), listPendingInvites(db, session.workspaceId, now)]);

  return (
    <>
      <PageHeader
        title="Users"
        description="Who can sign in to the Studio and what each may change. Roles are checked on the server for every page, action and route."
        actions={<InviteUserButton action={createInviteAction} />}
      />
      <Card aria-labelledby="users-title">
        <CardHeader id="users-title" title="People" description={`${users.length} ${users.length === 1 ? 'person' : 'people'} can sign in`} />
        <UsersTable users={users} currentUserId={session.userId} environmentAdmin={environmentAdminEmail()} now={now} actions={rowActions} />
      </Card>

      <Card className="mt-6" aria-labelledby="invites-title">
        <CardHeader id="invites-title" title="Pending invites" description="Links not used yet. Each works once and expires 7 days after it was made." />
        {invites.length === 0 ? (
          <EmptyState icon={<MailPlus />} title="No pending invites" className="py-10">
            <p>Invite a teammate: you get a one-time link to send them, and they choose their own password.</p>
          </EmptyState>
        ) : (
          <InvitesTable invites={invites} now={now} revoke={revokeInviteAction} />
        )}
      </Card>

      <section aria-labelledby="roles-title" className="mt-6">
        <h2 id="roles-title" className="mb-3 text-sm font-semibold text-zinc-900">
          Roles
        </h2>
        <dl className="grid grid-cols-1 gap-3 sm:grid-cols-3">
          {ROLES.map((role) => (
            <div key={role} className="rounded-xl bg-white px-4 py-3 shadow-xs ring-1 ring-zinc-200">
              <dt>
                <RoleBadge role={role} />
              </dt>
              <dd className="mt-1.5 text-sm text-zinc-600">{ROLE_DESCRIPTIONS[role]}</dd>
            </div>
          ))}
        </dl>
      </section>
    </>
  );
}
