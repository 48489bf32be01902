import { methodNotAllowed, withApi, parseQuery } from '@/lib/api/handler';
import { json } from '@/lib/api/json';
import { listDeliveriesQuerySchema } from '@/lib/notifiers/schema';
import { listDeliveries } from '@/lib/notifiers/service';
import { serializeDelivery } from '@/lib/notifiers/serialize';

export const dynamic = 'force-dynamic';

// GET /v2/notifiers/{id}/deliveries – its messages, newest first, each with every attempt (code or error, duration)
export const GET = withApi<{ notifierId: string }>(async ({ req, params, workspaceId }) => {
  const query = parseQuery(req, listDeliveriesQuerySchema);
  const { rows, hasMore } = await listDeliveries(workspaceId, params.notifierId, query);
  return json({ object: 'list', data: rows.map(serializeDelivery), has_more: hasMore });
});

const notAllowed = methodNotAllowed(['GET']);
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
