import { methodNotAllowed, withApi, parseBody } from '@/lib/api/handler';
import { json } from '@/lib/api/json';
import { apiKeyActor } from '@/lib/audit/actor';
import { settingsSchema } from '@/lib/prices/schema';
import { getSettings, updateSettings } from '@/lib/prices/service';

export const dynamic = 'force-dynamic';

const serialize = (s: { allowUnpricedCalls: boolean }) => ({ settings: { allow_unpriced_calls: s.allowUnpricedCalls } });

// GET /v2/settings – workspace settings
export const GET = withApi(async ({ workspaceId }) => json(serialize(await getSettings(workspaceId))));

// PATCH /v2/settings – e.g. {"allow_unpriced_calls": true} lets the gateway serve models without a price under USD budgets
export const PATCH = withApi(async ({ req, workspaceId, principal }) => {
  const input = await parseBody(req, settingsSchema);
  return json(serialize(await updateSettings(workspaceId, apiKeyActor(principal), { allowUnpricedCalls: input.allow_unpriced_calls })));
});

const notAllowed = methodNotAllowed(['GET', 'PATCH']);
export { notAllowed as POST, notAllowed as PUT, notAllowed as DELETE };
