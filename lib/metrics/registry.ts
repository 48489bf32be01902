import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

// Prometheus metrics of the process, served at GET /metrics (API key required). One registry on
// globalThis: Next's route bundles and the Node listener (scripts/server.ts) share it.

export type Metrics = {
  registry: Registry;
  httpRequests: Counter<'route' | 'method' | 'status'>;
  httpDuration: Histogram<'route' | 'method'>;
  admissions: Counter<'result'>;
  usageEvents: Counter<'source'>;
};

function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'tollbooth_process_' });
  return {
    registry,
    httpRequests: new Counter({
      name: 'tollbooth_http_requests_total',
      help: 'API requests answered, by route, method and status (429s are refused calls)',
      labelNames: ['route', 'method', 'status'],
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'tollbooth_http_request_duration_seconds',
      help: 'Time to answer an API request (to the first byte of a stream)',
      labelNames: ['route', 'method'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10, 60],
      registers: [registry],
    }),
    admissions: new Counter({
      name: 'tollbooth_budget_admissions_total',
      help: 'Calls checked against budgets: admitted, refused_budget, refused_rate or refused_unpriced',
      labelNames: ['result'],
      registers: [registry],
    }),
    usageEvents: new Counter({
      name: 'tollbooth_usage_events_recorded_total',
      help: 'Usage events written, by source (gateway, usage API, check reservations)',
      labelNames: ['source'],
      registers: [registry],
    }),
  };
}

const shared = globalThis as unknown as { tollboothMetrics?: Metrics };
export const metrics: Metrics = (shared.tollboothMetrics ??= createMetrics());

const LITERAL_SEGMENTS = new Set([
  'v2', 'v3', 'identities', 'budgets', 'usage', 'check', 'prices', 'reprice', 'settings', 'providers', 'test', 'deployments',
  'get_config', 'invoke', 'stream', 'router', 'chat', 'completions', 'embeddings', 'reset-consumption', 'openapi.json', 'metrics',
]);

/** A request path as a low-cardinality route label: ids become `{id}` ("/v2/identities/{id}"). */
export function routeLabel(pathname: string): string {
  return pathname
    .split('/')
    .map((segment) => (segment === '' || LITERAL_SEGMENTS.has(segment) ? segment : '{id}'))
    .join('/');
}
