import { methodNotAllowed, withApi, parseBody, parseQuery } from '@/lib/api/handler';
import { json } from '@/lib/api/json';
import { apiKeyActor } from '@/lib/audit/actor';
import { createIdentitySchema, listIdentitiesQuerySchema, toNewIdentity } from '@/lib/identities/schema';
import { createIdentity, listIdentitiesByCursor } from '@/lib/identities/service';
import { serializeIdentity } from '@/lib/identities/serialize';

export const dynamic = 'force-dynamic';

// GET /v2/identities – cursor-paginated list with search, tag filter, sort, metrics and budget
export const GET = withApi(async ({ req, workspaceId, now }) => {
  const query = parseQuery(req, listIdentitiesQuerySchema, ['filter_by.tags']);
  const { rows, hasMore } = await listIdentitiesByCursor(workspaceId, query, now);
  return json({ object: 'list', data: rows.map((view) => serializeIdentity(view)), has_more: hasMore });
});

// POST /v2/identities – create; 201 {identity}, 409 on a duplicate external_id
export const POST = withApi(async ({ req, workspaceId, principal, now }) => {
  const input = await parseBody(req, createIdentitySchema);
  const identity = await createIdentity(workspaceId, apiKeyActor(principal), toNewIdentity(input), { source: 'api', now });
  return json({ identity: serializeIdentity({ identity }) }, 201);
});

const notAllowed = methodNotAllowed(['GET', 'POST']);
export { notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
