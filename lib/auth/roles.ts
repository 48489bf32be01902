// Studio roles and what each may do. One table: pages, server actions and routes all ask `allows`.
export const ROLES = ['admin', 'member', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = { admin: 'Admin', member: 'Member', viewer: 'Viewer' };

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  admin: 'Everything: users and roles, providers, prices, deployments, notifiers, settings',
  member: 'Identities, budgets and API keys; reads everything else',
  viewer: 'Read-only',
};

/**
 * What a change needs: `read` every signed-in user has; `manage` (identities, budgets, API keys) members and admins;
 * `admin` (users, providers, prices, deployments, notifiers, settings) admins only.
 */
export type Permission = 'read' | 'manage' | 'admin';

const RANK: Record<Role, number> = { viewer: 0, member: 1, admin: 2 };
const NEEDS: Record<Permission, number> = { read: 0, manage: 1, admin: 2 };

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** A stored role that is not one of ours (a hand-edited row) counts as viewer: never more access than granted. */
export function asRole(value: string): Role {
  return isRole(value) ? value : 'viewer';
}

export function allows(role: Role, permission: Permission): boolean {
  return RANK[role] >= NEEDS[permission];
}
