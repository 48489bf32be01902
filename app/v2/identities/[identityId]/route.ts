import { methodNotAllowed, withApi, parseBody, parseQuery } from '@/lib/api/handler';
import { json } from '@/lib/api/json';
import { apiKeyActor } from '@/lib/audit/actor';
import { retrieveIdentityQuerySchema, toIdentityChange, updateIdentitySchema } from '@/lib/identities/schema';
import { attachExtras, deleteIdentity, getIdentityOrThrow, updateIdentity } from '@/lib/identities/service';
import { serializeIdentity } from '@/lib/identities/serialize';

export const dynamic = 'force-dynamic';

type Params = { identityId: string };

// GET /v2/identities/{id} – by _id or external_id, with optional metrics and budget
export const GET = withApi<Params>(async ({ req, params, workspaceId, now }) => {
  const query = parseQuery(req, retrieveIdentityQuerySchema);
  const identity = await getIdentityOrThrow(workspaceId, params.identityId);
  const [view] = await attachExtras(workspaceId, [identity], { metrics: query.include_metrics, budget: query.include_budget }, now);
  return json({ identity: serializeIdentity(view) });
});

// PATCH /v2/identities/{id} – partial update; null clears a field
export const PATCH = withApi<Params>(async ({ req, params, workspaceId, principal, now }) => {
  const input = await parseBody(req, updateIdentitySchema);
  const identity = await updateIdentity(workspaceId, apiKeyActor(principal), params.identityId, toIdentityChange(input), { now });
  return json({ identity: serializeIdentity({ identity }) });
});

// DELETE /v2/identities/{id} – removes the identity, its budget and its usage; 200 {}
export const DELETE = withApi<Params>(async ({ params, workspaceId, principal, now }) => {
  await deleteIdentity(workspaceId, apiKeyActor(principal), params.identityId, now);
  return json({});
});

const notAllowed = methodNotAllowed(['GET', 'PATCH', 'DELETE']);
export { notAllowed as POST, notAllowed as PUT };
