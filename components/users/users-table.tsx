import { Lock } from 'lucide-react';
import type { ActionResult } from '../../lib/actions/result';
import type { UserRow } from '../../lib/users/roles';
import type { InviteRow } from '../../lib/users/invites';
import { formatDate, formatDateTime, formatDuration, formatRelative } from '../format';
import { Badge } from '../ui/badge';
import { Table, TBody, TD, TDActions, TH, THActions, THead, TR } from '../ui/table';
import { RoleBadge } from './role-badge';
import { RemoveUserButton, RevokeInviteButton, RoleSelect } from './user-actions';

export type UserRowActions = {
  changeRole: (userId: string, role: string) => Promise<ActionResult>;
  remove: (userId: string) => Promise<ActionResult>;
};

/** The people who can sign in: who they are, their role (a select for admins to change), when they last signed in. */
export function UsersTable({
  users,
  currentUserId,
  environmentAdmin,
  now,
  actions,
}: {
  users: UserRow[];
  currentUserId: string;
  environmentAdmin: string | null;
  now: Date;
  actions: UserRowActions;
}) {
  return (
    <Table label="Users">
      <THead>
        <tr>
          <TH>User</TH>
          <TH>Role</TH>
          <TH>Last sign-in</TH>
          <TH>Added</TH>
          <THActions />
        </tr>
      </THead>
      <TBody>
        {users.map((user) => {
          const you = user.id === currentUserId;
          const bootstrap = user.email === environmentAdmin;
          return (
            <TR key={user.id} data-user-row={user.email}>
              <TD>
                <div className="flex min-w-0 items-center gap-3">
                  <span aria-hidden="true" className="flex size-8 shrink-0 items-center justify-center rounded-full bg-brand-100 text-xs font-semibold text-brand-700">
                    {(user.name || user.email).slice(0, 1).toUpperCase()}
                  </span>
                  <div className="min-w-0">
                    <div className="flex flex-wrap items-center gap-1.5">
                      <span className="truncate font-medium text-zinc-900">{user.name || user.email}</span>
                      {you && <Badge tone="green">You</Badge>}
                      {bootstrap && (
                        <span title="Set by TOLLBOOTH_ADMIN_EMAIL: always an admin, cannot be removed">
                          <Badge tone="amber">Bootstrap admin</Badge>
                        </span>
                      )}
                    </div>
                    {user.name && <p className="truncate text-xs text-zinc-500">{user.email}</p>}
                  </div>
                </div>
              </TD>
              <TD>
                {bootstrap || you ? (
                  <span
                    className="inline-flex items-center gap-1.5"
                    title={bootstrap ? 'The environment’s admin stays an admin' : 'Another admin can change your role'}
                    data-testid="role"
                  >
                    <RoleBadge role={user.role} />
                    <Lock className="size-3.5 text-zinc-400" aria-hidden="true" />
                  </span>
                ) : (
                  <RoleSelect email={user.email} role={user.role} action={actions.changeRole.bind(null, user.id)} />
                )}
              </TD>
              <TD className="whitespace-nowrap text-zinc-700">
                {user.lastLoginAt ? <span title={formatDateTime(user.lastLoginAt)}>{formatRelative(user.lastLoginAt, now)}</span> : <span className="text-zinc-500">Never</span>}
              </TD>
              <TD className="whitespace-nowrap text-zinc-700">
                <span title={formatDateTime(user.createdAt)}>{formatDate(user.createdAt)}</span>
              </TD>
              <TDActions>{!you && !bootstrap && <RemoveUserButton email={user.email} action={actions.remove.bind(null, user.id)} />}</TDActions>
            </TR>
          );
        })}
      </TBody>
    </Table>
  );
}

/** Links handed out and not used yet: for whom, which role, until when; each can be revoked. */
export function InvitesTable({ invites, now, revoke }: { invites: InviteRow[]; now: Date; revoke: (inviteId: string) => Promise<ActionResult> }) {
  return (
    <Table label="Pending invites">
      <THead>
        <tr>
          <TH>Email</TH>
          <TH>Role</TH>
          <TH>Invited</TH>
          <TH>Expires</TH>
          <THActions />
        </tr>
      </THead>
      <TBody>
        {invites.map((invite) => (
          <TR key={invite.id} data-invite-row={invite.email}>
            <TD className="font-medium text-zinc-900">{invite.email}</TD>
            <TD>
              <RoleBadge role={invite.role} />
            </TD>
            <TD className="whitespace-nowrap text-zinc-700">
              <span title={formatDateTime(invite.createdAt)}>{formatRelative(invite.createdAt, now)}</span>
            </TD>
            <TD className="whitespace-nowrap text-zinc-700">
              {invite.expired ? (
                <span title={formatDateTime(invite.expiresAt)}>
                  <Badge tone="neutral">Expired</Badge>
                </span>
              ) : (
                <span title={formatDateTime(invite.expiresAt)}>in {formatDuration(invite.expiresAt.getTime() - now.getTime())}</span>
              )}
            </TD>
            <TDActions>
              <RevokeInviteButton email={invite.email} action={revoke.bind(null, invite.id)} />
            </TDActions>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
