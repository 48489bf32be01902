import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { unitDatabases, type UnitDb } from '../../tests/support/unit-db';
import { systemActor, userActor } from './actor';
import { recordAudit, recordUpdate } from './service';
import { budgetSnapshot, changedFields, identitySnapshot } from './snapshots';

test('an update entry keeps only the changed fields, both sides; equal snapshots give none', () => {
  const before = identitySnapshot({ externalId: 'a', displayName: 'Ann', email: null, tags: ['x'], metadata: {} });
  const after = identitySnapshot({ externalId: 'a', displayName: 'Anne', email: null, tags: ['x', 'y'], metadata: {} });
  expect(changedFields(before, after)).toEqual({ before: { display_name: 'Ann', tags: ['x'] }, after: { display_name: 'Anne', tags: ['x', 'y'] } });
  expect(changedFields(before, { ...before })).toBeNull();
});

test('a budget snapshot reads as a person would: USD, numbers, ISO times, its scope in words', () => {
  const snapshot = budgetSnapshot({
    scopeKind: 'identity',
    scopeTargetId: 'alice',
    period: 'monthly',
    amountMicros: 25_500_000n,
    tokenLimit: 1_000n,
    requestsPerMinute: null,
    isActive: true,
    expiresAt: new Date('2026-05-01T00:00:00Z'),
    alerts: [],
  });
  expect(snapshot).toEqual({
    scope: 'identity "alice"',
    period: 'monthly',
    amount_usd: 25.5,
    token_limit: 1000,
    requests_per_minute: null,
    is_active: true,
    expires_at: '2026-05-01T00:00:00.000Z',
    alerts: [],
  });
});

// The entry is written by the change's transaction: tested on a real, migrated database of each kind.
describe.each(unitDatabases())('recordAudit on $name', ({ open }) => {
  let database: UnitDb;
  const workspaceId = 'ws_audit_unit';
  const actor = userActor({ userId: 'u1', email: 'admin@example.com' });
  const at = new Date('2026-03-01T12:00:00Z');

  beforeAll(async () => {
    database = await open();
    await database.client.workspace.create({ data: { id: workspaceId, slug: 'audit-unit', name: 'Audit unit' } });
  });
  afterAll(async () => {
    await database?.drop();
  });

  const entries = (targetId: string) => database.client.auditEntry.findMany({ where: { workspaceId, targetId } });

  test('commits with the change: who, when, what, before and after as JSON', async () => {
    await database.client.$transaction(async (tx) => {
      await tx.identity.create({ data: { id: 'id-commit', workspaceId, externalId: 'commit', sortName: 'commit', source: 'studio' } });
      await recordAudit(tx, {
        workspaceId,
        actor,
        action: 'identity.create',
        target: { kind: 'identity', id: 'id-commit', label: 'commit' },
        identityId: 'id-commit',
        after: { external_id: 'commit', limit: 5n },
        at,
      });
    });
    const [entry] = await entries('id-commit');
    expect(entry).toMatchObject({
      actorKind: 'user',
      actorId: 'u1',
      actorLabel: 'admin@example.com',
      action: 'identity.create',
      targetKind: 'identity',
      targetLabel: 'commit',
      identityId: 'id-commit',
      at,
      before: null,
      after: { external_id: 'commit', limit: '5' },
    });
  });

  test('rolls back with its transaction: a change that fails leaves no entry', async () => {
    const failing = database.client.$transaction(async (tx) => {
      await tx.identity.create({ data: { id: 'id-rollback', workspaceId, externalId: 'rollback', sortName: 'rollback', source: 'studio' } });
      await recordAudit(tx, { workspaceId, actor, action: 'identity.create', target: { kind: 'identity', id: 'id-rollback' }, after: { external_id: 'rollback' }, at });
      // The change's next statement fails (a duplicate external id), after the entry was written.
      await tx.identity.create({ data: { id: 'id-rollback-2', workspaceId, externalId: 'rollback', sortName: 'rollback', source: 'studio' } });
    });
    await expect(failing).rejects.toThrow();
    expect(await entries('id-rollback')).toEqual([]);
    expect(await database.client.identity.findFirst({ where: { id: 'id-rollback' } })).toBeNull();
  });

  test('recordUpdate writes nothing for an unchanged save, the changed fields otherwise', async () => {
    const target = { kind: 'settings' as const, id: 'settings-1', label: 'Workspace settings' };
    await database.client.$transaction((tx) =>
      recordUpdate(tx, { workspaceId, actor: systemActor(), action: 'settings.update', target, at }, { allow: false, other: 1 }, { allow: false, other: 1 }),
    );
    expect(await entries('settings-1')).toEqual([]);
    await database.client.$transaction((tx) =>
      recordUpdate(tx, { workspaceId, actor: systemActor(), action: 'settings.update', target, at }, { allow: false, other: 1 }, { allow: true, other: 1 }),
    );
    const [entry] = await entries('settings-1');
    expect(entry).toMatchObject({ actorKind: 'system', actorId: null, actorLabel: 'Tollbooth', before: { allow: false }, after: { allow: true } });
  });
});
