import { methodNotAllowed, withApi, parseBody } from '@/lib/api/handler';
import { json } from '@/lib/api/json';
import { apiKeyActor } from '@/lib/audit/actor';
import { toNotifierChange, updateNotifierSchema } from '@/lib/notifiers/schema';
import { deleteNotifier, getNotifierOrThrow, updateNotifier } from '@/lib/notifiers/service';
import { serializeNotifier } from '@/lib/notifiers/serialize';

export const dynamic = 'force-dynamic';

type Params = { notifierId: string };

// GET /v2/notifiers/{id} – without its signing secret
export const GET = withApi<Params>(async ({ params, workspaceId }) => {
  return json({ notifier: serializeNotifier(await getNotifierOrThrow(workspaceId, params.notifierId)) });
});

// PATCH /v2/notifiers/{id} – name, url, is_active; fields left out keep their values
export const PATCH = withApi<Params>(async ({ req, params, workspaceId, principal, now }) => {
  const input = await parseBody(req, updateNotifierSchema);
  const notifier = await updateNotifier(workspaceId, params.notifierId, toNotifierChange(input), apiKeyActor(principal), now);
  return json({ notifier: serializeNotifier(notifier) });
});

// DELETE /v2/notifiers/{id} – with its deliveries; alerts naming it skip it; 200 {}
export const DELETE = withApi<Params>(async ({ params, workspaceId, principal, now }) => {
  await deleteNotifier(workspaceId, params.notifierId, apiKeyActor(principal), now);
  return json({});
});

const notAllowed = methodNotAllowed(['GET', 'PATCH', 'DELETE']);
export { notAllowed as POST, notAllowed as PUT };
