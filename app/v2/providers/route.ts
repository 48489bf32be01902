import { methodNotAllowed, withApi, parseBody } from '@/lib/api/handler';
import { json } from '@/lib/api/json';
import { apiKeyActor } from '@/lib/audit/actor';
import { createProviderSchema, toNewProvider } from '@/lib/providers/schema';
import { createProvider, listProviders } from '@/lib/providers/service';
import { serializeProvider } from '@/lib/providers/serialize';

export const dynamic = 'force-dynamic';

// GET /v2/providers – the workspace's providers, then those configured by environment variables (read-only)
export const GET = withApi(async ({ workspaceId }) => {
  const providers = await listProviders(workspaceId);
  return json({ object: 'list', data: providers.map(serializeProvider), has_more: false });
});

// POST /v2/providers – add a provider (its API key is encrypted at rest); 409 when the name is taken
export const POST = withApi(async ({ req, workspaceId, principal }) => {
  const input = await parseBody(req, createProviderSchema);
  return json({ provider: serializeProvider(await createProvider(workspaceId, apiKeyActor(principal), toNewProvider(input))) }, 201);
});

const notAllowed = methodNotAllowed(['GET', 'POST']);
export { notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
