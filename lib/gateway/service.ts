import 'server-only';
import { ApiError, fieldError } from '../api/errors';
import { getWorkspaceConfig } from '../workspaces/config';
import { providerConfig, splitRouterModel, type ProviderConfig } from './providers';

// The environment's providers, looked up once per process: the environment does not change while it runs, and reading
// process.env costs microseconds a variable. Only providers that exist are kept (the names come from requests).
const envProviderCache = new Map<string, ProviderConfig>();
function envProvider(name: string): ProviderConfig | null {
  let provider = envProviderCache.get(name);
  if (!provider) {
    const found = providerConfig(name);
    if (!found) return null;
    envProviderCache.set(name, (provider = found));
  }
  return provider;
}

/**
 * The provider a router model id ("openai/gpt-4o") goes to: the workspace's database provider of that name,
 * else the one the environment configures; a 400 naming the model field when there is none.
 */
export async function resolveProvider(workspaceId: string, routerModel: string): Promise<{ provider: ProviderConfig; model: string }> {
  const target = splitRouterModel(routerModel);
  if (!target) throw fieldError('invalid_request', 'model', 'must be "provider/model", e.g. "openai/gpt-4o"');
  const config = await getWorkspaceConfig(workspaceId);
  const unreadable = config.unreadableProviders.get(target.provider);
  if (unreadable) throw new ApiError('internal_error', unreadable);
  const provider = config.providers.get(target.provider) ?? envProvider(target.provider);
  if (!provider) {
    const env = `TOLLBOOTH_PROVIDER_${target.provider.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_BASE_URL`;
    throw fieldError(
      'invalid_request',
      'model',
      `provider "${target.provider}" is not configured: add it in the Studio (Providers) or with POST /v2/providers, or set ${env}`,
    );
  }
  return { provider, model: target.model };
}
