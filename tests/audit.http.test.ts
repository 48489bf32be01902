// The audit log over real HTTP: every kind of change made through the API leaves exactly one entry, naming the API
// key, with the fields before and after; a change that fails leaves none; secrets are never recorded; GET
// /v2/audit-log filters and pages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashApiKey } from '@/lib/api-keys/crypto';
import { userActor } from '@/lib/audit/actor';
import { apiKey, raw, uid, type Json } from './support/api';
import { inProcessDatabase } from './support/in-process-db';

type Entry = {
  id: string;
  at: string;
  actor: { kind: string; id: string | null; label: string };
  action: string;
  target: { kind: string; id: string; label: string | null };
  identity_id: string | null;
  before: Json | null;
  after: Json | null;
};
type Page = { object: 'list'; data: Entry[]; has_more: boolean };

const ROOT_KEY_NAME = 'Root key (TOLLBOOTH_API_KEY)';
/** Every audit-log response body of this file, to check that no secret was ever recorded. */
const bodies: string[] = [];

async function auditLog(query: Record<string, string> = {}): Promise<Page> {
  const res = await raw<Page>('GET', `/v2/audit-log?${new URLSearchParams(query)}`);
  expect(res.status, res.text).toBe(200);
  bodies.push(res.text);
  return res.body;
}

/** The newest entry's id: a failed change must leave it the newest. */
const newestId = async () => (await auditLog({ limit: '1' })).data[0]?.id ?? null;

/** The entries on one target, oldest first. */
const entriesOf = async (targetId: string) => (await auditLog({ target_id: targetId, limit: '100' })).data.reverse();

/** Makes a change and returns the one entry it left (and insists it left exactly one). */
async function onlyNewEntry(change: () => Promise<unknown>): Promise<Entry> {
  const before = await newestId();
  await change();
  const page = await auditLog({ limit: '10' });
  const added = before ? page.data.slice(0, page.data.findIndex((e) => e.id === before)) : page.data;
  expect(added, JSON.stringify(added)).toHaveLength(1);
  return added[0];
}

async function call(method: string, path: string, body: unknown, status: number, now?: string): Promise<Json> {
  const res = await raw(method, path, { body, now });
  expect(res.status, res.text).toBe(status);
  return res.body;
}

async function expectNoEntry(change: () => Promise<unknown>) {
  const before = await newestId();
  await change();
  expect(await newestId()).toBe(before);
}

let rootKeyId: string;
/** The budget whose reset is pinned to 2030 (other files on the shared server pin resets there too). */
let pinnedBudgetId: string;

describe('audit log', () => {
  it('records the root key registered at start-up as a system change, without its secret or hash', async () => {
    const created = (await auditLog({ target_kind: 'api_key', actor_kind: 'system', action: 'api_key.create' })).data.find((e) => e.target.label === ROOT_KEY_NAME);
    expect(created).toMatchObject({ actor: { kind: 'system', id: null }, target: { kind: 'api_key', label: ROOT_KEY_NAME }, before: null });
    expect(created?.after).toMatchObject({ name: ROOT_KEY_NAME, revoked_at: null });
    rootKeyId = created!.target.id;
  });

  it('identities: create, update, delete each leave one entry naming the key, with before and after; failures leave none', async () => {
    const actor = { kind: 'api_key', id: rootKeyId, label: ROOT_KEY_NAME };
    const externalId = uid('aud-id');
    let identityId = '';
    const created = await onlyNewEntry(async () => {
      const body = await call('POST', '/v2/identities', { external_id: externalId, display_name: 'Ann', tags: ['a'], metadata: { team: 'x' } }, 201);
      identityId = (body.identity as Json)._id as string;
    });
    expect(created).toMatchObject({
      actor,
      action: 'identity.create',
      target: { kind: 'identity', id: identityId, label: externalId },
      identity_id: identityId,
      before: null,
      after: { external_id: externalId, display_name: 'Ann', email: null, tags: ['a'], metadata: { team: 'x' } },
    });

    // A duplicate (409), a missing identity (404) and a PATCH that changes nothing leave no entry.
    await expectNoEntry(() => call('POST', '/v2/identities', { external_id: externalId }, 409));
    await expectNoEntry(() => call('PATCH', `/v2/identities/${uid('nobody')}`, { display_name: 'x' }, 404));
    await expectNoEntry(() => call('PATCH', `/v2/identities/${identityId}`, {}, 200));

    const updated = await onlyNewEntry(() => call('PATCH', `/v2/identities/${identityId}`, { display_name: 'Anne', email: 'anne@example.com' }, 200));
    expect(updated).toMatchObject({
      actor,
      action: 'identity.update',
      identity_id: identityId,
      before: { display_name: 'Ann', email: null },
      after: { display_name: 'Anne', email: 'anne@example.com' },
    });

    const deleted = await onlyNewEntry(() => call('DELETE', `/v2/identities/${identityId}`, undefined, 200));
    expect(deleted).toMatchObject({ actor, action: 'identity.delete', identity_id: identityId, after: null });
    expect(deleted.before).toMatchObject({ external_id: externalId, display_name: 'Anne', email: 'anne@example.com' });
    // The history outlives the identity.
    expect((await auditLog({ identity_id: identityId })).data.map((e) => e.action)).toEqual(['identity.delete', 'identity.update', 'identity.create']);
  });

  it('budgets: create, update, reset (naming who reset) and delete; a second budget for the scope (409) leaves none', async () => {
    const actor = { kind: 'api_key', id: rootKeyId, label: ROOT_KEY_NAME };
    const externalId = uid('aud-budget');
    const identity = (await call('POST', '/v2/identities', { external_id: externalId }, 201)).identity as Json;
    const scope = { identity: { identity_external_id: externalId } };
    let response = '';
    const created = await onlyNewEntry(async () => {
      response = JSON.stringify(await call('POST', '/v2/budgets', { scope, limits: { period: 'BUDGET_PERIOD_MONTHLY', amount: 25.5 } }, 200));
    });
    const budgetId = created.target.id;
    expect(response).toContain(`"${budgetId}"`);
    expect(created).toMatchObject({
      actor,
      action: 'budget.create',
      target: { kind: 'budget', label: `identity "${externalId}"` },
      identity_id: identity._id,
      after: { scope: `identity "${externalId}"`, period: 'monthly', amount_usd: 25.5, token_limit: null, is_active: true, expires_at: null },
    });

    await expectNoEntry(() => call('POST', '/v2/budgets', { scope, limits: { period: 'BUDGET_PERIOD_DAILY', amount: 1 } }, 409));

    const updated = await onlyNewEntry(() => call('PATCH', `/v2/budgets/${budgetId}`, { limits: { amount: 40 } }, 200));
    expect(updated).toMatchObject({ actor, action: 'budget.update', identity_id: identity._id, before: { amount_usd: 25.5 }, after: { amount_usd: 40 } });

    const resetAt = '2030-01-15T10:00:00.000Z';
    pinnedBudgetId = budgetId;
    const reset = await onlyNewEntry(() => call('POST', `/v2/budgets/${budgetId}/reset-consumption`, {}, 200, resetAt));
    expect(reset).toMatchObject({
      actor,
      action: 'budget.reset',
      at: resetAt,
      target: { kind: 'budget', id: budgetId },
      identity_id: identity._id,
      before: { last_reset_at: null },
      after: { last_reset_at: resetAt },
    });

    const deleted = await onlyNewEntry(() => call('DELETE', `/v2/budgets/${budgetId}`, undefined, 200));
    expect(deleted).toMatchObject({ actor, action: 'budget.delete', before: { amount_usd: 40 }, after: null });
    expect((await entriesOf(budgetId)).map((e) => e.action)).toEqual(['budget.create', 'budget.update', 'budget.reset', 'budget.delete']);
  });

  it('providers: the key is never recorded, only its hint; a rotation shows as a new hint', async () => {
    const actor = { kind: 'api_key', id: rootKeyId, label: ROOT_KEY_NAME };
    const name = uid('audprov');
    const firstKey = `sk-audit-${uid('one')}-AAAA`;
    const secondKey = `sk-audit-${uid('two')}-BBBB`;
    let response = '';
    const created = await onlyNewEntry(async () => {
      response = JSON.stringify(await call('POST', '/v2/providers', { name, base_url: 'https://llm.example.test/v1', api_key: firstKey }, 201));
    });
    const providerId = created.target.id;
    expect(response).toContain(`"${providerId}"`);
    expect(created).toMatchObject({ actor, action: 'provider.create', target: { kind: 'provider', label: name } });
    expect(created.after).toEqual({ name, kind: 'openai', base_url: 'https://llm.example.test/v1', api_key_hint: expect.stringContaining('AAAA') });

    await expectNoEntry(() => call('POST', '/v2/providers', { name, base_url: 'https://llm.example.test/v1' }, 409));

    const rotated = await onlyNewEntry(() => call('PATCH', `/v2/providers/${providerId}`, { api_key: secondKey }, 200));
    expect(rotated).toMatchObject({ action: 'provider.update', before: { api_key: 'set' }, after: { api_key: 'replaced', api_key_hint: expect.stringContaining('BBBB') } });

    const deleted = await onlyNewEntry(() => call('DELETE', `/v2/providers/${providerId}`, undefined, 200));
    expect(deleted).toMatchObject({ action: 'provider.delete', before: { name }, after: null });
    for (const body of bodies) {
      expect(body).not.toContain(firstKey);
      expect(body).not.toContain(secondKey);
    }
  });

  it('prices, re-price runs and workspace settings', async () => {
    const actor = { kind: 'api_key', id: rootKeyId, label: ROOT_KEY_NAME };
    const model = uid('aud-model');
    let response = '';
    const created = await onlyNewEntry(async () => {
      response = JSON.stringify(await call('POST', '/v2/prices', { provider: 'openai', model, input_per_million: 2.5, output_per_million: 10 }, 201));
    });
    const priceId = created.target.id;
    expect(response).toContain(`"${priceId}"`);
    expect(created).toMatchObject({
      actor,
      action: 'price.create',
      target: { kind: 'price', label: `openai/${model}` },
      after: { model: `openai/${model}`, input_usd_per_million: 2.5, output_usd_per_million: 10, cache_read_usd_per_million: null },
    });
    await expectNoEntry(() => call('POST', '/v2/prices', { provider: 'openai', model, input_per_million: 1, output_per_million: 1 }, 409));
    const updated = await onlyNewEntry(() => call('PATCH', `/v2/prices/${priceId}`, { output_per_million: 12 }, 200));
    expect(updated).toMatchObject({ action: 'price.update', before: { output_usd_per_million: 10 }, after: { output_usd_per_million: 12 } });
    const deleted = await onlyNewEntry(() => call('DELETE', `/v2/prices/${priceId}`, undefined, 200));
    expect(deleted).toMatchObject({ action: 'price.delete', before: { model: `openai/${model}` }, after: null });

    const repriced = await onlyNewEntry(() => call('POST', '/v2/prices/reprice', { provider: 'openai', model }, 200));
    expect(repriced).toMatchObject({ actor, action: 'price.reprice', after: { provider: 'openai', model, repriced: 0 } });

    const current = ((await call('GET', '/v2/settings', undefined, 200)).settings as Json).allow_unpriced_calls as boolean;
    const settings = await onlyNewEntry(() => call('PATCH', '/v2/settings', { allow_unpriced_calls: !current }, 200));
    expect(settings).toMatchObject({
      actor,
      action: 'settings.update',
      target: { kind: 'settings' },
      before: { allow_unpriced_calls: current },
      after: { allow_unpriced_calls: !current },
    });
    await expectNoEntry(() => call('PATCH', '/v2/settings', { allow_unpriced_calls: !current }, 200));
    await call('PATCH', '/v2/settings', { allow_unpriced_calls: current }, 200);
  });

  it('deployments: create, update (with the version), delete; a taken key leaves none', async () => {
    const actor = { kind: 'api_key', id: rootKeyId, label: ROOT_KEY_NAME };
    const key = uid('aud-dep');
    let response = '';
    const created = await onlyNewEntry(async () => {
      response = JSON.stringify(await call('POST', '/v2/deployments', { key, model: 'openai/gpt-4o', messages: [{ role: 'system', content: 'Be brief' }] }, 201));
    });
    const deploymentId = created.target.id;
    expect(response).toContain(`"${deploymentId}"`);
    expect(created).toMatchObject({ actor, action: 'deployment.create', target: { kind: 'deployment', label: key } });
    expect(created.after).toMatchObject({ key, model: 'openai/gpt-4o', messages: [{ role: 'system', content: 'Be brief' }], version: 1 });
    await expectNoEntry(() => call('POST', '/v2/deployments', { key, model: 'openai/gpt-4o' }, 409));
    const updated = await onlyNewEntry(() => call('PATCH', `/v2/deployments/${deploymentId}`, { model: 'openai/gpt-4o-mini' }, 200));
    expect(updated).toMatchObject({ action: 'deployment.update', before: { model: 'openai/gpt-4o', version: 1 }, after: { model: 'openai/gpt-4o-mini', version: 2 } });
    const deleted = await onlyNewEntry(() => call('DELETE', `/v2/deployments/${deploymentId}`, undefined, 200));
    expect(deleted).toMatchObject({ action: 'deployment.delete', before: { key }, after: null });
  });

  it('identities created by traffic are not audited (their source says so)', async () => {
    await expectNoEntry(() =>
      call('POST', '/v2/usage', { events: [{ event_id: uid('ev'), external_id: uid('traffic'), provider: 'openai', model: 'gpt-4o', input_tokens: 1, output_tokens: 1 }] }, 200),
    );
  });

  it('GET /v2/audit-log filters by kind, action, actor and time, pages by cursor, and names bad fields', async () => {
    const budgets = await auditLog({ target_kind: 'budget' });
    expect(budgets.data.length).toBeGreaterThanOrEqual(4);
    expect(budgets.data.every((e) => e.target.kind === 'budget')).toBe(true);
    expect((await auditLog({ action: 'budget.reset' })).data.every((e) => e.action === 'budget.reset')).toBe(true);
    const byKey = await auditLog({ actor_kind: 'api_key', actor_id: rootKeyId, limit: '100' });
    expect(byKey.data.length).toBeGreaterThan(10);
    expect(byKey.data.every((e) => e.actor.id === rootKeyId)).toBe(true);
    // The reset was pinned to 2030: of that budget's entries only it is on or after that day.
    const pinned = { target_id: pinnedBudgetId };
    expect((await auditLog({ ...pinned, from: '2030-01-15' })).data.map((e) => e.action)).toEqual(['budget.reset']);
    expect((await auditLog({ ...pinned, from: '2030-01-15', to: '2030-01-14' })).data).toEqual([]);
    expect((await auditLog({ ...pinned, to: '2030-01-15' })).data.map((e) => e.action)).toEqual(['budget.delete', 'budget.reset', 'budget.update', 'budget.create']);
    expect((await auditLog({ from: '2030-01-15' })).data.every((e) => e.at >= '2030-01-15')).toBe(true);

    // Small pages stitched together equal the whole list read in the largest pages, newest first; ending_before
    // walks back. (The server is shared with other files: the log may hold any number of entries.)
    const walk = async (limit: number) => {
      const ids: string[] = [];
      let page = await auditLog({ limit: String(limit) });
      ids.push(...page.data.map((e) => e.id));
      while (page.has_more) {
        page = await auditLog({ limit: String(limit), starting_after: ids[ids.length - 1] });
        ids.push(...page.data.map((e) => e.id));
      }
      return ids;
    };
    const all = await walk(100);
    expect(all.length).toBeGreaterThan(10);
    expect(await walk(7)).toEqual(all);
    expect([...all].sort().reverse()).toEqual(all);
    const back = await auditLog({ limit: '2', ending_before: all[4] });
    expect(back.data.map((e) => e.id)).toEqual(all.slice(2, 4));
    expect(back.has_more).toBe(true);

    for (const [query, field] of [
      ['target_kind=robot', 'target_kind'],
      ['limit=0', 'limit'],
      ['from=yesterday', 'from'],
      ['action=DROP TABLE', 'action'],
      ['starting_after=nope', 'starting_after'],
    ] as const) {
      const res = await raw<{ error: { code: string; details: { field: string }[] } }>('GET', `/v2/audit-log?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error.details.map((d) => d.field), query).toContain(field);
    }
  });

  it('never records an API key secret or its hash', () => {
    for (const body of bodies) {
      expect(body).not.toContain(apiKey());
      expect(body).not.toContain(hashApiKey(apiKey()));
    }
  });
});

// API keys change only in the Studio (server actions call these services with the session's actor); checked on a
// database of this file's own, in process.
describe('audit log of API keys (Studio changes)', () => {
  const database = inProcessDatabase('audit-keys');
  let lib: typeof import('@/lib/api-keys/service') & typeof import('@/lib/db') & typeof import('@/lib/workspaces/service');
  const admin = userActor({ userId: 'user-1', email: 'admin@example.test' });

  beforeAll(async () => {
    await database.open();
    lib = { ...(await import('@/lib/api-keys/service')), ...(await import('@/lib/db')), ...(await import('@/lib/workspaces/service')) };
  });
  afterAll(async () => {
    await lib?.db.$disconnect();
    await database.close();
  });

  it('create, owner change and revoke each leave one entry naming the user; never the secret or its hash', async () => {
    const workspaceId = await lib.ensureDefaultWorkspace();
    const owner = await lib.db.identity.create({ data: { id: uid('owner'), workspaceId, externalId: 'key-owner', sortName: 'key-owner', source: 'studio' } });
    const { key, secret } = await lib.createApiKey(workspaceId, admin, 'Backend');
    expect(key.createdBy).toBe('user:admin@example.test');
    await lib.setApiKeyOwner(workspaceId, admin, key.id, 'key-owner');
    await lib.setApiKeyOwner(workspaceId, admin, key.id, 'key-owner');
    const now = new Date('2030-02-01T00:00:00Z');
    await lib.revokeApiKey(workspaceId, admin, key.id, now);
    await lib.revokeApiKey(workspaceId, admin, key.id, now);
    // A failed change (no such identity) leaves nothing.
    await expect(lib.setApiKeyOwner(workspaceId, admin, key.id, 'nobody')).rejects.toThrow();

    const entries = await lib.db.auditEntry.findMany({ where: { targetId: key.id }, orderBy: { id: 'asc' } });
    expect(entries.map((e) => [e.action, e.actorKind, e.actorId, e.actorLabel])).toEqual([
      ['api_key.create', 'user', 'user-1', 'admin@example.test'],
      ['api_key.owner_change', 'user', 'user-1', 'admin@example.test'],
      ['api_key.revoke', 'user', 'user-1', 'admin@example.test'],
    ]);
    expect(entries[0].after).toEqual({ name: 'Backend', prefix: key.prefix, scope: 'read_write', owner: null, revoked_at: null });
    expect([entries[1].before, entries[1].after]).toEqual([{ owner: null }, { owner: owner.externalId }]);
    expect([entries[2].before, entries[2].after]).toEqual([{ revoked_at: null }, { revoked_at: now.toISOString() }]);
    const stored = JSON.stringify(entries);
    expect(stored).not.toContain(secret);
    expect(stored).not.toContain(hashApiKey(secret));
  });
});
