import { methodNotAllowed, withApi, parseBody } from '@/lib/api/handler';
import { json } from '@/lib/api/json';
import { apiKeyActor } from '@/lib/audit/actor';
import { toProviderChange, updateProviderSchema } from '@/lib/providers/schema';
import { deleteProvider, getProviderOrThrow, updateProvider } from '@/lib/providers/service';
import { serializeProvider } from '@/lib/providers/serialize';

export const dynamic = 'force-dynamic';

type Params = { providerId: string };

// GET /v2/providers/{id} – by id, or by name (environment providers have only a name)
export const GET = withApi<Params>(async ({ params, workspaceId }) => json({ provider: serializeProvider(await getProviderOrThrow(workspaceId, params.providerId)) }));

// PATCH /v2/providers/{id} – fields left out keep their values; a new api_key rotates the key; 409 for an environment provider
export const PATCH = withApi<Params>(async ({ req, params, workspaceId, principal }) => {
  const input = await parseBody(req, updateProviderSchema);
  return json({ provider: serializeProvider(await updateProvider(workspaceId, apiKeyActor(principal), params.providerId, toProviderChange(input))) });
});

// DELETE /v2/providers/{id} – calls to "<name>/…" fail (or go to the environment provider of that name) from the next one
export const DELETE = withApi<Params>(async ({ params, workspaceId, principal }) => {
  await deleteProvider(workspaceId, apiKeyActor(principal), params.providerId);
  return json({});
});

const notAllowed = methodNotAllowed(['GET', 'PATCH', 'DELETE']);
export { notAllowed as POST, notAllowed as PUT };
