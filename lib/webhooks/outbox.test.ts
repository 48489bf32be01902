import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { unitDatabases, type UnitDb } from '../../tests/support/unit-db';
import type { Tx } from '../db';
import { fireReachedAlertsTx } from '../alerts/fire';
import { alertsOf } from '../alerts/rules';
import { CLAIM_MS, claimDueMessages, enqueueMessages, recordAttempt } from './outbox';
import { MAX_ATTEMPTS } from './backoff';

// The outbox and alert firing live in the database (several instances share them): tested on real, migrated databases.
describe.each(unitDatabases())('webhook outbox and alert firing on $name', ({ open }) => {
  let database: UnitDb;
  let tx: Tx;
  const t0 = new Date('2026-03-01T12:00:00Z');
  const at = (ms: number) => new Date(t0.getTime() + ms);
  const workspaceId = 'ws_outbox';

  beforeAll(async () => {
    database = await open();
    tx = database.client as unknown as Tx;
    await database.client.workspace.create({ data: { id: workspaceId, slug: 'outbox', name: 'Outbox' } });
    await database.client.notifier.createMany({
      data: [
        { id: 'n_on', workspaceId, name: 'On', url: 'http://127.0.0.1:9/on', signingSecretEncrypted: 'x' },
        { id: 'n_off', workspaceId, name: 'Off', url: 'http://127.0.0.1:9/off', signingSecretEncrypted: 'x', isActive: false },
      ],
    });
  });
  afterAll(async () => {
    await database?.drop();
  });

  test('an alert fires once per threshold per window, to active notifiers only, with the documented payload', async () => {
    const budget = await database.client.budget.create({
      data: {
        id: 'b1',
        workspaceId,
        scopeKind: 'workspace',
        scopeTargetId: workspaceId,
        period: 'monthly',
        amountMicros: 10_000_000n,
        alerts: [
          { threshold_percent: 50, notifier_ids: ['n_on', 'n_off', 'n_gone'] },
          { threshold_percent: 100, notifier_ids: ['n_on'] },
        ],
      },
    });
    const alerts = alertsOf(budget);
    const window = BigInt(Date.UTC(2026, 2, 1));
    const fire = (spentMicros: bigint, refused = false) =>
      database.client.$transaction((t) => fireReachedAlertsTx(t as unknown as Tx, budget, window, alerts, { spentMicros, tokens: 0n }, { refused, now: t0 }));

    expect(await fire(4_999_999n)).toEqual([]);
    expect(await fire(6_000_000n)).toEqual(['cost:50']);
    expect(await fire(7_000_000n)).toEqual([]);
    expect(await fire(10_000_000n, true)).toEqual(['cost:100']);
    expect(await fire(12_000_000n)).toEqual([]);
    // Another window fires again.
    expect(await database.client.$transaction((t) => fireReachedAlertsTx(t as unknown as Tx, budget, window + 1n, alerts, { spentMicros: 5_000_000n, tokens: 0n }, { refused: false, now: t0 }))).toEqual(['cost:50']);

    const rows = await database.client.webhookDelivery.findMany({ where: { workspaceId }, orderBy: { id: 'asc' } });
    expect(rows.map((r) => r.notifierId)).toEqual(['n_on', 'n_on', 'n_on']);
    expect(rows.every((r) => r.status === 'pending' && r.eventType === 'budget.alert' && r.id.startsWith('msg_'))).toBe(true);
    expect(JSON.parse(rows[1].payload)).toEqual({
      type: 'budget.alert',
      timestamp: t0.toISOString(),
      data: {
        budget_id: 'b1',
        scope: { kind: 'workspace', target_id: workspaceId },
        period: 'monthly',
        window_start: '2026-03-01T00:00:00.000Z',
        threshold_percent: 100,
        dimension: 'cost',
        consumed: 10,
        limit: 10,
        percent: 100,
        refused: true,
      },
    });
    expect(await database.client.alertFiring.count({ where: { budgetId: 'b1' } })).toBe(3);
    await database.client.webhookDelivery.deleteMany({ where: { workspaceId } });
  });

  test('claims: concurrent workers never take the same message; a lapsed hold is taken again', async () => {
    const ids = await database.client.$transaction((t) =>
      enqueueMessages(t as unknown as Tx, { workspaceId, notifierIds: ['n_on'], eventType: 'test', body: { type: 'test' }, now: t0 }),
    );
    for (let i = 0; i < 4; i++) ids.push(...(await enqueueMessages(tx, { workspaceId, notifierIds: ['n_on', 'n_off'], eventType: 'test', body: { i }, now: t0 })));
    expect(ids).toHaveLength(5);
    expect(await claimDueMessages(tx, at(-1))).toEqual([]);
    const [a, b, c] = await Promise.all([claimDueMessages(tx, t0, 3), claimDueMessages(tx, t0, 3), claimDueMessages(tx, t0, 3)]);
    const claimed = [...a, ...b, ...c].map((m) => m.id);
    expect(new Set(claimed).size).toBe(claimed.length);
    expect(claimed.length).toBeGreaterThan(0);
    const rest = await claimDueMessages(tx, at(1_000), 10);
    expect([...claimed, ...rest.map((m) => m.id)].sort()).toEqual([...ids].sort());
    expect(await claimDueMessages(tx, at(CLAIM_MS - 1), 10)).toEqual([]);
    expect((await claimDueMessages(tx, at(CLAIM_MS + 1_001), 10)).map((m) => m.id).sort()).toEqual([...ids].sort());
  });

  test('attempts: a failure is retried after the backoff, 2xx delivers, the 8th failure gives up', async () => {
    const [id] = await enqueueMessages(tx, { workspaceId, notifierIds: ['n_on'], eventType: 'test', body: {}, now: t0 });
    const base = 100;
    const status1 = await recordAttempt(tx, { id, attempts: 0 }, { statusCode: 500, error: 'HTTP 500', durationMs: 5 }, t0, base);
    expect(status1).toBe('pending');
    let row = await database.client.webhookDelivery.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ attempts: 1, lastStatus: 500, lastError: 'HTTP 500', lockedUntil: null });
    expect(row.nextAttemptAt.getTime()).toBe(t0.getTime() + 5 + base);
    expect(await recordAttempt(tx, { id, attempts: 1 }, { statusCode: 204, error: null, durationMs: 7 }, at(200), base)).toBe('delivered');
    row = await database.client.webhookDelivery.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: 'delivered', attempts: 2, lastStatus: 204, lastError: null });
    expect(row.deliveredAt?.toISOString()).toBe(at(207).toISOString());
    const log = await database.client.webhookAttempt.findMany({ where: { deliveryId: id }, orderBy: { attemptedAt: 'asc' } });
    expect(log.map((l) => [l.statusCode, l.error, l.durationMs])).toEqual([
      [500, 'HTTP 500', 5],
      [204, null, 7],
    ]);

    const [doomed] = await enqueueMessages(tx, { workspaceId, notifierIds: ['n_on'], eventType: 'test', body: {}, now: t0 });
    const statuses = [];
    for (let i = 0; i < MAX_ATTEMPTS; i++) statuses.push(await recordAttempt(tx, { id: doomed, attempts: i }, { statusCode: null, error: 'connection refused', durationMs: 1 }, at(i), base));
    expect(statuses).toEqual([...Array(MAX_ATTEMPTS - 1).fill('pending'), 'failed']);
    expect(await claimDueMessages(tx, at(10 ** 9), 50)).not.toContainEqual(expect.objectContaining({ id: doomed }));
  });
});
