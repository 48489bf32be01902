import { methodNotAllowed, withApi } from '@/lib/api/handler';
import { json } from '@/lib/api/json';
import { sendTestMessage } from '@/lib/notifiers/service';
import { serializeDelivery } from '@/lib/notifiers/serialize';

export const dynamic = 'force-dynamic';

// POST /v2/notifiers/{id}/test – queues a signed test message; 202 {delivery} (sent by the outbox worker)
export const POST = withApi<{ notifierId: string }>(async ({ params, workspaceId, now }) => {
  const delivery = await sendTestMessage(workspaceId, params.notifierId, now);
  return json({ delivery: serializeDelivery(delivery) }, 202);
});

const notAllowed = methodNotAllowed(['POST']);
export { notAllowed as GET, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
