// GET /metrics: Prometheus text, behind the API key like every API route, counting what operators watch:
// API requests by route and status (429s included), budget admissions and usage events written.
import { describe, expect, it } from 'vitest';
import { apiKey, baseUrl, raw, uid } from './support/api';
import { eventually } from './support/db';

const scrape = async () => (await fetch(`${baseUrl()}/metrics`, { headers: { authorization: `Bearer ${apiKey()}` } })).text();
const value = (text: string, series: string) => Number(new RegExp(`^${series.replace(/[{}"/.[\]]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);

describe('GET /metrics', () => {
  it('needs an API key', async () => {
    const res = await fetch(`${baseUrl()}/metrics`);
    expect(res.status).toBe(401);
  });

  it('counts requests by route and status, admissions, refusals and usage events', async () => {
    const before = await scrape();
    const externalId = uid('metrics');
    expect((await raw('POST', '/v2/identities', { body: { external_id: externalId } })).status).toBe(201);
    expect((await raw('GET', `/v2/identities/${externalId}`)).status).toBe(200);
    const budget = await raw('POST', '/v2/budgets', { body: { scope: { identity: { identity_external_id: externalId } }, limits: { period: 'BUDGET_PERIOD_YEARLY', amount: 0.000001 } } });
    expect(budget.status).toBe(200);
    const call = () => raw('POST', '/v2/router/chat/completions', { body: { model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'hi' }], max_tokens: 10, orq: { identity: { id: externalId } } } });
    expect((await call()).status).toBe(200); // admitted: nothing spent yet
    expect((await call()).status).toBe(429);

    const after = await eventually(scrape, (text) => value(text, 'tollbooth_usage_events_recorded_total{source="gateway"}') > value(before, 'tollbooth_usage_events_recorded_total{source="gateway"}'));
    const delta = (series: string) => value(after, series) - value(before, series);
    expect(after).toContain('# TYPE tollbooth_http_request_duration_seconds histogram');
    expect(delta('tollbooth_http_requests_total{route="/v2/identities",method="POST",status="201"}')).toBe(1);
    expect(delta('tollbooth_http_requests_total{route="/v2/identities/{id}",method="GET",status="200"}')).toBe(1);
    expect(delta('tollbooth_http_requests_total{route="/v2/router/chat/completions",method="POST",status="429"}')).toBe(1);
    expect(delta('tollbooth_budget_admissions_total{result="admitted"}')).toBeGreaterThanOrEqual(1);
    expect(delta('tollbooth_budget_admissions_total{result="refused_budget"}')).toBe(1);
    expect(delta('tollbooth_usage_events_recorded_total{source="gateway"}')).toBe(1);
  });
});
