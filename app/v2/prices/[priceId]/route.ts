import { methodNotAllowed, withApi, parseBody } from '@/lib/api/handler';
import { json } from '@/lib/api/json';
import { apiKeyActor } from '@/lib/audit/actor';
import { toPriceChange, updatePriceSchema } from '@/lib/prices/schema';
import { deletePrice, getPriceOrThrow, updatePrice } from '@/lib/prices/service';
import { serializePrice } from '@/lib/prices/serialize';

export const dynamic = 'force-dynamic';

type Params = { priceId: string };

// GET /v2/prices/{id}
export const GET = withApi<Params>(async ({ params, workspaceId }) => json({ price: serializePrice(await getPriceOrThrow(workspaceId, params.priceId)) }));

// PATCH /v2/prices/{id} – fields left out keep their values; null clears an optional one
export const PATCH = withApi<Params>(async ({ req, params, workspaceId, principal }) => {
  const input = await parseBody(req, updatePriceSchema);
  return json({ price: serializePrice(await updatePrice(workspaceId, apiKeyActor(principal), params.priceId, toPriceChange(input))) });
});

// DELETE /v2/prices/{id} – events keep the price they were charged with
export const DELETE = withApi<Params>(async ({ params, workspaceId, principal }) => {
  await deletePrice(workspaceId, apiKeyActor(principal), params.priceId);
  return json({});
});

const notAllowed = methodNotAllowed(['GET', 'PATCH', 'DELETE']);
export { notAllowed as POST, notAllowed as PUT };
