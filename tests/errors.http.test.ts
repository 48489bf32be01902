// Error responses over raw HTTP: status, error.code and details[].field for each bad input (contract §6, lead's error table).
import { beforeAll, describe, expect, it } from 'vitest';
import { eventId, raw, sdk, uid, type ErrorBody } from './support/api';

type Case = {
  name: string;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Built lazily so cases can use fixtures created in beforeAll. */
  path: () => string;
  body?: () => unknown;
  key?: string | null;
  now?: string;
  status: number;
  code: string;
  /** Fields that must appear in details[].field; [] means details must be empty. undefined: not checked. */
  fields?: string[];
  /** Accept a listed field as a prefix too (`period` matches `period.0`). */
  fieldPrefix?: boolean;
};

const UNKNOWN_ULID = '01ARZ3NDEKTSV4RRFFQ69G5FAV';

let identityId = '';
let externalId = '';
let budgetId = '';
let bareExternalId = '';

beforeAll(async () => {
  const orq = sdk();
  externalId = uid('err');
  identityId = (await orq.identities.create({ externalId })).result.identity.id;
  budgetId = (await orq.budgets.create({ scope: { identity: { identityExternalId: externalId } }, limits: { amount: 1 } })).budget.budgetId;
  bareExternalId = uid('errbare');
  await orq.identities.create({ externalId: bareExternalId });
});

const identityBudget = (extra: Record<string, unknown> = {}) => ({
  scope: { identity: { identity_external_id: bareExternalId } },
  limits: { period: 'BUDGET_PERIOD_MONTHLY', amount: 5 },
  ...extra,
});

const cases: Case[] = [
  // Authentication
  { name: 'missing API key', method: 'GET', path: () => '/v2/identities', key: null, status: 401, code: 'unauthorized', fields: [] },
  { name: 'invalid API key', method: 'GET', path: () => '/v2/identities', key: 'tb_not_a_real_key', status: 401, code: 'unauthorized', fields: [] },
  { name: 'invalid API key on budgets', method: 'GET', path: () => '/v2/budgets', key: 'nope', status: 401, code: 'unauthorized', fields: [] },
  { name: 'invalid API key on usage', method: 'POST', path: () => '/v2/usage', key: 'nope', body: () => ({ events: [] }), status: 401, code: 'unauthorized', fields: [] },
  { name: 'non-Bearer Authorization', method: 'GET', path: () => '/v2/identities', key: null, status: 401, code: 'unauthorized' },

  // Identities: bodies
  { name: 'malformed JSON', method: 'POST', path: () => '/v2/identities', body: () => '{"external_id": ', status: 400, code: 'invalid_json', fields: ['(body)'] },
  { name: 'bad email', method: 'POST', path: () => '/v2/identities', body: () => ({ external_id: uid('e'), email: 'not-an-email' }), status: 400, code: 'invalid_request', fields: ['email'] },
  { name: 'missing external_id', method: 'POST', path: () => '/v2/identities', body: () => ({ display_name: 'No Id' }), status: 400, code: 'invalid_request', fields: ['external_id'] },
  { name: 'blank external_id', method: 'POST', path: () => '/v2/identities', body: () => ({ external_id: '   ' }), status: 400, code: 'invalid_request', fields: ['external_id'] },
  { name: 'tags not a list', method: 'POST', path: () => '/v2/identities', body: () => ({ external_id: uid('e'), tags: 'a,b' }), status: 400, code: 'invalid_request', fields: ['tags'] },
  { name: 'metadata an array', method: 'POST', path: () => '/v2/identities', body: () => ({ external_id: uid('e'), metadata: [1] }), status: 400, code: 'invalid_request', fields: ['metadata'] },
  { name: 'avatar_url not http(s)', method: 'POST', path: () => '/v2/identities', body: () => ({ external_id: uid('e'), avatar_url: 'ftp://x/a.png' }), status: 400, code: 'invalid_request', fields: ['avatar_url'] },
  { name: 'duplicate external_id', method: 'POST', path: () => '/v2/identities', body: () => ({ external_id: externalId }), status: 409, code: 'conflict', fields: ['external_id'] },
  { name: 'external_id in a PATCH', method: 'PATCH', path: () => `/v2/identities/${identityId}`, body: () => ({ external_id: 'changed' }), status: 400, code: 'invalid_request', fields: ['external_id'] },
  { name: 'bad email in a PATCH', method: 'PATCH', path: () => `/v2/identities/${identityId}`, body: () => ({ email: 'nope' }), status: 400, code: 'invalid_request', fields: ['email'] },
  { name: 'malformed JSON in a PATCH', method: 'PATCH', path: () => `/v2/identities/${identityId}`, body: () => '{', status: 400, code: 'invalid_json', fields: ['(body)'] },

  // Identities: list query
  { name: 'limit 0', method: 'GET', path: () => '/v2/identities?limit=0', status: 400, code: 'invalid_request', fields: ['limit'] },
  { name: 'limit 51', method: 'GET', path: () => '/v2/identities?limit=51', status: 400, code: 'invalid_request', fields: ['limit'] },
  { name: 'limit 1.5', method: 'GET', path: () => '/v2/identities?limit=1.5', status: 400, code: 'invalid_request', fields: ['limit'] },
  { name: 'limit abc', method: 'GET', path: () => '/v2/identities?limit=abc', status: 400, code: 'invalid_request', fields: ['limit'] },
  { name: 'both cursors', method: 'GET', path: () => `/v2/identities?starting_after=${identityId}&ending_before=${identityId}`, status: 400, code: 'invalid_request', fields: ['ending_before'] },
  { name: 'unknown sort_by', method: 'GET', path: () => '/v2/identities?sort_by=NAME', status: 400, code: 'invalid_request', fields: ['sort_by'] },
  { name: 'include_metrics not a boolean', method: 'GET', path: () => '/v2/identities?include_metrics=maybe', status: 400, code: 'invalid_request', fields: ['include_metrics'] },
  { name: 'unknown starting_after cursor', method: 'GET', path: () => `/v2/identities?starting_after=${UNKNOWN_ULID}`, status: 400, code: 'invalid_request', fields: ['starting_after'] },

  // Identities: unknown ids
  { name: 'retrieve unknown identity', method: 'GET', path: () => `/v2/identities/${UNKNOWN_ULID}`, status: 404, code: 'not_found' },
  { name: 'retrieve unknown external id with a slash', method: 'GET', path: () => `/v2/identities/${encodeURIComponent(`no/such ${uid('x')}`)}`, status: 404, code: 'not_found' },
  { name: 'update unknown identity', method: 'PATCH', path: () => `/v2/identities/${UNKNOWN_ULID}`, body: () => ({ display_name: 'x' }), status: 404, code: 'not_found' },
  { name: 'delete unknown identity', method: 'DELETE', path: () => `/v2/identities/${UNKNOWN_ULID}`, status: 404, code: 'not_found' },

  // Budgets
  { name: 'budget without any limit', method: 'POST', path: () => '/v2/budgets', body: () => ({ scope: { identity: { identity_external_id: bareExternalId } }, limits: { period: 'BUDGET_PERIOD_MONTHLY' } }), status: 400, code: 'invalid_request', fields: ['limits'] },
  { name: 'empty budget body', method: 'POST', path: () => '/v2/budgets', body: () => ({}), status: 400, code: 'invalid_request', fields: ['scope', 'limits'] },
  { name: 'budget with two scopes', method: 'POST', path: () => '/v2/budgets', body: () => identityBudget({ scope: { identity: { identity_external_id: bareExternalId }, workspace: {} } }), status: 400, code: 'invalid_request', fields: ['scope'] },
  { name: 'budget with scope and match', method: 'POST', path: () => '/v2/budgets', body: () => identityBudget({ match: { cel: 'true' } }), status: 400, code: 'invalid_request', fields: ['match'] },
  { name: 'budget with a project scope', method: 'POST', path: () => '/v2/budgets', body: () => identityBudget({ scope: { project: { project_id: 'p1' } } }), status: 422, code: 'unprocessable', fields: ['scope.project'] },
  { name: 'model budget without a provider', method: 'POST', path: () => '/v2/budgets', body: () => identityBudget({ scope: { model: { model_id: 'gpt-4o' } } }), status: 400, code: 'invalid_request', fields: ['scope.model.model_id'] },
  { name: 'budget for an unknown API key', method: 'POST', path: () => '/v2/budgets', body: () => identityBudget({ scope: { api_key: { api_key_id: 'nope' } } }), status: 404, code: 'not_found', fields: ['scope.api_key.api_key_id'] },
  { name: 'budget for an unknown external id', method: 'POST', path: () => '/v2/budgets', body: () => identityBudget({ scope: { identity: { identity_external_id: uid('ghost') } } }), status: 404, code: 'not_found', fields: ['scope.identity.identity_external_id'] },
  { name: 'budget expiring in the past', method: 'POST', path: () => '/v2/budgets', body: () => identityBudget({ expires_at: '2020-01-01T00:00:00.000Z' }), status: 422, code: 'unprocessable', fields: ['expires_at'] },
  { name: 'budget expiring before the pinned now', method: 'POST', path: () => '/v2/budgets', now: '2041-01-01T00:00:00Z', body: () => identityBudget({ expires_at: '2040-06-01T00:00:00.000Z' }), status: 422, code: 'unprocessable', fields: ['expires_at'] },
  { name: 'expires_at without a zone', method: 'POST', path: () => '/v2/budgets', body: () => identityBudget({ expires_at: '2040-01-01T00:00:00' }), status: 400, code: 'invalid_request', fields: ['expires_at'] },
  { name: 'lowercase period', method: 'POST', path: () => '/v2/budgets', body: () => identityBudget({ limits: { period: 'monthly', amount: 5 } }), status: 400, code: 'invalid_request', fields: ['limits.period'] },
  { name: 'negative amount', method: 'POST', path: () => '/v2/budgets', body: () => identityBudget({ limits: { amount: -1 } }), status: 400, code: 'invalid_request', fields: ['limits.amount'] },
  { name: 'amount as a string', method: 'POST', path: () => '/v2/budgets', body: () => identityBudget({ limits: { amount: '5' } }), status: 400, code: 'invalid_request', fields: ['limits.amount'] },
  { name: 'threshold_percent 101', method: 'POST', path: () => '/v2/budgets', body: () => identityBudget({ alerts: [{ threshold_percent: 101, notifier_ids: [] }] }), status: 400, code: 'invalid_request', fields: ['alerts.0.threshold_percent'] },
  { name: 'alert id on create', method: 'POST', path: () => '/v2/budgets', body: () => identityBudget({ alerts: [{ id: 'a1', threshold_percent: 50, notifier_ids: [] }] }), status: 400, code: 'invalid_request', fields: ['alerts.0.id'] },
  { name: 'threshold_percent 0', method: 'POST', path: () => '/v2/budgets', body: () => identityBudget({ alerts: [{ threshold_percent: 0, notifier_ids: [] }] }), status: 400, code: 'invalid_request', fields: ['alerts.0.threshold_percent'] },
  { name: 'fractional requests_per_minute', method: 'POST', path: () => '/v2/budgets', body: () => identityBudget({ rate_limit: { requests_per_minute: 1.5 } }), status: 400, code: 'invalid_request', fields: ['rate_limit.requests_per_minute'] },
  { name: 'fractional token_limit', method: 'POST', path: () => '/v2/budgets', body: () => identityBudget({ limits: { token_limit: 10.5 } }), status: 400, code: 'invalid_request', fields: ['limits.token_limit'] },
  { name: 'is_active not a boolean', method: 'POST', path: () => '/v2/budgets', body: () => identityBudget({ is_active: 'yes' }), status: 400, code: 'invalid_request', fields: ['is_active'] },
  { name: 'duplicate budget for an identity', method: 'POST', path: () => '/v2/budgets', body: () => ({ scope: { identity: { identity_external_id: externalId } }, limits: { amount: 2 } }), status: 409, code: 'conflict' },
  { name: 'malformed JSON budget', method: 'POST', path: () => '/v2/budgets', body: () => 'nope', status: 400, code: 'invalid_json', fields: ['(body)'] },
  { name: 'get unknown budget', method: 'GET', path: () => `/v2/budgets/${UNKNOWN_ULID}`, status: 404, code: 'not_found' },
  { name: 'update unknown budget', method: 'PATCH', path: () => `/v2/budgets/${UNKNOWN_ULID}`, body: () => ({ is_active: false }), status: 404, code: 'not_found' },
  { name: 'delete unknown budget', method: 'DELETE', path: () => `/v2/budgets/${UNKNOWN_ULID}`, status: 404, code: 'not_found' },
  { name: 'reset unknown budget', method: 'POST', path: () => `/v2/budgets/${UNKNOWN_ULID}/reset-consumption`, body: () => ({}), status: 404, code: 'not_found' },
  { name: 'budget update changing scope', method: 'PATCH', path: () => `/v2/budgets/${budgetId}`, body: () => ({ scope: { identity: { identity_external_id: 'x' } } }), status: 400, code: 'invalid_request', fields: ['scope'] },
  { name: 'budget update with expires_at and clear_expires_at', method: 'PATCH', path: () => `/v2/budgets/${budgetId}`, body: () => ({ expires_at: '2040-01-01T00:00:00Z', clear_expires_at: true }), status: 400, code: 'invalid_request', fields: ['expires_at'] },
  { name: 'budget update expiring in the past', method: 'PATCH', path: () => `/v2/budgets/${budgetId}`, body: () => ({ expires_at: '2020-01-01T00:00:00Z' }), status: 422, code: 'unprocessable', fields: ['expires_at'] },
  { name: 'budget list limit 0', method: 'GET', path: () => '/v2/budgets?limit=0', status: 400, code: 'invalid_request', fields: ['limit'] },
  { name: 'budget list limit 201', method: 'GET', path: () => '/v2/budgets?limit=201', status: 400, code: 'invalid_request', fields: ['limit'] },
  { name: 'budget list both cursors', method: 'GET', path: () => `/v2/budgets?starting_after=${budgetId}&ending_before=${budgetId}`, status: 400, code: 'invalid_request', fields: ['ending_before'] },
  { name: 'budget list unknown period', method: 'GET', path: () => '/v2/budgets?period=monthly', status: 400, code: 'invalid_request', fields: ['period'], fieldPrefix: true },

  // Usage
  { name: 'usage event without event_id/request_id and identity', method: 'POST', path: () => '/v2/usage', body: () => ({ events: [{ model: 'm', input_tokens: 1 }] }), status: 400, code: 'invalid_request', fields: ['events.0.event_id', 'events.0.external_id'] },
  { name: 'usage event with negative tokens', method: 'POST', path: () => '/v2/usage', body: () => ({ events: [{ event_id: eventId(), external_id: uid('neg'), output_tokens: -1 }] }), status: 400, code: 'invalid_request', fields: ['events.0.output_tokens'] },
  { name: 'usage event in a later position', method: 'POST', path: () => '/v2/usage', body: () => ({ events: [{ event_id: eventId(), external_id: uid('ok'), cost: 1 }, { event_id: eventId(), external_id: uid('bad'), model: 7 }] }), status: 400, code: 'invalid_request', fields: ['events.1.model'] },
  { name: 'usage event with a bad status', method: 'POST', path: () => '/v2/usage', body: () => ({ events: [{ event_id: eventId(), external_id: uid('st'), status: 'failed' }] }), status: 400, code: 'invalid_request', fields: ['events.0.status'] },
  { name: 'usage event timestamp without a zone', method: 'POST', path: () => '/v2/usage', body: () => ({ events: [{ event_id: eventId(), external_id: uid('tz'), timestamp: '2031-01-01T00:00:00' }] }), status: 400, code: 'invalid_request', fields: ['events.0.timestamp'] },
  { name: 'usage with no events', method: 'POST', path: () => '/v2/usage', body: () => ({ events: [] }), status: 400, code: 'invalid_request', fields: ['events'] },
  { name: 'usage without an events key', method: 'POST', path: () => '/v2/usage', body: () => ({}), status: 400, code: 'invalid_request', fields: ['events'] },
  { name: 'usage malformed JSON', method: 'POST', path: () => '/v2/usage', body: () => '[{', status: 400, code: 'invalid_json', fields: ['(body)'] },
];

describe('error responses', () => {
  it.each(cases)('$name → $status $code', async (c) => {
    const headers: Record<string, string> = {};
    if (c.name === 'non-Bearer Authorization') headers.authorization = 'Basic dXNlcjpwYXNz';
    const res = await raw<ErrorBody>(c.method, c.path(), { body: c.body?.(), key: c.key, now: c.now, headers });
    expect({ status: res.status, body: res.body }).toMatchObject({ status: c.status, body: { error: { code: c.code } } });
    expect(res.contentType).toMatch(/^application\/json/);
    expect(typeof res.body.error.message).toBe('string');
    expect(res.body.error.message.length).toBeGreaterThan(0);
    expect(Array.isArray(res.body.error.details)).toBe(true);
    for (const d of res.body.error.details) {
      expect(typeof d.field).toBe('string');
      expect(typeof d.issue).toBe('string');
    }
    if (c.fields) {
      const fields = res.body.error.details.map((d) => d.field);
      if (c.fields.length === 0) expect(fields).toEqual([]);
      else if (c.fieldPrefix) for (const want of c.fields) expect(fields.some((f) => f === want || f.startsWith(`${want}.`))).toBe(true);
      else expect(fields).toEqual(expect.arrayContaining(c.fields));
    }
    expect(res.text).not.toMatch(/\bat .+\.(js|ts):\d+/); // never a stack trace
  });

  it('a rejected budget or identity write leaves nothing behind', async () => {
    const orq = sdk();
    const list = await orq.budgets.list({ scopeTargetId: bareExternalId });
    expect(list.data).toEqual([]);
    const ext = uid('rejected');
    const bad = await raw('POST', '/v2/identities', { body: { external_id: ext, email: 'nope' } });
    expect(bad.status).toBe(400);
    expect((await raw('GET', `/v2/identities/${ext}`)).status).toBe(404);
  });

  it('the SDK surfaces server errors as APIError with the status and the JSON body', async () => {
    const orq = sdk();
    const err = await orq.identities.retrieve({ id: UNKNOWN_ULID }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'APIError', statusCode: 404, contentType: expect.stringMatching(/^application\/json/) });
    const body = JSON.parse((err as { body: string }).body) as ErrorBody;
    expect(body.error.code).toBe('not_found');

    const unauthorized = await sdk('wrong-key').identities.list().catch((e: unknown) => e);
    expect(unauthorized).toMatchObject({ name: 'APIError', statusCode: 401 });

    const conflict = await orq.identities.create({ externalId }).catch((e: unknown) => e);
    expect(conflict).toMatchObject({ statusCode: 409 });
    expect((JSON.parse((conflict as { body: string }).body) as ErrorBody).error.details.map((d) => d.field)).toContain('external_id');
  });

  it('a malformed x-tollbooth-now header falls back to the real clock', async () => {
    const res = await raw('GET', '/v2/identities?limit=1', { now: 'not-a-date' });
    expect(res.status).toBe(200);
  });
});
