import { methodNotAllowed, withApi } from '@/lib/api/handler';
import { metrics } from '@/lib/metrics/registry';

export const dynamic = 'force-dynamic';

// GET /metrics – Prometheus metrics (API requests and latency, 429s, budget admissions, usage events, process); API key required
export const GET = withApi(async () => new Response(await metrics.registry.metrics(), { headers: { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' } }));

const notAllowed = methodNotAllowed(['GET']);
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
