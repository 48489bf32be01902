import { describe, expect, test } from 'vitest';
import { metrics, routeLabel } from './registry';

describe('routeLabel', () => {
  test('keeps the route and replaces ids', () => {
    expect(routeLabel('/v2/identities')).toBe('/v2/identities');
    expect(routeLabel('/v2/identities/01M8ARPVEA41P51Y187N37WTV7')).toBe('/v2/identities/{id}');
    expect(routeLabel('/v2/budgets/abc/reset-consumption')).toBe('/v2/budgets/{id}/reset-consumption');
    expect(routeLabel('/v3/router/chat/completions')).toBe('/v3/router/chat/completions');
    expect(routeLabel('/v2/anything-else/here')).toBe('/v2/{id}/{id}');
  });
});

describe('metrics', () => {
  test('are exposed in the Prometheus text format', async () => {
    metrics.httpRequests.inc({ route: '/v2/identities', method: 'GET', status: '200' });
    metrics.admissions.inc({ result: 'refused_budget' });
    const text = await metrics.registry.metrics();
    expect(text).toContain('tollbooth_http_requests_total{route="/v2/identities",method="GET",status="200"} 1');
    expect(text).toContain('tollbooth_budget_admissions_total{result="refused_budget"} 1');
    expect(text).toContain('tollbooth_process_');
  });
});
