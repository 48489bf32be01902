// CSV exports of the Studio over real HTTP: sign in through the sign-in form (as a browser without JavaScript posts
// it), seed usage through the API, download both CSVs and compare them with what the API reports.
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { baseUrl, ingest, raw, uid, type Json, type UsageEvent } from './support/api';

const ADMIN = { email: 'admin@example.test', password: 'itest-password-1234' };

/** Posts the sign-in form with its hidden action fields (React's no-JS form submission); returns the session cookie. */
async function signIn(): Promise<string> {
  const page = await fetch(`${baseUrl()}/sign-in`);
  const html = await page.text();
  const form = new FormData();
  for (const [, attrs] of html.matchAll(/<input([^>]*type="hidden"[^>]*)>/g)) {
    const name = /name="([^"]*)"/.exec(attrs)?.[1];
    const value = /value="([^"]*)"/.exec(attrs)?.[1] ?? '';
    if (name) form.append(name.replace(/&amp;/g, '&'), value.replace(/&quot;/g, '"').replace(/&amp;/g, '&'));
  }
  form.append('email', ADMIN.email);
  form.append('password', ADMIN.password);
  const res = await fetch(`${baseUrl()}/sign-in`, { method: 'POST', body: form, redirect: 'manual', headers: { origin: baseUrl() } });
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('tollbooth_session='));
  if (!cookie) throw new Error(`sign-in answered ${res.status} without a session cookie`);
  expect(res.headers.get('location')).toBe('/overview');
  return cookie.split(';')[0];
}

type Download = { status: number; headers: Headers; rows: Record<string, string>[]; text: string };

async function download(path: string, cookie: string | null): Promise<Download> {
  const res = await fetch(`${baseUrl()}${path}`, { headers: cookie ? { cookie } : {}, redirect: 'manual' });
  const text = await res.text();
  const rows = res.headers.get('content-type')?.startsWith('text/csv') ? (parse(text, { columns: true }) as Record<string, string>[]) : [];
  return { status: res.status, headers: res.headers, rows, text };
}

type ApiIdentity = { _id: string; external_id: string; display_name?: string; tags: string[]; metrics: { total_cost: number; total_tokens: number; total_requests: number; error_rate: number } };

/** Every identity the API lists for a search, with metrics (all pages). */
async function apiIdentities(search: string): Promise<ApiIdentity[]> {
  const out: ApiIdentity[] = [];
  let after: string | undefined;
  for (;;) {
    const res = await raw<{ data: ApiIdentity[]; has_more: boolean }>(
      'GET',
      `/v2/identities?search=${encodeURIComponent(search)}&include_metrics=true&limit=50${after ? `&starting_after=${after}` : ''}`,
    );
    expect(res.status).toBe(200);
    out.push(...res.body.data);
    if (!res.body.has_more) return out;
    after = res.body.data.at(-1)?._id;
  }
}

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();

describe('CSV exports', () => {
  let cookie: string;
  const prefix = uid('csv');
  const big = `${prefix}-big`;
  const vip = `${prefix}-vip`;
  const formula = `${prefix}-formula`;
  const events: UsageEvent[] = [];

  beforeAll(async () => {
    cookie = await signIn();
    expect((await raw('POST', '/v2/identities', { body: { external_id: vip, display_name: 'VIP customer', tags: ['vip'] } })).status).toBe(201);
    expect((await raw('POST', '/v2/identities', { body: { external_id: formula, display_name: '=HYPERLINK("http://evil.example","x")', email: 'f@example.test' } })).status).toBe(201);
    // 1,050 events for one identity (two pages of the export), a few for the others, 1,003 identities in all.
    for (let i = 0; i < 1_050; i++) {
      events.push({
        event_id: `${big}-${i}`,
        external_id: big,
        timestamp: hoursAgo((i % 200) / 10),
        provider: 'openai',
        model: i % 3 ? 'gpt-4o-mini' : 'gpt-4o',
        input_tokens: 100 + i,
        output_tokens: 10 + (i % 7),
        cost: Number(((i % 13) * 0.000137 + 0.000001).toFixed(6)),
        status: i % 10 === 0 ? 'error' : 'success',
        ...(i % 10 === 0 ? { error_code: 'rate_limit' } : {}),
        latency_ms: 100 + i,
      });
    }
    events.push({ event_id: `${vip}-1`, external_id: vip, timestamp: hoursAgo(1), provider: 'anthropic', model: 'claude-3-5-sonnet', input_tokens: 5000, output_tokens: 800, cost: 1.234567 });
    events.push({ event_id: `${formula}-1`, external_id: formula, timestamp: hoursAgo(2), model: '-cmd', input_tokens: 1, output_tokens: 1, cost: 0.5 });
    for (let i = 0; i < 1_000; i++) events.push({ event_id: `${prefix}-many-${i}`, external_id: `${prefix}-many-${String(i).padStart(4, '0')}`, timestamp: hoursAgo(3), cost: 0.000002 * (i + 1), input_tokens: i, output_tokens: 1 });
    for (let i = 0; i < events.length; i += 1000) await ingest(events.slice(i, i + 1000));
  }, 120_000);

  it('the identities CSV holds every identity the filters match, on every page, with the API’s metrics', async () => {
    const csv = await download(`/identities/export?q=${prefix}`, cookie);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="identities-\d{4}-\d{2}-\d{2}\.csv"/);
    const api = await apiIdentities(prefix);
    expect(api).toHaveLength(1_003);
    expect(csv.rows).toHaveLength(1_003);
    const byExternal = new Map(csv.rows.map((r) => [r.external_id, r]));
    for (const identity of api) {
      const row = byExternal.get(identity.external_id);
      expect(row, identity.external_id).toBeDefined();
      expect({
        id: row?.id,
        cost: Number(row?.cost_usd_30d),
        requests: Number(row?.requests_30d),
        tokens: Number(row?.tokens_30d),
        errorRate: Number(row?.error_rate_30d),
      }).toEqual({ id: identity._id, cost: identity.metrics.total_cost, requests: identity.metrics.total_requests, tokens: identity.metrics.total_tokens, errorRate: identity.metrics.error_rate });
    }
    const bigRow = byExternal.get(big);
    const bigCost = events.filter((e) => e.external_id === big).reduce((s, e) => s + Math.round((e.cost ?? 0) * 1e6), 0);
    expect(Math.round(Number(bigRow?.cost_usd_30d) * 1e6)).toBe(bigCost);
    expect(bigRow?.requests_30d).toBe('1050');
    expect(bigRow?.error_rate_30d).toBe('0.1');
    expect(byExternal.get(vip)).toMatchObject({ display_name: 'VIP customer', tags: 'vip', cost_usd_30d: '1.234567' });
    // ISO 8601 UTC timestamps.
    expect(bigRow?.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('filters and sort in the query narrow and order the CSV as they do the list', async () => {
    const tagged = await download(`/identities/export?q=${prefix}&tag=vip`, cookie);
    expect(tagged.rows.map((r) => r.external_id)).toEqual([vip]);
    const searched = await download(`/identities/export?q=${encodeURIComponent(`${prefix}-many-000`)}`, cookie);
    expect(searched.rows.map((r) => r.external_id).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `${prefix}-many-000${i}`));
    const byCost = await download(`/identities/export?q=${prefix}&sort=cost`, cookie);
    const costs = byCost.rows.map((r) => Number(r.cost_usd_30d));
    expect(costs).toEqual([...costs].sort((a, b) => b - a));
    // $1.234567 for the VIP beats the 1,050 small events of the big identity.
    expect(byCost.rows.slice(0, 2).map((r) => r.external_id)).toEqual([vip, big]);
    const ascending = await download(`/identities/export?q=${prefix}&sort=cost&order=asc`, cookie);
    expect(ascending.rows.map((r) => r.external_id)).toEqual(byCost.rows.map((r) => r.external_id).reverse());
  });

  it('cells a spreadsheet would run as formulas start with an apostrophe', async () => {
    const csv = await download(`/identities/export?q=${formula}`, cookie);
    expect(csv.rows[0].display_name).toBe(`'=HYPERLINK("http://evil.example","x")`);
    const id = csv.rows[0].id;
    const ev = await download(`/identities/${id}/events/export`, cookie);
    expect(ev.rows[0].model).toBe(`'-cmd`);
  });

  it('the events CSV holds every event of the identity, newest first, with exact costs', async () => {
    const [identity] = (await apiIdentities(big)).filter((i) => i.external_id === big);
    const csv = await download(`/identities/${identity._id}/events/export`, cookie);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toMatch(new RegExp(`^attachment; filename="usage-events-${big}-\\d{4}-\\d{2}-\\d{2}\\.csv"`));
    expect(csv.rows).toHaveLength(1_050);
    const sent = new Map(events.filter((e) => e.external_id === big).map((e) => [e.event_id, e]));
    for (const row of csv.rows) {
      const e = sent.get(row.event_id) as UsageEvent;
      expect(e, row.event_id).toBeDefined();
      expect({ at: row.occurred_at, model: row.model, input: row.input_tokens, output: row.output_tokens, status: row.status, cost: row.cost_usd }).toEqual({
        at: e.timestamp,
        model: e.model,
        input: String(e.input_tokens),
        output: String(e.output_tokens),
        status: e.status,
        cost: (e.cost as number).toFixed(6),
      });
    }
    expect(new Set(csv.rows.map((r) => r.event_id)).size).toBe(1_050);
    const times = csv.rows.map((r) => r.occurred_at);
    expect(times).toEqual([...times].sort().reverse());
    // The same totals as the API's metrics.
    const cost = csv.rows.reduce((s, r) => s + Math.round(Number(r.cost_usd) * 1e6), 0);
    expect(cost / 1e6).toBeCloseTo(identity.metrics.total_cost, 9);
    expect(csv.rows.reduce((s, r) => s + Number(r.input_tokens) + Number(r.output_tokens), 0)).toBe(identity.metrics.total_tokens);
    expect(csv.rows.filter((r) => r.status === 'error').length / csv.rows.length).toBe(identity.metrics.error_rate);
  });

  it('signed out, both exports answer 401 (not a sign-in page); an unknown identity is a 404', async () => {
    const [identity] = await apiIdentities(vip);
    for (const path of [`/identities/export?q=${prefix}`, `/identities/${identity._id}/events/export`]) {
      const res = await download(path, null);
      expect(res.status, path).toBe(401);
      expect((JSON.parse(res.text) as { error: Json }).error.code).toBe('unauthorized');
      expect((await download(path, 'tollbooth_session=forged')).status).toBe(401);
    }
    expect((await download('/identities/no-such-identity/events/export', cookie)).status).toBe(404);
  });
});
