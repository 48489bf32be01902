import { methodNotAllowed, withApi, parseBody } from '@/lib/api/handler';
import { json } from '@/lib/api/json';
import { apiKeyActor } from '@/lib/audit/actor';
import { createPriceSchema, toPriceChange } from '@/lib/prices/schema';
import { createPrice, listPrices } from '@/lib/prices/service';
import { serializePrice } from '@/lib/prices/serialize';

export const dynamic = 'force-dynamic';

// GET /v2/prices – the workspace's own model prices (they override the bundled price table)
export const GET = withApi(async ({ workspaceId }) => {
  const rows = await listPrices(workspaceId);
  return json({ object: 'list', data: rows.map(serializePrice), has_more: false });
});

// POST /v2/prices – add a price for a provider + model (USD per million tokens); 409 when it exists
export const POST = withApi(async ({ req, workspaceId, principal }) => {
  const input = await parseBody(req, createPriceSchema);
  const row = await createPrice(workspaceId, apiKeyActor(principal), input.provider, input.model, toPriceChange(input));
  return json({ price: serializePrice(row) }, 201);
});

const notAllowed = methodNotAllowed(['GET', 'POST']);
export { notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
