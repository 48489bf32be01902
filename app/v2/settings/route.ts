import { methodNotAllowed, withApi, parseBody } from '@/lib/api/handler';
import { json } from '@/lib/api/json';
import { apiKeyActor } from '@/lib/audit/actor';
import { settingsSchema } from '@/lib/prices/schema';
import { getSettings, updateSettings } from '@/lib/prices/service';
import { serializeSettings } from '@/lib/prices/serialize';

export const dynamic = 'force-dynamic';

// GET /v2/settings – workspace settings
export const GET = withApi(async ({ workspaceId }) => json({ settings: serializeSettings(await getSettings(workspaceId)) }));

// PATCH /v2/settings – e.g. {"allow_unpriced_calls": true} lets the gateway serve models without a price under USD budgets
export const PATCH = withApi(async ({ req, workspaceId, principal }) => {
  const input = await parseBody(req, settingsSchema);
  const settings = await updateSettings(workspaceId, apiKeyActor(principal), { allowUnpricedCalls: input.allow_unpriced_calls });
  return json({ settings: serializeSettings(settings) });
});

const notAllowed = methodNotAllowed(['GET', 'PATCH']);
export { notAllowed as POST, notAllowed as PUT, notAllowed as DELETE };
