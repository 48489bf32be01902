import 'server-only';
import { db } from '../db';
import { fieldError } from '../api/errors';
import { createIdentityTx } from '../identities/service';
import { getWorkspaceConfig, rememberIdentity, type IdentityRef } from '../workspaces/config';
import { providerConfig, splitRouterModel, type ProviderConfig } from './providers';
import type { PublicIdentity } from './schema';

/** The identity a call is made for: found by external id (cached), or created on first use (source "gateway"). */
export async function ensureGatewayIdentity(workspaceId: string, identity: PublicIdentity): Promise<IdentityRef> {
  const config = await getWorkspaceConfig(workspaceId);
  const cached = config.identities.get(identity.id);
  if (cached) return cached;
  const find = () => db.identity.findUnique({ where: { workspaceId_externalId: { workspaceId, externalId: identity.id } }, select: { id: true, externalId: true } });
  let found = await find();
  if (!found) {
    const avatarUrl = identity.logo_url && /^https?:\/\//.test(identity.logo_url) ? identity.logo_url : undefined;
    const metadata = identity.metadata?.length ? Object.assign({}, ...identity.metadata) : undefined;
    try {
      const created = await db.$transaction((tx) =>
        createIdentityTx(
          tx,
          workspaceId,
          { external_id: identity.id, display_name: identity.display_name, email: identity.email, avatar_url: avatarUrl, tags: identity.tags, metadata },
          'gateway',
        ),
      );
      found = { id: created.id, externalId: created.externalId };
    } catch (err) {
      // Created by a concurrent call in the meantime.
      found = await find();
      if (!found) throw err;
    }
  }
  rememberIdentity(config, found);
  return found;
}

/** The provider a router model id ("openai/gpt-4o") goes to, or a 400 naming the model field. */
export async function resolveProvider(routerModel: string): Promise<{ provider: ProviderConfig; model: string }> {
  const target = splitRouterModel(routerModel);
  if (!target) throw fieldError('invalid_request', 'model', 'must be "provider/model", e.g. "openai/gpt-4o"');
  const provider = providerConfig(target.provider);
  if (!provider) {
    const env = `TOLLBOOTH_PROVIDER_${target.provider.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_BASE_URL`;
    throw fieldError('invalid_request', 'model', `provider "${target.provider}" is not configured: set ${env}`);
  }
  return { provider, model: target.model };
}
