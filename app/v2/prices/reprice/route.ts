import { methodNotAllowed, withApi, parseBody } from '@/lib/api/handler';
import { json } from '@/lib/api/json';
import { apiKeyActor } from '@/lib/audit/actor';
import { repriceSchema } from '@/lib/prices/schema';
import { repriceUnpricedEvents } from '@/lib/prices/service';
import { serializeReprice } from '@/lib/prices/serialize';

export const dynamic = 'force-dynamic';

// POST /v2/prices/reprice – price unpriced events that have a price now; their cost then counts toward budgets and metrics
export const POST = withApi(async ({ req, workspaceId, principal }) => {
  const input = await parseBody(req, repriceSchema);
  return json(serializeReprice(await repriceUnpricedEvents(workspaceId, apiKeyActor(principal), input)));
});

const notAllowed = methodNotAllowed(['POST']);
export { notAllowed as GET, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
