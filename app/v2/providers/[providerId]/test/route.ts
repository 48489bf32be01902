import { methodNotAllowed, withApi } from '@/lib/api/handler';
import { json } from '@/lib/api/json';
import { testProvider } from '@/lib/providers/service';
import { serializeProvider, serializeProviderTest } from '@/lib/providers/serialize';

export const dynamic = 'force-dynamic';

type Params = { providerId: string };

// POST /v2/providers/{id}/test – GET {base_url}/models with the key (10 s); 200 with ok true/false and what happened
export const POST = withApi<Params>(async ({ params, workspaceId, now }) => {
  const { provider, test } = await testProvider(workspaceId, params.providerId, now);
  return json({ test: serializeProviderTest(test), provider: serializeProvider(provider) });
});

const notAllowed = methodNotAllowed(['POST']);
export { notAllowed as GET, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
