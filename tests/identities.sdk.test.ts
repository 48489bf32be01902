// Identities through the official @orq-ai/node SDK against the real server (contract §3).
import { describe, expect, it } from 'vitest';
import type { Identity } from '@orq-ai/node/models/components/identity.js';
import { eventId, ingest, ISO_UTC, raw, sdk, uid, type Json } from './support/api';

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

describe('identities via the SDK', () => {
  it('creates an identity with every field and answers 201 with {identity}', async () => {
    const orq = sdk();
    const externalId = uid('user');
    const res = await orq.identities.create({
      externalId,
      displayName: 'Jane Smith',
      email: 'jane@example.com',
      avatarUrl: 'https://example.com/a.png',
      tags: ['premium', 'beta', 'premium'],
      metadata: { role: 'admin', n: 1, nested: { ok: true } },
    });
    expect(res.headers['content-type']?.[0]).toMatch(/^application\/json/);
    const identity = res.result.identity;
    expect(identity.id).toMatch(ULID);
    expect(identity.externalId).toBe(externalId);
    expect(identity.workspaceId).toEqual(expect.any(String));
    expect(identity.workspaceId.length).toBeGreaterThan(0);
    expect(identity.displayName).toBe('Jane Smith');
    expect(identity.email).toBe('jane@example.com');
    expect(identity.avatarUrl).toBe('https://example.com/a.png');
    expect(identity.tags).toEqual(['premium', 'beta']);
    expect(identity.metadata).toEqual({ role: 'admin', n: 1, nested: { ok: true } });
    expect(identity.created).toMatch(ISO_UTC);
    expect(identity.updated).toMatch(ISO_UTC);
    expect(identity.metrics).toBeUndefined();
    expect(identity.budget).toBeUndefined();
    expect(Math.abs(Date.parse(identity.created) - Date.now())).toBeLessThan(60_000);
  });

  it('creates a minimal identity: optional fields omitted (never null), tags/metadata present, source "api"', async () => {
    const externalId = uid('min');
    const res = await raw<{ identity: Json }>('POST', '/v2/identities', { body: { external_id: externalId } });
    expect(res.status).toBe(201);
    expect(res.contentType).toMatch(/^application\/json/);
    const identity = res.body.identity;
    expect(identity).toMatchObject({ external_id: externalId, tags: [], metadata: {}, source: 'api' });
    for (const key of ['display_name', 'email', 'avatar_url', 'metrics', 'budget']) expect(identity).not.toHaveProperty(key);
    expect(Object.values(identity)).not.toContain(null);
    expect(identity._id).toMatch(ULID);
    expect(identity.created).toMatch(ISO_UTC);
    expect(identity.updated).toBe(identity.created);
  });

  it('retrieves by _id and by external_id', async () => {
    const orq = sdk();
    const externalId = uid('ret');
    const created = (await orq.identities.create({ externalId, displayName: 'Retrieve Me', tags: ['x'] })).result.identity;

    const byId = await orq.identities.retrieve({ id: created.id });
    expect(byId.identity).toEqual(created);

    const byExternal = await orq.identities.retrieve({ id: externalId });
    expect(byExternal.identity).toEqual(created);
  });

  it("reads an _id as that identity's even when another identity's external id is the same string", async () => {
    const orq = sdk();
    const first = (await orq.identities.create({ externalId: uid('first'), metadata: { which: 'first' } })).result.identity;
    // The second's external id spells the first's _id.
    const second = (await orq.identities.create({ externalId: first.id, metadata: { which: 'second' } })).result.identity;
    expect((await orq.identities.retrieve({ id: first.id })).identity).toEqual(first);
    expect((await orq.identities.retrieve({ id: second.id })).identity).toEqual(second);
    expect((await orq.identities.update({ id: first.id, updateIdentityRequest: { displayName: 'First' } })).identity).toMatchObject({ id: first.id, displayName: 'First' });
    expect((await orq.identities.retrieve({ id: second.id })).identity.displayName).toBeUndefined();
  });

  it('handles an external id with "/", a space and "?" in retrieve, update and delete', async () => {
    const orq = sdk();
    const externalId = `team/alpha beta?x=${uid('q')}`;
    const created = (await orq.identities.create({ externalId, displayName: 'Odd Id' })).result.identity;
    expect(created.externalId).toBe(externalId);

    const got = await orq.identities.retrieve({ id: externalId });
    expect(got.identity.id).toBe(created.id);
    expect(got.identity.externalId).toBe(externalId);

    // Raw %2F in one path segment resolves too.
    const rawGet = await raw<{ identity: Json }>('GET', `/v2/identities/${encodeURIComponent(externalId)}`);
    expect(rawGet.status).toBe(200);
    expect(rawGet.body.identity._id).toBe(created.id);

    const updated = await orq.identities.update({ id: externalId, updateIdentityRequest: { displayName: 'Odd Id 2' } });
    expect(updated.identity.displayName).toBe('Odd Id 2');
    expect(updated.identity.id).toBe(created.id);

    expect(await orq.identities.delete({ id: externalId })).toEqual({});
    await expect(orq.identities.retrieve({ id: created.id })).rejects.toMatchObject({ name: 'APIError', statusCode: 404 });
  });

  it('updates only the fields sent, bumps `updated`, keeps `created` and external_id', async () => {
    const orq = sdk();
    const externalId = uid('upd');
    const created = (
      await orq.identities.create({ externalId, displayName: 'Before', email: 'before@example.com', tags: ['a'], metadata: { k: 'v' } })
    ).result.identity;

    const res = await orq.identities.update({
      id: created.id,
      updateIdentityRequest: { displayName: 'After', tags: ['b', 'c', 'b'], metadata: { k2: 2 } },
    });
    const identity = res.identity;
    expect(identity.id).toBe(created.id);
    expect(identity.externalId).toBe(externalId);
    expect(identity.displayName).toBe('After');
    expect(identity.email).toBe('before@example.com');
    expect(identity.tags).toEqual(['b', 'c']);
    expect(identity.metadata).toEqual({ k2: 2 });
    expect(identity.created).toBe(created.created);
    expect(Date.parse(identity.updated)).toBeGreaterThanOrEqual(Date.parse(created.updated));

    // An empty update is valid and changes nothing.
    const same = await orq.identities.update({ id: externalId, updateIdentityRequest: {} });
    expect(same.identity).toEqual(identity);

    // Retrieval reflects the update.
    expect((await orq.identities.retrieve({ id: created.id })).identity).toEqual(identity);
  });

  it('clears a field with null on the raw API, and the field is then omitted', async () => {
    const externalId = uid('nul');
    const created = await raw<{ identity: Json }>('POST', '/v2/identities', {
      body: { external_id: externalId, display_name: 'Has Email', email: 'x@example.com', tags: ['t'] },
    });
    expect(created.status).toBe(201);
    const res = await raw<{ identity: Json }>('PATCH', `/v2/identities/${created.body.identity._id}`, {
      body: { email: null, tags: null },
    });
    expect(res.status).toBe(200);
    expect(res.body.identity).not.toHaveProperty('email');
    expect(res.body.identity.tags).toEqual([]);
    expect(res.body.identity.display_name).toBe('Has Email');
    // The SDK parses the cleared record.
    const got = await sdk().identities.retrieve({ id: externalId });
    expect(got.identity.email).toBeUndefined();
    expect(got.identity.tags).toEqual([]);
  });

  it('deletes an identity: 200 {}, then 404 on retrieve and on a second delete', async () => {
    const orq = sdk();
    const created = (await orq.identities.create({ externalId: uid('del') })).result.identity;
    const rawDelete = await raw('DELETE', `/v2/identities/${created.id}`);
    expect(rawDelete.status).toBe(200);
    expect(rawDelete.body).toEqual({});
    await expect(orq.identities.retrieve({ id: created.id })).rejects.toMatchObject({ statusCode: 404 });
    await expect(orq.identities.delete({ id: created.id })).rejects.toMatchObject({ statusCode: 404 });
    await expect(orq.identities.update({ id: created.id, updateIdentityRequest: { displayName: 'x' } })).rejects.toMatchObject({
      statusCode: 404,
    });
  });

  it('can re-create an identity with the external id of a deleted one', async () => {
    const orq = sdk();
    const externalId = uid('again');
    const first = (await orq.identities.create({ externalId })).result.identity;
    await orq.identities.delete({ id: externalId });
    const second = (await orq.identities.create({ externalId })).result.identity;
    expect(second.id).not.toBe(first.id);
    expect(second.externalId).toBe(externalId);
  });

  it('rejects a duplicate external id with an SDK APIError 409', async () => {
    const orq = sdk();
    const externalId = uid('dup');
    await orq.identities.create({ externalId });
    await expect(orq.identities.create({ externalId })).rejects.toMatchObject({ name: 'APIError', statusCode: 409 });
  });

  it('lists with the {object, data, has_more} envelope and the SDK parses it', async () => {
    const orq = sdk();
    const tag = uid('env');
    // Every field the list reads (its own statement) comes back as the create returned it.
    const a = (
      await orq.identities.create({ externalId: uid('env'), displayName: 'Ada É', email: 'ada@example.com', tags: [tag, 'second'], metadata: { plan: 'pro', n: 2, nested: { ok: true, list: [1, 'two'] } } })
    ).result.identity;
    const list = await orq.identities.list({ filterByTags: [tag] });
    expect(list.object).toBe('list');
    expect(list.hasMore).toBe(false);
    expect(list.data).toEqual([a]);

    const rawList = await raw<Json>('GET', `/v2/identities?filter_by.tags=${encodeURIComponent(tag)}`);
    expect(rawList.status).toBe(200);
    expect(rawList.body).toMatchObject({ object: 'list', has_more: false });
    expect(rawList.body).not.toHaveProperty('hasMore');
  });

  it('uses the default page size of 10', async () => {
    const orq = sdk();
    const tag = uid('ten');
    for (let i = 0; i < 11; i++) await orq.identities.create({ externalId: uid('ten'), tags: [tag] });
    const page = await orq.identities.list({ filterByTags: [tag] });
    expect(page.data).toHaveLength(10);
    expect(page.hasMore).toBe(true);
    const rest = await orq.identities.list({ filterByTags: [tag], startingAfter: page.data[9].id });
    expect(rest.data).toHaveLength(1);
    expect(rest.hasMore).toBe(false);
  });
});

describe('identity list: pagination, sorting, search and tags', () => {
  type Sort = 'IDENTITY_SORT_FIELD_UNSPECIFIED' | 'IDENTITY_SORT_FIELD_DISPLAY_NAME' | 'IDENTITY_SORT_FIELD_UPDATED';

  /** Walks forward with limit 2, then backward from the last page, checking has_more on every page. */
  async function checkPagination(tag: string, sortBy: Sort | undefined, expected: string[]) {
    const orq = sdk();
    const all = await orq.identities.list({ filterByTags: [tag], sortBy, limit: 50 });
    expect(all.data.map((i) => i.externalId)).toEqual(expected);
    expect(all.hasMore).toBe(false);

    const exact = await orq.identities.list({ filterByTags: [tag], sortBy, limit: expected.length });
    expect(exact.hasMore).toBe(false);
    const oneShort = await orq.identities.list({ filterByTags: [tag], sortBy, limit: expected.length - 1 });
    expect(oneShort.hasMore).toBe(true);

    const pages: Identity[][] = [];
    let cursor: string | undefined;
    for (let guard = 0; guard < 10; guard++) {
      const page = await orq.identities.list({ filterByTags: [tag], sortBy, limit: 2, startingAfter: cursor });
      pages.push(page.data);
      const isLast = pages.flat().length >= expected.length;
      expect(page.hasMore).toBe(!isLast);
      if (!page.hasMore) break;
      cursor = page.data[page.data.length - 1].id;
    }
    expect(pages.map((p) => p.map((i) => i.externalId))).toEqual(chunk(expected, 2));

    // Backward from the first item of the last page.
    const back: string[][] = [];
    let before = pages[pages.length - 1][0].id;
    for (let guard = 0; guard < 10; guard++) {
      const page = await orq.identities.list({ filterByTags: [tag], sortBy, limit: 2, endingBefore: before });
      back.unshift(page.data.map((i) => i.externalId));
      const seen = back.flat().length + pages[pages.length - 1].length;
      expect(page.hasMore).toBe(seen < expected.length);
      if (!page.hasMore) break;
      before = page.data[0].id;
    }
    expect([...back.flat(), ...pages[pages.length - 1].map((i) => i.externalId)]).toEqual(expected);
  }

  const chunk = <T>(list: T[], size: number): T[][] =>
    Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, i * size + size));

  it('pages newest first by default (IDENTITY_SORT_FIELD_UNSPECIFIED), forward and backward', async () => {
    const orq = sdk();
    const tag = uid('pg');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await orq.identities.create({ externalId: `${tag}-${i}`, tags: [tag] })).result.identity.externalId);
    const newestFirst = [...ids].reverse();
    // Cursors at either end give an empty page.
    const first = await orq.identities.list({ filterByTags: [tag], limit: 2 });
    const beforeFirst = await orq.identities.list({ filterByTags: [tag], limit: 2, endingBefore: first.data[0].id });
    expect(beforeFirst).toMatchObject({ data: [], hasMore: false });
    const lastId = (await orq.identities.list({ filterByTags: [tag], limit: 50 })).data[4].id;
    expect(await orq.identities.list({ filterByTags: [tag], limit: 2, startingAfter: lastId })).toMatchObject({ data: [], hasMore: false });
    await checkPagination(tag, undefined, newestFirst);
    await checkPagination(tag, 'IDENTITY_SORT_FIELD_UNSPECIFIED', newestFirst);
  });

  it('sorts by display name case-insensitively, falling back to the external id', async () => {
    const orq = sdk();
    const tag = uid('nm');
    const make = async (externalId: string, displayName?: string) =>
      (await orq.identities.create({ externalId, displayName, tags: [tag] })).result.identity.externalId;
    const echo = await make(`${tag}-1`, 'Echo');
    const alpha = await make(`${tag}-2`, 'alpha');
    const delta = await make(`delta-${tag}`); // no display name: sorts by "delta-…"
    const bravo = await make(`${tag}-3`, 'Bravo');
    const charlie = await make(`${tag}-4`, 'CHARLIE');
    await checkPagination(tag, 'IDENTITY_SORT_FIELD_DISPLAY_NAME', [alpha, bravo, charlie, delta, echo]);
  });

  it('sorts by most recently updated', async () => {
    const orq = sdk();
    const tag = uid('up');
    const created: string[] = [];
    for (let i = 0; i < 5; i++) created.push((await orq.identities.create({ externalId: `${tag}-${i}`, tags: [tag] })).result.identity.id);
    // Touch them in a scrambled order; the last touched comes first.
    const touched: Identity[] = [];
    for (const index of [2, 0, 4, 1, 3]) {
      touched.push((await orq.identities.update({ id: created[index], updateIdentityRequest: { displayName: `Touched ${index}` } })).identity);
    }
    const expected = [...touched]
      .sort((a, b) => Date.parse(b.updated) - Date.parse(a.updated) || (a.id < b.id ? 1 : -1))
      .map((i) => i.externalId);
    // Updates were sequential HTTP round trips, so normally the order is simply reversed.
    expect(new Set(touched.map((t) => t.updated)).size).toBeGreaterThan(1);
    await checkPagination(tag, 'IDENTITY_SORT_FIELD_UPDATED', expected);
  });

  it('searches display name, email and external id case-insensitively', async () => {
    const orq = sdk();
    const token = uid('srch').replace('-', '');
    const tag = uid('srchtag');
    const byName = (await orq.identities.create({ externalId: uid('s1'), displayName: `Jane ${token} Doe`, tags: [tag] })).result.identity;
    const byEmail = (await orq.identities.create({ externalId: uid('s2'), email: `${token}@example.com`, tags: [tag] })).result.identity;
    const byExternal = (await orq.identities.create({ externalId: `ext-${token}-x`, tags: [tag] })).result.identity;
    await orq.identities.create({ externalId: uid('s4'), displayName: 'Someone Else', email: 'else@example.com', tags: [tag] });

    const upper = await orq.identities.list({ search: token.toUpperCase(), limit: 50 });
    expect(upper.data.map((i) => i.id).sort()).toEqual([byName.id, byEmail.id, byExternal.id].sort());

    const withSpace = await orq.identities.list({ search: `jane ${token}`, limit: 50 });
    expect(withSpace.data.map((i) => i.id)).toEqual([byName.id]);

    const none = await orq.identities.list({ search: `${token}-nothing-matches`, limit: 50 });
    expect(none.data).toEqual([]);
    expect(none.hasMore).toBe(false);
  });

  it('filters by tags: identities having at least one of them, each listed once', async () => {
    const orq = sdk();
    const t1 = uid('t1');
    const t2 = uid('t2 with space');
    const x = (await orq.identities.create({ externalId: uid('x'), tags: [t1] })).result.identity;
    const y = (await orq.identities.create({ externalId: uid('y'), tags: [t2] })).result.identity;
    const z = (await orq.identities.create({ externalId: uid('z'), tags: [t1, t2] })).result.identity;
    await orq.identities.create({ externalId: uid('w'), tags: [uid('other')] });

    const one = await orq.identities.list({ filterByTags: [t1], limit: 50 });
    expect(one.data.map((i) => i.id)).toEqual([z.id, x.id]);

    const both = await orq.identities.list({ filterByTags: [t1, t2], limit: 50 });
    expect(both.data.map((i) => i.id)).toEqual([z.id, y.id, x.id]);

    const withSearch = await orq.identities.list({ filterByTags: [t1, t2], search: y.externalId, limit: 50 });
    expect(withSearch.data.map((i) => i.id)).toEqual([y.id]);

    // Changing tags moves an identity in and out of the filter.
    await orq.identities.update({ id: x.id, updateIdentityRequest: { tags: [t2] } });
    const after = await orq.identities.list({ filterByTags: [t1], limit: 50 });
    expect(after.data.map((i) => i.id)).toEqual([z.id]);
  });

  it('searches for LIKE wildcards literally however many identities match: every page, as a plain filter finds', async () => {
    const token = uid('wild').replace('-', '');
    // 1,050 identities (ingested, two batches) with "_" in the external id and "%" in the display name.
    for (const batch of [0, 1]) {
      await ingest(Array.from({ length: 525 }, (_, k) => ({
        event_id: eventId(), external_id: `${token}_${batch}_${k}`, display_name: `${token} ${k}% off`, model: 'm', input_tokens: 1, output_tokens: 0,
      })));
    }
    type Row = { _id: string; external_id: string; display_name?: string; email?: string };
    /** Every page of GET /v2/identities (50 a page), with the search given. */
    const walk = async (search?: string): Promise<Row[]> => {
      const rows: Row[] = [];
      for (let after = ''; ; ) {
        const query = `limit=50${search === undefined ? '' : `&search=${encodeURIComponent(search)}`}${after && `&starting_after=${after}`}`;
        const res = await raw<{ data: Row[]; has_more: boolean }>('GET', `/v2/identities?${query}`);
        expect(res.status, res.text).toBe(200);
        rows.push(...res.body.data);
        if (!res.body.has_more) return rows;
        after = res.body.data[res.body.data.length - 1]._id;
      }
    };
    const all = await walk();
    const ids = (rows: Row[]) => rows.map((r) => r._id).sort();
    for (const search of ['_', '%', `${token}_`]) {
      const plain = all.filter((r) => [r.display_name, r.email, r.external_id].some((v) => v?.toLowerCase().includes(search.toLowerCase())));
      expect(plain.length).toBeGreaterThanOrEqual(1_050);
      expect(ids(await walk(search)), search).toEqual(ids(plain));
    }
  });
});
