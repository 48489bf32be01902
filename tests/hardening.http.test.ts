// Hostile input and secrets at rest: every bad request is a 4xx in the error shape naming the field, and
// nothing is written; oversized bodies stop early; data files are private; weak root keys are refused.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseUrl, apiKey, eventId, raw, uid, type ErrorBody, type Json } from './support/api';
import { queryDb } from './support/db';
import { startServer, type TestServer } from './support/server';

/** `{a: {a: … {a: 1}}}`, `levels` objects deep. */
function nested(levels: number): Json {
  let value: Json = { a: 1 };
  for (let i = 1; i < levels; i++) value = { a: value };
  return value;
}

const chat = (extra: Json = {}) => ({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], ...extra });

type Case = {
  name: string;
  method: string;
  /** A raw path (sent as is: malformed escapes included). */
  path: string;
  /** A string is sent as is (for lone surrogates, which JSON.stringify would escape safely). */
  body?: Json | string;
  status: number;
  code: string;
  /** The first detail's field, or a prefix of it ending in `…`. */
  field: string;
  /** The identity that must not exist afterwards (nothing written). */
  absent?: string;
};

const ghost = () => uid('ghost');

function cases(): Case[] {
  const ids = Array.from({ length: 14 }, () => ghost());
  return [
    // Depth: Prisma's JSON layer gives up past ~126 levels (a 500); metadata allows 8.
    { name: 'identity metadata 130 levels deep', method: 'POST', path: '/v2/identities', body: { external_id: ids[0], metadata: nested(130) }, status: 400, code: 'invalid_request', field: 'metadata.a.…', absent: ids[0] },
    { name: 'identity metadata 9 levels deep', method: 'POST', path: '/v2/identities', body: { external_id: ids[1], metadata: nested(9) }, status: 400, code: 'invalid_request', field: 'metadata.a.a.a.a.a.a.a.a', absent: ids[1] },
    { name: 'usage metadata 130 levels deep', method: 'POST', path: '/v2/usage', body: { events: [{ event_id: eventId(), external_id: ids[2], cost: 0.01, metadata: nested(130) }] }, status: 400, code: 'invalid_request', field: 'events.0.metadata.…', absent: ids[2] },
    { name: 'gateway identity metadata 130 levels deep', method: 'POST', path: '/v2/router/chat/completions', body: chat({ orq: { identity: { id: ids[3], metadata: [nested(130)] } } }), status: 400, code: 'invalid_request', field: 'orq.identity.metadata.…', absent: ids[3] },
    { name: 'gateway identity metadata 9 levels deep', method: 'POST', path: '/v2/router/chat/completions', body: chat({ orq: { identity: { id: ids[4], metadata: [nested(9)] } } }), status: 400, code: 'invalid_request', field: 'orq.identity.metadata.0.a.…', absent: ids[4] },
    { name: 'gateway body 130 levels deep', method: 'POST', path: '/v2/router/chat/completions', body: chat({ orq: { identity: { id: ids[5] } }, metadata: nested(130) }), status: 400, code: 'invalid_request', field: 'metadata.a.…', absent: ids[5] },
    { name: 'deployment call metadata 130 levels deep', method: 'POST', path: '/v2/deployments/invoke', body: { key: 'none', identity: { id: ids[6] }, metadata: nested(130) }, status: 400, code: 'invalid_request', field: 'metadata.a.…', absent: ids[6] },

    // Prototype keys: dropped silently before, now refused by name.
    { name: '__proto__ metadata key on an identity', method: 'POST', path: '/v2/identities', body: `{"external_id":"${ids[7]}","metadata":{"__proto__":{"admin":true},"plan":"pro"}}`, status: 400, code: 'invalid_request', field: 'metadata.__proto__', absent: ids[7] },
    { name: '__proto__ metadata key on a usage event', method: 'POST', path: '/v2/usage', body: `{"events":[{"event_id":"${eventId()}","external_id":"${ids[8]}","cost":0.01,"metadata":{"__proto__":{"x":1}}}]}`, status: 400, code: 'invalid_request', field: 'events.0.metadata.__proto__', absent: ids[8] },
    { name: 'gateway model constructor/…', method: 'POST', path: '/v2/router/chat/completions', body: chat({ model: 'constructor/gpt-4o', orq: { identity: { id: ids[9] } } }), status: 400, code: 'invalid_request', field: 'model' },
    { name: 'gateway model __proto__/…', method: 'POST', path: '/v2/router/chat/completions', body: chat({ model: '__proto__/gpt-4o', orq: { identity: { id: ids[9] } } }), status: 400, code: 'invalid_request', field: 'model' },
    { name: 'gateway model hasOwnProperty/…', method: 'POST', path: '/v2/router/chat/completions', body: chat({ model: 'hasOwnProperty/gpt-4o', orq: { identity: { id: ids[9] } } }), status: 400, code: 'invalid_request', field: 'model' },

    // Strings the databases cannot store.
    { name: 'external id with a lone surrogate', method: 'POST', path: '/v2/identities', body: `{"external_id":"${ids[10]}\\ud800"}`, status: 400, code: 'invalid_request', field: 'external_id' },
    { name: 'usage external id with a lone surrogate', method: 'POST', path: '/v2/usage', body: `{"events":[{"event_id":"${eventId()}","external_id":"${ids[11]}\\udfff","cost":0.01}]}`, status: 400, code: 'invalid_request', field: 'events.0.external_id' },
    { name: 'external id with a NUL', method: 'POST', path: '/v2/identities', body: { external_id: `${ids[12]}\u0000x` }, status: 400, code: 'invalid_request', field: 'external_id' },
    { name: 'metadata key with a lone surrogate', method: 'POST', path: '/v2/identities', body: `{"external_id":"${ids[13]}","metadata":{"k\\ud800":1}}`, status: 400, code: 'invalid_request', field: 'metadata', absent: ids[13] },

    // Paths and queries.
    { name: 'truncated %-escape in an identity path', method: 'GET', path: '/v2/identities/%E0%A4%A', status: 400, code: 'invalid_request', field: '(path)' },
    { name: 'encoded surrogate in an identity path', method: 'GET', path: '/v2/identities/%ED%A0%80', status: 400, code: 'invalid_request', field: '(path)' },
    { name: 'truncated %-escape in a budget path', method: 'PATCH', path: '/v2/budgets/%E0%A4%A', body: { is_active: false }, status: 400, code: 'invalid_request', field: '(path)' },
    { name: 'NUL in an identity path', method: 'GET', path: '/v2/identities/a%00b', status: 400, code: 'invalid_request', field: 'identityId' },
    { name: 'NUL in a search query', method: 'GET', path: '/v2/identities?search=a%00b', status: 400, code: 'invalid_request', field: 'search' },

  ];
}

/** Sends `c` and checks the answer; `(path)` cases need the raw path, which fetch would keep as is too. */
async function send(c: Case) {
  return raw<ErrorBody>(c.method, c.path, { body: c.body });
}

function expectError(res: { status: number; contentType: string; body: ErrorBody }, c: Pick<Case, 'status' | 'code' | 'field'>) {
  expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status: c.status, code: c.code });
  expect(res.contentType).toMatch(/^application\/json/);
  expect(res.body.error.message.length).toBeGreaterThan(0);
  const field = res.body.error.details[0]?.field;
  if (c.field.endsWith('…')) expect(field?.startsWith(c.field.slice(0, -1))).toBe(true);
  else expect(field).toBe(c.field);
}

describe('hostile input', () => {
  it.each(cases())('$name → $status $code naming $field', async (c) => {
    const res = await send(c);
    expectError(res, c);
    if (c.absent) expect((await raw('GET', `/v2/identities/${encodeURIComponent(c.absent)}`)).status).toBe(404);
  });

  it('keeps an identity with 8 levels of metadata and a key named constructor', async () => {
    const externalId = uid('deep8');
    const metadata = { ...nested(8), constructor: 'x' };
    const res = await raw<{ identity: { metadata: Json } }>('POST', '/v2/identities', { body: { external_id: externalId, metadata } });
    expect(res.status).toBe(201);
    expect(res.body.identity.metadata).toEqual(metadata);
  });

  it('refuses budgets below one micro-dollar (stored as $0 they refuse every call) and keeps one of exactly $0.000001', async () => {
    const externalId = uid('micro');
    const created = await raw<{ identity: { _id: string } }>('POST', '/v2/identities', { body: { external_id: externalId } });
    expect(created.status).toBe(201);
    const budget = (amount: number) => ({ scope: { identity: { identity_external_id: externalId } }, limits: { period: 'BUDGET_PERIOD_DAILY', amount } });
    for (const amount of [1e-9, 0.0000005]) {
      expectError(await raw<ErrorBody>('POST', '/v2/budgets', { body: budget(amount) }), { status: 400, code: 'invalid_request', field: 'limits.amount' });
    }
    const listed = await raw<{ data: unknown[] }>('GET', `/v2/budgets?scope_target_id=${created.body.identity._id}`);
    expect(listed.body.data).toEqual([]);
    const res = await raw<{ budget: { limits: { amount: number } } }>('POST', '/v2/budgets', { body: budget(0.000001) });
    expect(res.status).toBe(200);
    expect(res.body.budget.limits.amount).toBe(0.000001);
  });
});

describe('metadata limits', () => {
  const manyKeys = (n: number, value: unknown = 1) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, value]));
  const limitCases: { name: string; metadata: Json; field: string }[] = [
    { name: '51 keys', metadata: manyKeys(51), field: 'metadata' },
    { name: 'a 65-character key', metadata: { ['k'.repeat(65)]: 1 }, field: `metadata.${'k'.repeat(65)}` },
    { name: 'a 1,001-character string', metadata: { note: 'x'.repeat(1001) }, field: 'metadata.note' },
    { name: 'a long string in a list', metadata: { notes: ['ok', 'x'.repeat(1001)] }, field: 'metadata.notes.1' },
    { name: '18 KB in total', metadata: manyKeys(18, 'x'.repeat(1000)), field: 'metadata' },
  ];

  it.each(limitCases)('refuses metadata with $name on create and update, writing nothing', async ({ metadata, field }) => {
    const externalId = uid('lim');
    expectError(await raw<ErrorBody>('POST', '/v2/identities', { body: { external_id: externalId, metadata } }), { status: 400, code: 'invalid_request', field });
    expect((await raw('GET', `/v2/identities/${externalId}`)).status).toBe(404);
    expect((await raw('POST', '/v2/identities', { body: { external_id: externalId, metadata: { plan: 'pro' } } })).status).toBe(201);
    expectError(await raw<ErrorBody>('PATCH', `/v2/identities/${externalId}`, { body: { metadata } }), { status: 400, code: 'invalid_request', field });
    const kept = await raw<{ identity: { metadata: Json } }>('GET', `/v2/identities/${externalId}`);
    expect(kept.body.identity.metadata).toEqual({ plan: 'pro' });
  });

  it('refuses a usage event whose metadata is over the limits', async () => {
    const externalId = uid('ulim');
    const res = await raw<ErrorBody>('POST', '/v2/usage', { body: { events: [{ event_id: eventId(), external_id: externalId, cost: 0.01, metadata: manyKeys(51) }] } });
    expectError(res, { status: 400, code: 'invalid_request', field: 'events.0.metadata' });
    expect((await raw('GET', `/v2/identities/${externalId}`)).status).toBe(404);
  });

  it('refuses gateway identity metadata whose merged entries pass 50 keys', async () => {
    const externalId = uid('glim');
    const res = await raw<ErrorBody>('POST', '/v2/router/chat/completions', {
      body: chat({ orq: { identity: { id: externalId, metadata: [manyKeys(30), Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`j${i}`, 1]))] } } }),
    });
    expectError(res, { status: 400, code: 'invalid_request', field: 'orq.identity.metadata' });
    expect((await raw('GET', `/v2/identities/${externalId}`)).status).toBe(404);
  });

  it('accepts metadata at the limits: 50 keys, 64-character keys, 1,000-character strings', async () => {
    const metadata = { ...manyKeys(49), ['k'.repeat(64)]: 'x'.repeat(1000) };
    const res = await raw<{ identity: { metadata: Json } }>('POST', '/v2/identities', { body: { external_id: uid('atlim'), metadata } });
    expect(res.status).toBe(201);
    expect(res.body.identity.metadata).toEqual(metadata);
  });

  it('documents the limits in the OpenAPI document', async () => {
    const doc = await raw('GET', '/v2/openapi.json');
    const text = doc.text;
    expect(text).toContain('"maxProperties":50');
    expect(text).toMatch(/at most 50 keys of at most 64 characters, strings of at most 1000 characters, 8 levels of nesting and 16 KB/);
  });
});

/** Sends `total` bytes in chunks (no Content-Length) until the server answers; returns its answer and the bytes sent. */
function streamUpload(urlPath: string, total: number, declaredLength?: number): Promise<{ status: number; body: string; sent: number }> {
  return new Promise((resolve, reject) => {
    const url = new URL(urlPath, baseUrl());
    const headers: Record<string, string> = { authorization: `Bearer ${apiKey()}`, 'content-type': 'application/json' };
    if (declaredLength !== undefined) headers['content-length'] = String(declaredLength);
    const req = http.request(url, { method: 'POST', headers });
    let sent = 0;
    let answered = false;
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    req.on('response', (res) => {
      answered = true;
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body, sent });
        req.destroy();
      });
    });
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    req.write('{"external_id":"big","metadata":{"blob":"');
    const pump = () => {
      while (!answered && sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!answered && declaredLength === undefined) req.end('"}}');
    };
    pump();
  });
}

describe('body limits', () => {
  it('counts bytes, not characters: 6 MB of two-byte characters is 413', async () => {
    const res = await raw<ErrorBody>('POST', '/v2/identities', { body: { external_id: uid('utf8'), metadata: { blob: 'é'.repeat(3 * 1024 * 1024) } } });
    expectError(res, { status: 413, code: 'payload_too_large', field: '(body)' });
  });

  it('answers a Content-Length over 5 MB with 413 before reading the body', async () => {
    // The body is never sent in full: a server that waited for it would not answer.
    const res = await streamUpload('/v2/identities', 64 * 1024, 200 * 1024 * 1024);
    expect(res.status).toBe(413);
    expect((JSON.parse(res.body) as ErrorBody).error.details[0].field).toBe('(body)');
  });

  it.each(['/v2/identities', '/v2/router/chat/completions'])('stops reading a streamed body at 5 MB on %s', async (urlPath) => {
    const res = await streamUpload(urlPath, 300 * 1024 * 1024);
    expect(res.status).toBe(413);
    expect((JSON.parse(res.body) as ErrorBody).error.code).toBe('payload_too_large');
    // Socket buffers hold some megabytes; a server reading on would take all 300.
    expect(res.sent).toBeLessThan(64 * 1024 * 1024);
  });
});

// Each test starts servers of its own (a migration and a start each).
const SERVER_TEST_TIMEOUT_MS = 120_000;

describe('secrets and files at rest', () => {
  let dir: string;
  let server: TestServer | undefined;
  const modeOf = (file: string) => fs.statSync(file).mode & 0o777;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tollbooth-hardening-'));
  });
  afterAll(async () => {
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses to start with a weak TOLLBOOTH_API_KEY, saying how to make one', async () => {
    const databaseUrl = `file:${path.join(dir, 'weak', 'tollbooth.db')}`;
    await expect(startServer({ databaseUrl, apiKey: 'tb_my_root_key' })).rejects.toThrow(/TOLLBOOTH_API_KEY is too weak[\s\S]*randomBytes\(32\)/);
    await expect(startServer({ databaseUrl, apiKey: 'tb_my_root_key_tb_my_root_key_tb_my_root_key' })).rejects.toThrow(/TOLLBOOTH_API_KEY is too weak/);
  }, SERVER_TEST_TIMEOUT_MS);

  it('keeps a fresh data folder 0700 and its files 0600, and shows 7 characters of a key', async () => {
    const data = path.join(dir, 'fresh', 'data');
    const dbFile = path.join(data, 'tollbooth.db');
    server = await startServer({ databaseUrl: `file:${dbFile}` });
    // A provider's key is encrypted with a key generated into the data folder.
    const provider = await fetch(`${server.baseUrl}/v2/providers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'modes', kind: 'openai', base_url: 'https://example.test/v1', api_key: 'sk-test-0123456789' }),
    });
    expect(provider.status).toBe(201);
    expect(modeOf(data)).toBe(0o700);
    for (const file of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`, path.join(data, 'encryption-key')]) expect([file, modeOf(file)]).toEqual([file, 0o600]);
    const keys = await queryDb<{ prefix: string }>(server.databaseUrl, 'SELECT "prefix" FROM "ApiKey"');
    expect(keys.map((k) => k.prefix)).toEqual([server.apiKey.slice(0, 7)]);
  }, SERVER_TEST_TIMEOUT_MS);

  it('makes existing data files private at start', async () => {
    const data = path.join(dir, 'fresh', 'data');
    const dbFile = path.join(data, 'tollbooth.db');
    const { databaseUrl, apiKey: key } = server as TestServer;
    await (server as TestServer).stop();
    server = undefined;
    fs.writeFileSync(path.join(data, 'session-secret'), 'x'.repeat(48), { mode: 0o644 });
    for (const file of [dbFile, path.join(data, 'session-secret'), path.join(data, 'encryption-key')]) fs.chmodSync(file, 0o644);
    server = await startServer({ databaseUrl, apiKey: key });
    for (const file of [dbFile, path.join(data, 'session-secret'), path.join(data, 'encryption-key')]) expect([file, modeOf(file)]).toEqual([file, 0o600]);
  }, SERVER_TEST_TIMEOUT_MS);
});
