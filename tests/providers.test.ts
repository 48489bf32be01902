// Providers kept in the database (/v2/providers) over real HTTP: CRUD, validation, the API key encrypted at
// rest and never returned, the router calling them (key rotation, deletion), "test connection", and the
// providers the environment configures listed read-only — against fake providers started here.
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decryptSecret, generateEncryptionKey, parseEncryptionKey } from '@/lib/providers/crypto';
import { providerResponseSchema } from '@/lib/providers/schema';
import { startServer, type TestServer } from './support/server';
import { FAKE_MODELS, startFakeOpenAi, type FakeOpenAi } from './support/fake-openai';
import { queryDb } from './support/db';

type Json = Record<string, unknown>;
type ErrorBody = { error: { code: string; message: string; details: { field: string; issue: string }[] } };
type Provider = ReturnType<typeof providerResponseSchema.parse>;

const secret = (label: string) => `sk-${label}-${randomBytes(12).toString('hex')}`;
const KEY_ONE = secret('one');
const KEY_TWO = secret('two');
const KEY_WRONG = secret('wrong');
const KEY_ENV = secret('env');
const ALL_KEYS = [KEY_ONE, KEY_TWO, KEY_WRONG, KEY_ENV];
const onPostgres = Boolean(process.env.TOLLBOOTH_TEST_POSTGRES_URL);
// PostgreSQL has no data folder of its own: give the key by variable there; on SQLite, let the server generate its file.
const ENV_ENCRYPTION_KEY = onPostgres ? generateEncryptionKey() : undefined;

let fake: FakeOpenAi;
let envFake: FakeOpenAi;
let server: TestServer;
/** Every response body of this file, to check that no key was ever sent back. */
const responses: string[] = [];

const uid = (prefix: string) => `${prefix}-${randomBytes(5).toString('hex')}`;

async function api<T = Json>(method: string, urlPath: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${server.baseUrl}${urlPath}`, {
    method,
    headers: { authorization: `Bearer ${server.apiKey}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  responses.push(text);
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as T };
}

/** POST /v2/providers, insisting on 201 and on the documented response shape. */
async function createProvider(body: Json): Promise<Provider> {
  const res = await api<{ provider: unknown }>('POST', '/v2/providers', body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return providerResponseSchema.parse(res.body.provider);
}

const chat = (model: string) =>
  api('POST', '/v2/router/chat/completions', { model, messages: [{ role: 'user', content: 'hi' }], orq: { identity: { id: uid('prov-user') } } });

/** The row as stored, and the key it is encrypted with (the server's variable, or the file it generated). */
async function storedRow(providerId: string) {
  const [row] = await queryDb<{ apiKeyEncrypted: string | null; apiKeyHint: string | null }>(
    server.databaseUrl,
    'SELECT "apiKeyEncrypted", "apiKeyHint" FROM "Provider" WHERE "id" = $1',
    [providerId],
  );
  return row;
}

function serverEncryptionKey(): Uint8Array {
  const text = ENV_ENCRYPTION_KEY ?? fs.readFileSync(path.join(path.dirname(server.databaseUrl.slice('file:'.length)), 'encryption-key'), 'utf8');
  const key = parseEncryptionKey(text.trim());
  if (!key) throw new Error('the server\'s encryption key does not parse');
  return key;
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as AddressInfo;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  fake = await startFakeOpenAi({ apiKey: KEY_ONE });
  envFake = await startFakeOpenAi({ apiKey: KEY_ENV });
  server = await startServer({
    env: {
      TOLLBOOTH_PROVIDER_ENVTEST_BASE_URL: envFake.url,
      TOLLBOOTH_PROVIDER_ENVTEST_API_KEY: KEY_ENV,
      TOLLBOOTH_PROVIDER_OPENAI_BASE_URL: envFake.url,
      TOLLBOOTH_PROVIDER_OPENAI_API_KEY: KEY_ENV,
      ...(ENV_ENCRYPTION_KEY ? { TOLLBOOTH_ENCRYPTION_KEY: ENV_ENCRYPTION_KEY } : {}),
    },
  });
}, 180_000);

afterAll(async () => {
  await server?.stop();
  await fake?.close();
  await envFake?.close();
});

describe('/v2/providers CRUD', () => {
  it('creates, reads (by id and by name), lists, updates and deletes a provider', async () => {
    const name = uid('crud');
    const created = await createProvider({ name, base_url: `${fake.url}/`, api_key: KEY_ONE });
    expect(created).toEqual({
      provider_id: expect.stringMatching(/^prov_/),
      name,
      kind: 'openai',
      base_url: fake.url,
      has_api_key: true,
      api_key_hint: `…${KEY_ONE.slice(-4)}`,
      source: 'database',
      read_only: false,
      overridden: false,
      last_test: null,
      created_at: expect.stringMatching(/Z$/),
      updated_at: expect.stringMatching(/Z$/),
    });
    const id = created.provider_id as string;

    expect((await api('GET', `/v2/providers/${id}`)).body).toEqual({ provider: created });
    expect((await api('GET', `/v2/providers/${name}`)).body).toEqual({ provider: created });
    const list = await api<{ object: string; data: unknown[]; has_more: boolean }>('GET', '/v2/providers');
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ object: 'list', has_more: false });
    const listed = list.body.data.map((p) => providerResponseSchema.parse(p));
    expect(listed.find((p) => p.provider_id === id)).toEqual(created);

    const renamed = `${name}-2`;
    const patched = await api<{ provider: Provider }>('PATCH', `/v2/providers/${id}`, { name: renamed, kind: 'anthropic' });
    expect(patched.status).toBe(200);
    // A base URL of its own is kept when the kind changes.
    expect(patched.body.provider).toMatchObject({ provider_id: id, name: renamed, kind: 'anthropic', base_url: fake.url, api_key_hint: `…${KEY_ONE.slice(-4)}` });
    expect((await api('GET', `/v2/providers/${name}`)).status).toBe(404);

    const removedKey = await api<{ provider: Provider }>('PATCH', `/v2/providers/${id}`, { api_key: null, base_url: null });
    expect(removedKey.body.provider).toMatchObject({ has_api_key: false, api_key_hint: null, base_url: 'https://api.anthropic.com/v1' });
    expect((await storedRow(id)).apiKeyEncrypted).toBeNull();

    expect(await api('DELETE', `/v2/providers/${id}`)).toEqual({ status: 200, body: {} });
    const gone = await api<ErrorBody>('GET', `/v2/providers/${id}`);
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('not_found');
    expect((await api('DELETE', `/v2/providers/${id}`)).status).toBe(404);
  });

  it('uses the official OpenAI-compatible endpoints of anthropic and google by default', async () => {
    expect(await createProvider({ name: uid('claude'), kind: 'anthropic', api_key: KEY_ONE })).toMatchObject({ kind: 'anthropic', base_url: 'https://api.anthropic.com/v1' });
    expect(await createProvider({ name: uid('gemini'), kind: 'google' })).toMatchObject({
      kind: 'google',
      base_url: 'https://generativelanguage.googleapis.com/v1beta/openai',
      has_api_key: false,
      api_key_hint: null,
    });
  });

  it('refuses a second provider with the same name (409 naming name), on create and on rename', async () => {
    const name = uid('dup');
    await createProvider({ name, base_url: fake.url });
    const dup = await api<ErrorBody>('POST', '/v2/providers', { name, base_url: 'https://api.example.com/v1' });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('conflict');
    expect(dup.body.error.details).toEqual([{ field: 'name', issue: `a provider named "${name}" already exists` }]);

    const other = await createProvider({ name: uid('dup'), base_url: fake.url });
    const rename = await api<ErrorBody>('PATCH', `/v2/providers/${other.provider_id}`, { name });
    expect(rename.status).toBe(409);
    expect(rename.body.error.details.map((d) => d.field)).toEqual(['name']);
  });

  it.each([
    ['a base_url that is not a URL', { name: 'ok-name', base_url: 'not a url' }, 'base_url'],
    ['a base_url that is not http(s)', { name: 'ok-name', base_url: 'ftp://files.example.com/v1' }, 'base_url'],
    ['a base_url with credentials', { name: 'ok-name', base_url: 'https://user:pass@api.example.com/v1' }, 'base_url'],
    ['a base_url with a query string', { name: 'ok-name', base_url: 'https://api.example.com/v1?key=abc' }, 'base_url'],
    ['no base_url for an OpenAI-compatible provider', { name: 'ok-name' }, 'base_url'],
    ['no name', { base_url: 'https://api.example.com/v1' }, 'name'],
    ['an upper-case name', { name: 'OpenAI', base_url: 'https://api.example.com/v1' }, 'name'],
    ['a name with a slash', { name: 'open/ai', base_url: 'https://api.example.com/v1' }, 'name'],
    ['a name starting with "-"', { name: '-openai', base_url: 'https://api.example.com/v1' }, 'name'],
    ['an unknown kind', { name: 'ok-name', kind: 'azure', base_url: 'https://api.example.com/v1' }, 'kind'],
    ['an empty api_key', { name: 'ok-name', base_url: 'https://api.example.com/v1', api_key: '' }, 'api_key'],
  ])('refuses %s with 400 naming the field', async (_case, body, field) => {
    const res = await api<ErrorBody>('POST', '/v2/providers', body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
    expect(res.body.error.details.map((d) => d.field)).toEqual([field]);
  });

  it('validates PATCH like POST, and answers 404 for an unknown provider', async () => {
    const p = await createProvider({ name: uid('patch'), base_url: fake.url });
    const bad = await api<ErrorBody>('PATCH', `/v2/providers/${p.provider_id}`, { base_url: 'javascript:alert(1)' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d) => d.field)).toEqual(['base_url']);
    // An OpenAI-compatible provider has no default endpoint to go back to.
    const noDefault = await api<ErrorBody>('PATCH', `/v2/providers/${p.provider_id}`, { base_url: null });
    expect(noDefault.status).toBe(400);
    expect(noDefault.body.error.details.map((d) => d.field)).toEqual(['base_url']);
    const missing = await api<ErrorBody>('PATCH', '/v2/providers/prov_nope', { base_url: fake.url });
    expect(missing.status).toBe(404);
    expect(missing.body.error.details.map((d) => d.field)).toEqual(['provider_id']);
  });
});

describe('the API key at rest', () => {
  it('is a JWE (dir, A256GCM) under the server\'s key, never the key itself', async () => {
    const p = await createProvider({ name: uid('rest'), base_url: fake.url, api_key: KEY_ONE });
    const row = await storedRow(p.provider_id as string);
    expect(row.apiKeyHint).toBe(KEY_ONE.slice(-4));
    expect(row.apiKeyEncrypted).not.toContain(KEY_ONE);
    // Compact JWE with "dir": header . (no encrypted key) . iv . ciphertext . tag
    expect(row.apiKeyEncrypted).toMatch(/^eyJ[\w-]+\.\.[\w-]+\.[\w-]+\.[\w-]+$/);
    const header = JSON.parse(Buffer.from((row.apiKeyEncrypted as string).split('.')[0], 'base64url').toString('utf8'));
    expect(header).toMatchObject({ alg: 'dir', enc: 'A256GCM' });
    expect(await decryptSecret(row.apiKeyEncrypted as string, serverEncryptionKey())).toBe(KEY_ONE);
  });

  it.skipIf(onPostgres)('without TOLLBOOTH_ENCRYPTION_KEY, the key is generated once beside the SQLite file, mode 0600', () => {
    const file = path.join(path.dirname(server.databaseUrl.slice('file:'.length)), 'encryption-key');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(parseEncryptionKey(fs.readFileSync(file, 'utf8').trim())).not.toBeNull();
  });
});

describe('the router calls database providers', () => {
  it('sends "<name>/gpt-4o" to the provider with its key; a rotated key applies to the next call; deleting it refuses the next call', async () => {
    fake.setApiKey(KEY_ONE);
    const name = uid('route');
    const p = await createProvider({ name, base_url: fake.url, api_key: KEY_ONE });

    const first = await chat(`${name}/gpt-4o`);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toMatchObject({ object: 'chat.completion' });
    expect(fake.requests().at(-1)?.headers.authorization).toBe(`Bearer ${KEY_ONE}`);
    expect(fake.requests().at(-1)?.body.model).toBe('gpt-4o');

    // The provider now wants another key: the old one is refused upstream until the key is rotated here.
    fake.setApiKey(KEY_TWO);
    expect((await chat(`${name}/gpt-4o`)).status).toBe(401);
    const rotated = await api<{ provider: Provider }>('PATCH', `/v2/providers/${p.provider_id}`, { api_key: KEY_TWO });
    expect(rotated.body.provider.api_key_hint).toBe(`…${KEY_TWO.slice(-4)}`);
    const second = await chat(`${name}/gpt-4o`);
    expect(second.status, JSON.stringify(second.body)).toBe(200);
    expect(fake.requests().at(-1)?.headers.authorization).toBe(`Bearer ${KEY_TWO}`);
    expect(await decryptSecret((await storedRow(p.provider_id as string)).apiKeyEncrypted as string, serverEncryptionKey())).toBe(KEY_TWO);

    expect((await api('DELETE', `/v2/providers/${p.provider_id}`)).status).toBe(200);
    const before = fake.requests().length;
    const refused = await chat(`${name}/gpt-4o`);
    expect(refused.status).toBe(400);
    const error = (refused.body as ErrorBody).error;
    expect(error.details.map((d) => d.field)).toEqual(['model']);
    expect(error.message).toContain('POST /v2/providers');
    expect(error.message).toContain(`TOLLBOOTH_PROVIDER_${name.toUpperCase().replace(/-/g, '_')}_BASE_URL`);
    expect(fake.requests().length).toBe(before);
  });

  it('a database provider overrides the environment provider of the same name, until it is deleted', async () => {
    fake.setApiKey(KEY_ONE);
    expect((await chat('openai/gpt-4o')).status).toBe(200);
    expect(envFake.requests().at(-1)?.headers.authorization).toBe(`Bearer ${KEY_ENV}`);

    const db = await createProvider({ name: 'openai', base_url: fake.url, api_key: KEY_ONE });
    const list = (await api<{ data: Provider[] }>('GET', '/v2/providers')).body.data.filter((p) => p.name === 'openai');
    expect(list.map((p) => [p.source, p.overridden])).toEqual([
      ['database', false],
      ['environment', true],
    ]);
    const envCalls = envFake.requests().length;
    expect((await chat('openai/gpt-4o')).status).toBe(200);
    expect(fake.requests().at(-1)?.headers.authorization).toBe(`Bearer ${KEY_ONE}`);
    expect(envFake.requests().length).toBe(envCalls);

    expect((await api('DELETE', `/v2/providers/${db.provider_id}`)).status).toBe(200);
    expect((await chat('openai/gpt-4o')).status).toBe(200);
    expect(envFake.requests().length).toBe(envCalls + 1);
  });
});

describe('POST /v2/providers/{id}/test', () => {
  it('calls GET {base_url}/models with the key and keeps the result; a wrong key gives 401', async () => {
    fake.setApiKey(KEY_ONE);
    const p = await createProvider({ name: uid('test'), base_url: fake.url, api_key: KEY_ONE });
    const ok = await api<{ test: Json; provider: Provider }>('POST', `/v2/providers/${p.provider_id}/test`, {});
    expect(ok.status).toBe(200);
    expect(ok.body.test).toEqual({ ok: true, message: `200 OK, ${FAKE_MODELS.length} models`, tested_at: expect.stringMatching(/Z$/) });
    expect(fake.modelRequests().at(-1)?.authorization).toBe(`Bearer ${KEY_ONE}`);
    expect(ok.body.provider.last_test).toEqual(ok.body.test);
    expect((await api<{ provider: Provider }>('GET', `/v2/providers/${p.provider_id}`)).body.provider.last_test).toEqual(ok.body.test);

    // A new key clears the last test (it tested another key); the provider refuses this one.
    const patched = await api<{ provider: Provider }>('PATCH', `/v2/providers/${p.provider_id}`, { api_key: KEY_WRONG });
    expect(patched.body.provider.last_test).toBeNull();
    const refused = await api<{ test: { ok: boolean; message: string } }>('POST', `/v2/providers/${p.provider_id}/test`, {});
    expect(refused.status).toBe(200);
    expect(refused.body.test.ok).toBe(false);
    expect(refused.body.test.message).toMatch(/^401 Unauthorized/);
    expect(refused.body.test.message).not.toContain(KEY_WRONG);
    expect(fake.modelRequests().at(-1)?.authorization).toBe(`Bearer ${KEY_WRONG}`);
    expect((await api<{ provider: Provider }>('GET', `/v2/providers/${p.provider_id}`)).body.provider.last_test).toMatchObject({ ok: false });
  });

  it('says "connection refused" for a port nothing listens on', async () => {
    const p = await createProvider({ name: uid('down'), base_url: `http://127.0.0.1:${await closedPort()}/v1`, api_key: KEY_ONE });
    const res = await api<{ test: Json }>('POST', `/v2/providers/${p.provider_id}/test`, {});
    expect(res.body.test).toMatchObject({ ok: false, message: 'connection refused' });
  });

  it('never follows a redirect to another host (the key would go with it)', async () => {
    const modelCalls = fake.modelRequests().length;
    const redirector = http.createServer((req, res) => res.writeHead(302, { location: `${fake.url}/models` }).end());
    await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = redirector.address() as AddressInfo;
      const p = await createProvider({ name: uid('redirect'), base_url: `http://127.0.0.1:${port}/v1`, api_key: KEY_ONE });
      const res = await api<{ test: { ok: boolean; message: string } }>('POST', `/v2/providers/${p.provider_id}/test`, {});
      expect(res.body.test.ok).toBe(false);
      expect(res.body.test.message).toMatch(/^302 Found: redirected to http:\/\/127\.0\.0\.1:\d+, not followed/);
      expect(fake.modelRequests().length).toBe(modelCalls);
    } finally {
      await new Promise<void>((resolve) => redirector.close(() => resolve()));
    }
  });
});

describe('providers configured by environment variables', () => {
  it('are listed read-only, without their key', async () => {
    const list = await api<{ data: Provider[] }>('GET', '/v2/providers');
    const env = list.body.data.find((p) => p.name === 'envtest');
    expect(env).toEqual({
      provider_id: null,
      name: 'envtest',
      kind: 'openai',
      base_url: envFake.url,
      has_api_key: true,
      api_key_hint: `…${KEY_ENV.slice(-4)}`,
      source: 'environment',
      read_only: true,
      overridden: false,
      last_test: null,
      created_at: null,
      updated_at: null,
    });
    expect((await api<{ provider: Provider }>('GET', '/v2/providers/envtest')).body.provider).toEqual(env);
  });

  it.each(['PATCH', 'DELETE'])('refuses %s with 409 saying they are configured by environment variables', async (method) => {
    const res = await api<ErrorBody>(method, '/v2/providers/envtest', method === 'PATCH' ? { api_key: KEY_ONE } : undefined);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('conflict');
    expect(res.body.error.message).toContain('configured by environment variables (TOLLBOOTH_PROVIDER_ENVTEST_BASE_URL');
    expect(res.body.error.details.map((d) => d.field)).toEqual(['provider_id']);
  });

  it('can be tested (the result is returned, not stored)', async () => {
    const res = await api<{ test: Json; provider: Provider }>('POST', '/v2/providers/envtest/test', {});
    expect(res.body.test).toMatchObject({ ok: true, message: `200 OK, ${FAKE_MODELS.length} models` });
    expect(envFake.modelRequests().at(-1)?.authorization).toBe(`Bearer ${KEY_ENV}`);
    expect((await api<{ provider: Provider }>('GET', '/v2/providers/envtest')).body.provider.last_test).toBeNull();
  });
});

describe('secrecy', () => {
  it('no response of this file contained an API key', () => {
    expect(responses.length).toBeGreaterThan(20);
    for (const text of responses) for (const key of ALL_KEYS) expect(text).not.toContain(key);
  });
});
