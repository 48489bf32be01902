// Group commit (lib/usage/service.ts ingestGroupHere, used by the ingest worker): several batches in one transaction
// (on PostgreSQL each in a savepoint of its own; SQLite writes the group again without a refused batch). A batch refused
// by its content is answered with its own error and leaves nothing behind — not even the identities it created — while
// the batches around it are written whole, rollups exact.
// Against a database of its own: SQLite, or PostgreSQL when TOLLBOOTH_TEST_POSTGRES_URL names a server.
import { expect, test } from 'vitest';
import { withInProcessLib } from './support/in-process-db';

const ctx = withInProcessLib('ingest-group', async () => ({
  ...(await import('../lib/usage/service')),
  ...(await import('../lib/usage/schema')),
  ...(await import('../lib/api/errors')),
  ...(await import('../lib/budgets/service')),
  ...(await import('../lib/audit/actor')),
}));

const now = new Date('2026-11-20T12:00:00.000Z');

type Wire = { event_id: string; external_id?: string; identity_id?: string; input_tokens: number; output_tokens: number; cost?: number };
const records = (events: Wire[]) => events.map((e) => ctx.lib.toUsageRecord(ctx.lib.usageEventSchema.parse({ model: 'gpt-4o', timestamp: now.toISOString(), ...e })));
const batch = (events: Wire[]) => ({ workspaceId: ctx.workspaceId, records: records(events), now, source: 'usage' as const });
const wire = (prefix: string, count: number, user = prefix): Wire[] =>
  Array.from({ length: count }, (_, i) => ({ event_id: `${prefix}-${i}`, external_id: `${user}-user-${i % 3}`, input_tokens: 100 + i, output_tokens: 10 + i, cost: 0.001 * (i + 1) }));

test('a refused batch in a group is rolled back alone; the others are written whole', async () => {
  // An event recorded earlier, which one batch of the group replays with other numbers (409).
  await ctx.lib.ingestUsage(ctx.workspaceId, records([{ event_id: 'old-0', external_id: 'old-user', input_tokens: 1, output_tokens: 1, cost: 0.5 }]), now);

  const outcomes = await ctx.lib.ingestGroupHere([
    batch(wire('a', 5)),
    // Creates identities for new external ids first, then is refused for its replayed event: its identities go too.
    batch([...wire('b', 3, 'gone'), { event_id: 'old-0', external_id: 'old-user', input_tokens: 2, output_tokens: 1, cost: 0.5 }]),
    batch(wire('c', 4)),
    // Refused after its new identities are created: an identity id that does not exist (404).
    batch([...wire('d', 2, 'gone-too'), { event_id: 'd-x', identity_id: '01KBNOSUCHIDENTITY00000000', input_tokens: 1, output_tokens: 1 }]),
    // Refused before any write: one event id twice with different content.
    batch([wire('e', 1)[0], { ...wire('e', 1)[0], input_tokens: 999 }]),
  ]);

  const errorOf = (i: number) => {
    const o = outcomes[i];
    if (!('error' in o) || !(o.error instanceof ctx.lib.ApiError)) throw new Error(`batch ${i}: expected an API error, got ${JSON.stringify(o)}`);
    return { status: o.error.status, field: o.error.details[0]?.field };
  };
  expect(outcomes).toHaveLength(5);
  expect('results' in outcomes[0] && outcomes[0].results.map((r) => r.status)).toEqual(Array(5).fill('created'));
  expect(errorOf(1)).toEqual({ status: 409, field: 'events.3.event_id' });
  expect('results' in outcomes[2] && outcomes[2].results.map((r) => r.status)).toEqual(Array(4).fill('created'));
  expect(errorOf(3)).toEqual({ status: 404, field: 'events.2.identity_id' });
  expect(errorOf(4)).toEqual({ status: 409, field: 'events.1.event_id' });

  // Only a's and c's events, and no identity of the refused batches.
  const keys = (await ctx.lib.db.usageEvent.findMany({ where: { workspaceId: ctx.workspaceId }, select: { eventKey: true } })).map((e) => e.eventKey).sort();
  expect(keys).toEqual(['a-0', 'a-1', 'a-2', 'a-3', 'a-4', 'c-0', 'c-1', 'c-2', 'c-3', 'old-0']);
  expect(await ctx.lib.db.identity.count({ where: { workspaceId: ctx.workspaceId, externalId: { startsWith: 'gone' } } })).toBe(0);
  const old = await ctx.lib.db.usageEvent.findFirstOrThrow({ where: { workspaceId: ctx.workspaceId, eventKey: 'old-0' } });
  expect(old.inputTokens).toBe(1);

  // The daily rollup holds exactly the written events.
  const rollup = await ctx.lib.db.usageDaily.aggregate({ where: { workspaceId: ctx.workspaceId }, _sum: { requests: true, inputTokens: true, costMicros: true } });
  const events = await ctx.lib.db.usageEvent.aggregate({ where: { workspaceId: ctx.workspaceId }, _count: { _all: true }, _sum: { inputTokens: true, costMicros: true } });
  expect(rollup._sum.requests).toBe(events._count._all);
  expect(rollup._sum.inputTokens).toBe(BigInt(events._sum.inputTokens ?? 0));
  expect(rollup._sum.costMicros).toBe(events._sum.costMicros);

  // Sent again on their own, the refused batches' valid events are written (nothing of theirs was left behind).
  const retried = await ctx.lib.ingestGroupHere([batch(wire('b', 3, 'gone')), batch(wire('c', 4))]);
  expect(retried.map((o) => ('results' in o ? o.results.map((r) => r.status) : o.error))).toEqual([Array(3).fill('created'), Array(4).fill('duplicate')]);
});

test('batches of a group see each other: an event id repeated across two batches is a duplicate, its identity one', async () => {
  const [first, second] = await ctx.lib.ingestGroupHere([batch(wire('f', 2, 'shared')), batch(wire('f', 3, 'shared'))]);
  if (!('results' in first) || !('results' in second)) throw new Error('both batches should be written');
  expect(first.results.map((r) => r.status)).toEqual(['created', 'created']);
  expect(second.results.map((r) => r.status)).toEqual(['duplicate', 'duplicate', 'created']);
  expect(second.results[0].id).toBe(first.results[0].id);
  expect(await ctx.lib.db.identity.count({ where: { workspaceId: ctx.workspaceId, externalId: { startsWith: 'shared-' } } })).toBe(3);
});

test('an identity deleted outside the API (no config version bump) while remembered is created again, not a failed batch', async () => {
  const [first] = await ctx.lib.ingestGroupHere([batch(wire('fk', 1, 'fk'))]);
  if (!('results' in first)) throw new Error('the first batch should be written');
  // Straight in the database: nothing tells the memory of external ids that the identity is gone.
  await ctx.lib.db.identity.delete({ where: { id: first.results[0].identityId } });
  const [again] = await ctx.lib.ingestGroupHere([batch(wire('fk-again', 1, 'fk'))]);
  if (!('results' in again)) throw new Error(`the batch should be written again: ${String(again.error)}`);
  expect(again.results[0]).toMatchObject({ status: 'created', externalId: 'fk-user-0' });
  expect(again.results[0].identityId).not.toBe(first.results[0].identityId);
  expect(await ctx.lib.db.identity.count({ where: { workspaceId: ctx.workspaceId, externalId: 'fk-user-0' } })).toBe(1);
});

test("an event's metadata and the price it was charged with are stored as JSON objects, each row its own", async () => {
  const events = [
    { event_id: 'json-0', external_id: 'json-user', input_tokens: 1000, output_tokens: 500, metadata: { feature: 'chat', nested: { n: 1, quote: 'say "hi"' }, list: [1, 'two'], text: 'tab\there\nback\\slash\\N' } },
    { event_id: 'json-1', external_id: 'json-user', input_tokens: 10, output_tokens: 5, cost: 0.25 },
    { event_id: 'json-2', external_id: 'json-user', input_tokens: 10, output_tokens: 5, model: 'no-such-model-anywhere' },
  ];
  const rs = events.map((e) => ctx.lib.toUsageRecord(ctx.lib.usageEventSchema.parse({ model: 'gpt-4o', provider: 'openai', timestamp: now.toISOString(), ...e })));
  const [outcome] = await ctx.lib.ingestGroupHere([{ workspaceId: ctx.workspaceId, records: rs, now, source: 'usage' }]);
  expect('results' in outcome && outcome.results.map((r) => r.status)).toEqual(['created', 'created', 'created']);
  const stored = await ctx.lib.db.usageEvent.findMany({ where: { workspaceId: ctx.workspaceId, eventKey: { startsWith: 'json-' } }, orderBy: { eventKey: 'asc' }, select: { metadata: true, pricing: true } });
  expect(stored[0].metadata).toEqual({ feature: 'chat', nested: { n: 1, quote: 'say "hi"' }, list: [1, 'two'], text: 'tab\there\nback\\slash\\N' });
  expect(stored[0].pricing).toMatchObject({ source: 'table' });
  expect(stored[1]).toEqual({ metadata: null, pricing: { source: 'caller' } });
  expect(stored[2]).toEqual({ metadata: null, pricing: null });
});

test('two groups writing the same events at once: each stored and counted once, answered once as created and once as duplicate', async () => {
  // PostgreSQL writes a batch without looking its keys up first, and again from its savepoint when one was seen before:
  // here the other transaction holds the same keys, uncommitted, then commits.
  const events = wire('race', 60, 'race');
  for (let round = 0; round < 3; round++) {
    const mine = events.map((e) => ({ ...e, event_id: `${e.event_id}-${round}` }));
    const [[a], [b]] = await Promise.all([ctx.lib.ingestGroupHere([batch(mine)]), ctx.lib.ingestGroupHere([batch(mine)])]);
    if (!('results' in a) || !('results' in b)) throw new Error('a batch was refused');
    a.results.forEach((r, i) => {
      expect([r.status, b.results[i].status].sort()).toEqual(['created', 'duplicate']);
      expect(b.results[i].id).toBe(r.id);
    });
  }
  expect(await ctx.lib.db.usageEvent.count({ where: { workspaceId: ctx.workspaceId, eventKey: { startsWith: 'race-' } } })).toBe(180);
  const identities = await ctx.lib.db.identity.findMany({ where: { workspaceId: ctx.workspaceId, externalId: { startsWith: 'race-user-' } }, select: { id: true } });
  expect(identities).toHaveLength(3);
  const rollup = await ctx.lib.db.usageDaily.aggregate({ where: { identityId: { in: identities.map((i) => i.id) } }, _sum: { requests: true, inputTokens: true } });
  expect(rollup._sum.requests).toBe(180);
  expect(Number(rollup._sum.inputTokens)).toBe(3 * events.reduce((sum, e) => sum + e.input_tokens, 0));
});

test('text arrives as sent: quotes, backslashes, JSON-looking text, other scripts; a lone surrogate (gateway records skip the body check) replaced', async () => {
  const models = ['say "hi"', 'back\\slash\\', 'null', '{"a":1}', '[1]', 'ünïcødé 模型 🚀', 'tab\there\nnewline\r', '\\N', 'lone \ud800 surrogate'];
  const rs = models.map((model, i) => ({ ...records([{ event_id: `text-${i}\t\\`, external_id: 'text-user', input_tokens: 1, output_tokens: 1, cost: 0.01 }])[0], model }));
  const [outcome] = await ctx.lib.ingestGroupHere([{ workspaceId: ctx.workspaceId, records: rs, now, source: 'usage' }]);
  expect('results' in outcome && outcome.results.map((r) => r.status)).toEqual(models.map(() => 'created'));
  const stored = await ctx.lib.db.usageEvent.findMany({ where: { workspaceId: ctx.workspaceId, eventKey: { startsWith: 'text-' } }, orderBy: { eventKey: 'asc' }, select: { model: true } });
  expect(stored.slice(0, 8).map((e) => e.model)).toEqual(models.slice(0, 8));
  // PostgreSQL stores one U+FFFD, SQLite one per byte of the surrogate's (invalid) UTF-8.
  expect(stored[8].model).toMatch(/^lone \ufffd+ surrogate$/);
  // The keys arrived as sent too: the same batch again is recognised, event by event.
  // (Not the lone surrogate's: what is stored differs from what was sent, a 409.)
  const [again] = await ctx.lib.ingestGroupHere([{ workspaceId: ctx.workspaceId, records: rs.slice(0, 8), now, source: 'usage' }]);
  expect('results' in again && again.results.map((r) => r.status)).toEqual(models.slice(0, 8).map(() => 'duplicate'));
});

test('timestamps at the ends of the calendar are stored exactly (PostgreSQL: years COPY cannot spell go another way)', async () => {
  const at = ['0000-06-15T08:09:10.011Z', '0001-01-01T00:00:00.000Z', '1969-12-31T23:59:59.999Z', '9999-12-31T23:59:59.999Z'];
  const rs = at.map((t, i) => ({ ...records([{ event_id: `edge-${i}`, external_id: 'edge-user', input_tokens: 1, output_tokens: 1, cost: 0.01 }])[0], occurredAt: new Date(t) }));
  for (const r of rs) {
    const [outcome] = await ctx.lib.ingestGroupHere([{ workspaceId: ctx.workspaceId, records: [r], now, source: 'usage' }]);
    expect('results' in outcome && outcome.results[0].status).toBe('created');
  }
  // As milliseconds since the epoch: the PostgreSQL adapter reads a year before 1 (1 BC there) as an invalid date.
  const stored = ctx.database.isPg
    ? (await ctx.lib.db.$queryRaw<{ at: bigint }[]>`
        SELECT (EXTRACT(EPOCH FROM "occurredAt") * 1000)::bigint AS "at" FROM "UsageEvent" WHERE "eventKey" LIKE 'edge-%' ORDER BY "eventKey"`).map((e) => Number(e.at))
    : (await ctx.lib.db.usageEvent.findMany({ where: { eventKey: { startsWith: 'edge-' } }, orderBy: { eventKey: 'asc' } })).map((e) => e.occurredAt.getTime());
  expect(stored).toEqual(at.map((t) => new Date(t).getTime()));
});

test("a batch's replay lookup probes the keys' index once per key, whatever the tables' statistics", async () => {
  // Some events first, in tables the planner has no statistics for yet (a young database): the lookup must not turn
  // into a scan or a hash of every key of the workspace, which grows with the table (PostgreSQL chose both before).
  // Sequential scans ruled out, so test-sized tables show the plan of large ones.
  await ctx.lib.ingestGroupHere([batch(wire('plan', 200, 'plan'))]);
  const keys = Array.from({ length: 1_000 }, (_, i) => (i % 2 === 0 ? `plan-${i % 200}` : `plan-new-${i}`));
  const query = ctx.lib.storedEventsQuery(ctx.workspaceId, keys);
  const plan = await ctx.database.plan(query.text, query.values, 'SET enable_seqscan = off');
  if (ctx.database.isPg) {
    expect(plan).toMatch(/Nested Loop[\s\S]*Function Scan on unnest q[\s\S]*Index Scan using "UsageEventKey_pkey" on "UsageEventKey"/);
    // Each found key's event is then read by its primary key in its month's partition.
    expect(plan).toMatch(/Limit[\s\S]*Append[\s\S]*Index Scan using "UsageEvent_\d{4}_\d{2}_pkey"/);
    expect(plan).not.toMatch(/Hash Join|Gather|Bitmap Heap Scan on "UsageEventKey"/);
  } else {
    expect(plan).toMatch(/USING INDEX UsageEvent_workspaceId_eventKey_key/);
  }
  // And it finds what it should: the stored half, with their identities' external ids.
  const found = await ctx.lib.db.$queryRawUnsafe<{ eventKey: string; externalId: string }[]>(query.text.replace(/\$\d+/g, ctx.database.isPg ? '$&' : '?'), ...query.values);
  expect(new Set(found.map((r) => r.eventKey))).toEqual(new Set(Array.from({ length: 200 }, (_, i) => `plan-${i}`).filter((_, i) => i % 2 === 0)));
  expect(found.every((r) => /^plan-user-\d$/.test(r.externalId))).toBe(true);
});

test('a batch naming more identities than one budget query lists counts their budgets, then from memory; a budget set later counts too', async () => {
  // 600 identities (a budget query names at most 500: past that it reads every identity budget of the workspace).
  const wide = (round: number): Wire[] => Array.from({ length: 600 }, (_, i) => ({ event_id: `wide-${round}-${i}`, external_id: `wide-user-${i}`, input_tokens: 1, output_tokens: 1, cost: 0.001 }));
  const requestsOf = async (externalId: string) => {
    const identity = await ctx.lib.db.identity.findFirstOrThrow({ where: { workspaceId: ctx.workspaceId, externalId } });
    const budget = await ctx.lib.db.budget.findFirstOrThrow({ where: { identityId: identity.id } });
    const counters = await ctx.lib.db.budgetCounter.findMany({ where: { budgetId: budget.id } });
    return { requests: counters.reduce((n, c) => n + c.requests, 0), spentMicros: counters.reduce((n, c) => n + c.spentMicros, 0n) };
  };
  const budgetFor = async (externalId: string) => {
    const identity = await ctx.lib.db.identity.findFirstOrThrow({ where: { workspaceId: ctx.workspaceId, externalId } });
    await ctx.lib.setIdentityBudget(ctx.workspaceId, ctx.lib.systemActor('test'), identity.id, { period: 'monthly', amountMicros: 100_000_000n }, now);
  };
  await ctx.lib.ingestGroupHere([batch(wide(0))]);
  // A new budget starts from the usage already recorded in its period (round 0's event).
  await budgetFor('wide-user-0');
  expect(await requestsOf('wide-user-0')).toEqual({ requests: 1, spentMicros: 1_000n });
  for (const round of [1, 2]) {
    const [outcome] = await ctx.lib.ingestGroupHere([batch(wide(round))]);
    expect('results' in outcome && outcome.results.every((r) => r.status === 'created')).toBe(true);
  }
  expect(await requestsOf('wide-user-0')).toEqual({ requests: 3, spentMicros: 3_000n });
  // Set after the identities' budgets were remembered: the next batch counts it (the configuration's version moved).
  await budgetFor('wide-user-599');
  expect(await requestsOf('wide-user-599')).toEqual({ requests: 3, spentMicros: 3_000n });
  await ctx.lib.ingestGroupHere([batch(wide(3))]);
  expect(await requestsOf('wide-user-0')).toEqual({ requests: 4, spentMicros: 4_000n });
  expect(await requestsOf('wide-user-599')).toEqual({ requests: 4, spentMicros: 4_000n });
});
