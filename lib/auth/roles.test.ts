import { describe, expect, test } from 'vitest';
import { allows, asRole, isRole, ROLES, type Permission, type Role } from './roles';

describe('allows: one table for pages, actions and routes', () => {
  const table: Record<Role, Record<Permission, boolean>> = {
    admin: { read: true, manage: true, admin: true },
    member: { read: true, manage: true, admin: false },
    viewer: { read: true, manage: false, admin: false },
  };
  test.each(ROLES)('%s', (role) => {
    for (const permission of ['read', 'manage', 'admin'] as const) expect(allows(role, permission), `${role} ${permission}`).toBe(table[role][permission]);
  });
});

test('a stored role that is not ours counts as viewer, never more', () => {
  expect(asRole('admin')).toBe('admin');
  expect(asRole('member')).toBe('member');
  expect(asRole('Admin')).toBe('viewer');
  expect(asRole('owner')).toBe('viewer');
  expect(asRole('')).toBe('viewer');
  expect(isRole('viewer')).toBe(true);
  expect(isRole(undefined)).toBe(false);
});
