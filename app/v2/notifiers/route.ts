import { methodNotAllowed, withApi, parseBody, parseQuery } from '@/lib/api/handler';
import { json } from '@/lib/api/json';
import { apiKeyActor } from '@/lib/audit/actor';
import { createNotifierSchema, listNotifiersQuerySchema } from '@/lib/notifiers/schema';
import { createNotifier, listNotifiers } from '@/lib/notifiers/service';
import { serializeNotifier } from '@/lib/notifiers/serialize';

export const dynamic = 'force-dynamic';

// GET /v2/notifiers – cursor-paginated list, newest first
export const GET = withApi(async ({ req, workspaceId }) => {
  const query = parseQuery(req, listNotifiersQuerySchema);
  const { rows, hasMore } = await listNotifiers(workspaceId, query);
  return json({ object: 'list', data: rows.map((row) => serializeNotifier(row)), has_more: hasMore });
});

// POST /v2/notifiers – create; 201 {notifier} with its signing_secret, shown this once
export const POST = withApi(async ({ req, workspaceId, principal, now }) => {
  const input = await parseBody(req, createNotifierSchema);
  const { notifier, signingSecret } = await createNotifier(workspaceId, input, apiKeyActor(principal), now);
  return json({ notifier: serializeNotifier(notifier, signingSecret) }, 201);
});

const notAllowed = methodNotAllowed(['GET', 'POST']);
export { notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
