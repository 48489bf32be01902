import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { unitDatabases, type UnitDb } from '../../tests/support/unit-db';
import { userActor } from '../audit/actor';
import { ApiError } from '../api/errors';
import { acceptInvite, createInvite, findInvite, INVITE_TTL_MS, listPendingInvites, revokeInvite } from './invites';
import { changeUserRole, environmentAdminEmail, listUsers, removeUser } from './roles';
import { acceptInviteSchema, createInviteSchema } from './schema';

const t0 = new Date('2026-03-01T10:00:00Z');
const later = (ms: number) => new Date(t0.getTime() + ms);
const password = { name: 'Dana', password: 'correct horse battery', confirm: 'correct horse battery' };

/** The ApiError a promise rejects with (fails the test when it resolves). */
async function refusal(promise: Promise<unknown>): Promise<ApiError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  return err as ApiError;
}

test('schemas: invite email is normalised and checked, the role is one of three, passwords have 12+ characters and match', () => {
  expect(createInviteSchema.parse({ email: '  Dana@Example.COM ', role: 'viewer' })).toEqual({ email: 'dana@example.com', role: 'viewer' });
  expect(createInviteSchema.safeParse({ email: 'not-an-email', role: 'viewer' }).error?.issues[0]?.path).toEqual(['email']);
  expect(createInviteSchema.safeParse({ email: 'a@b.co', role: 'owner' }).error?.issues[0]?.path).toEqual(['role']);
  expect(acceptInviteSchema.safeParse({ ...password, password: 'short', confirm: 'short' }).error?.issues[0]?.path).toEqual(['password']);
  expect(acceptInviteSchema.safeParse({ ...password, confirm: 'something else!' }).error?.issues[0]?.path).toEqual(['confirm']);
  expect(environmentAdminEmail({ TOLLBOOTH_ADMIN_EMAIL: ' Root@Example.com ' })).toBe('root@example.com');
  expect(environmentAdminEmail({})).toBeNull();
});

// Users, roles and invites on a real, migrated database of each kind.
describe.each(unitDatabases())('users and invites on $name', ({ open }) => {
  let database: UnitDb;
  let workspaceId: string;
  let n = 0;
  const ROOT = 'root@example.com';

  async function addUser(role: string, email = `user${++n}@example.com`) {
    return database.client.user.create({ data: { id: `u${++n}-${Date.now()}`, workspaceId, email, role, passwordHash: 'x' } });
  }

  beforeAll(async () => {
    database = await open();
    workspaceId = 'ws1';
    await database.client.workspace.create({ data: { id: workspaceId, slug: 'default', name: 'Acme' } });
  });
  afterAll(async () => {
    await database?.drop();
  });

  test('the environment admin and the last admin stay admins; other admins can be demoted, and it is audited', async () => {
    const root = await addUser('admin', ROOT);
    const actor = userActor({ userId: root.id, email: root.email });
    const base = { workspaceId, actor, now: t0, environmentAdmin: ROOT };

    // The environment's admin, even with another admin present.
    const other = await addUser('admin');
    expect((await refusal(changeUserRole(database.client, { ...base, userId: root.id, role: 'viewer' }))).message).toMatch(/environment's admin/);
    expect((await refusal(removeUser(database.client, { ...base, userId: root.id, actor: userActor({ userId: other.id, email: other.email }) }))).message).toMatch(/environment's admin/);

    // Another admin can be demoted while one remains.
    const demoted = await changeUserRole(database.client, { ...base, userId: other.id, role: 'member' });
    expect(demoted.role).toBe('member');
    const entry = await database.client.auditEntry.findFirst({ where: { action: 'user.role_change', targetId: other.id } });
    expect(entry).toMatchObject({ actorKind: 'user', actorId: root.id, before: { role: 'admin' }, after: { role: 'member' } });

    // Without an environment admin, the last admin cannot be demoted or removed.
    const noEnv = { ...base, environmentAdmin: null };
    await database.client.user.update({ where: { id: other.id }, data: { role: 'viewer' } });
    const admins = await database.client.user.findMany({ where: { workspaceId, role: 'admin' } });
    expect(admins.map((a) => a.id)).toEqual([root.id]);
    const last = await refusal(changeUserRole(database.client, { ...noEnv, userId: root.id, role: 'member', actor: userActor({ userId: other.id, email: other.email }) }));
    expect(last.code).toBe('conflict');
    expect(last.message).toMatch(/last admin/);
    expect((await refusal(removeUser(database.client, { ...noEnv, userId: root.id, actor: userActor({ userId: other.id, email: other.email }) }))).message).toMatch(/last admin/);
    expect((await database.client.user.findUniqueOrThrow({ where: { id: root.id } })).role).toBe('admin');
  });

  test('two admins demoting each other at once: one wins, an admin is always left', async () => {
    await database.client.user.deleteMany({ where: { workspaceId } });
    const a = await addUser('admin');
    const b = await addUser('admin');
    const at = (u: typeof a) => ({ workspaceId, actor: userActor({ userId: u.id, email: u.email }), now: t0, environmentAdmin: null });
    const results = await Promise.allSettled([
      changeUserRole(database.client, { ...at(a), userId: b.id, role: 'viewer' }),
      changeUserRole(database.client, { ...at(b), userId: a.id, role: 'viewer' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    // The other waited for the first and was then refused by the rule, not by a database error.
    const loser = results.find((r) => r.status === 'rejected');
    expect(loser?.status === 'rejected' && (loser.reason as Error).message).toMatch(/last admin/);
    expect(await database.client.user.count({ where: { workspaceId, role: 'admin' } })).toBe(1);
  });

  test('removing a user ends their sessions at once; nobody removes themself', async () => {
    const admin = await addUser('admin');
    const member = await addUser('member');
    await database.client.session.create({ data: { idHash: `s-${member.id}`, userId: member.id, expiresAt: later(60_000), lastSeenAt: t0 } });
    const base = { workspaceId, actor: userActor({ userId: admin.id, email: admin.email }), now: t0, environmentAdmin: ROOT };
    expect((await refusal(removeUser(database.client, { ...base, userId: admin.id }))).message).toMatch(/cannot remove yourself/);
    await removeUser(database.client, { ...base, userId: member.id });
    expect(await database.client.session.count({ where: { userId: member.id } })).toBe(0);
    expect(await database.client.user.findUnique({ where: { id: member.id } })).toBeNull();
    expect((await refusal(removeUser(database.client, { ...base, userId: member.id }))).code).toBe('not_found');
    expect((await listUsers(database.client, workspaceId)).some((u) => u.id === member.id)).toBe(false);
  });

  test('an invite stores only the token hash, is accepted once within 7 days, and creates the user with its role', async () => {
    const admin = await addUser('admin');
    const actor = userActor({ userId: admin.id, email: admin.email });
    const { invite, token } = await createInvite(database.client, workspaceId, { email: 'dana@example.com', role: 'viewer' }, actor, t0);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const row = await database.client.invite.findUniqueOrThrow({ where: { id: invite.id } });
    expect(row.tokenHash).not.toContain(token);
    expect(row.expiresAt.getTime() - t0.getTime()).toBe(INVITE_TTL_MS);
    expect(row.createdById).toBe(admin.id);
    expect((await listPendingInvites(database.client, workspaceId, t0)).map((i) => i.email)).toContain('dana@example.com');

    expect(await findInvite(database.client, token, t0)).toMatchObject({ state: 'pending', invite: { email: 'dana@example.com', role: 'viewer', workspaceName: 'Acme' } });
    expect((await findInvite(database.client, `${token}x`, t0)).state).toBe('unknown');

    const user = await acceptInvite(database.client, token, password, later(1000));
    expect(user).toMatchObject({ email: 'dana@example.com', role: 'viewer', name: 'Dana', workspaceId });
    expect(user.passwordHash).toMatch(/^\$argon2/);
    expect((await findInvite(database.client, token, later(2000))).state).toBe('accepted');
    expect((await refusal(acceptInvite(database.client, token, password, later(2000)))).message).toMatch(/already been used/);
    expect((await listPendingInvites(database.client, workspaceId, later(2000))).some((i) => i.email === 'dana@example.com')).toBe(false);
    const audit = await database.client.auditEntry.findMany({ where: { workspaceId, action: { in: ['invite.create', 'invite.accept'] }, targetLabel: 'dana@example.com' } });
    expect(audit.map((e) => e.action).sort()).toEqual(['invite.accept', 'invite.create']);

    // Email already a user: no invite.
    const again = await refusal(createInvite(database.client, workspaceId, { email: 'dana@example.com', role: 'member' }, actor, t0));
    expect(again.details).toEqual([{ field: 'email', issue: 'already has an account' }]);
  });

  test('expired and revoked links are refused; a new invite replaces the earlier link; of two uses at once one wins', async () => {
    const admin = await addUser('admin');
    const actor = userActor({ userId: admin.id, email: admin.email });
    const expired = await createInvite(database.client, workspaceId, { email: 'late@example.com', role: 'member' }, actor, t0);
    expect((await refusal(acceptInvite(database.client, expired.token, password, later(INVITE_TTL_MS)))).message).toMatch(/expired/);
    expect((await listPendingInvites(database.client, workspaceId, later(INVITE_TTL_MS))).find((i) => i.email === 'late@example.com')?.expired).toBe(true);

    const revoked = await createInvite(database.client, workspaceId, { email: 'gone@example.com', role: 'member' }, actor, t0);
    await revokeInvite(database.client, workspaceId, revoked.invite.id, actor, later(1));
    expect((await refusal(acceptInvite(database.client, revoked.token, password, later(2)))).message).toMatch(/revoked/);

    const first = await createInvite(database.client, workspaceId, { email: 'twice@example.com', role: 'member' }, actor, t0);
    const second = await createInvite(database.client, workspaceId, { email: 'twice@example.com', role: 'viewer' }, actor, later(1));
    expect((await findInvite(database.client, first.token, later(2))).state).toBe('revoked');
    const both = await Promise.allSettled([acceptInvite(database.client, second.token, password, later(3)), acceptInvite(database.client, second.token, password, later(3))]);
    expect(both.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await database.client.user.count({ where: { email: 'twice@example.com' } })).toBe(1);
  });
});
