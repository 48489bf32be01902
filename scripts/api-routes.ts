// Every API route handler of app/, served by the server's own listener (scripts/server.ts, lib/http/api-router.ts)
// rather than through Next's router. Next still builds and could serve each of them; a route file missing here would
// simply be answered by Next (lib/http/api-router.test.ts checks that none is).
import { apiRoute, type ApiRoute } from '../lib/http/api-router';
import * as api_health from '../app/api/health/route';
import * as metrics from '../app/metrics/route';
import * as v2_all_path from '../app/v2/[...path]/route';
import * as v2_audit_log from '../app/v2/audit-log/route';
import * as v2_budgets_by_budgetId_reset_consumption from '../app/v2/budgets/[budgetId]/reset-consumption/route';
import * as v2_budgets_by_budgetId from '../app/v2/budgets/[budgetId]/route';
import * as v2_budgets from '../app/v2/budgets/route';
import * as v2_deployments_by_deploymentId from '../app/v2/deployments/[deploymentId]/route';
import * as v2_deployments_get_config from '../app/v2/deployments/get_config/route';
import * as v2_deployments_invoke from '../app/v2/deployments/invoke/route';
import * as v2_deployments from '../app/v2/deployments/route';
import * as v2_deployments_stream from '../app/v2/deployments/stream/route';
import * as v2_identities_by_identityId from '../app/v2/identities/[identityId]/route';
import * as v2_identities from '../app/v2/identities/route';
import * as v2_notifiers_by_notifierId_deliveries from '../app/v2/notifiers/[notifierId]/deliveries/route';
import * as v2_notifiers_by_notifierId from '../app/v2/notifiers/[notifierId]/route';
import * as v2_notifiers_by_notifierId_test from '../app/v2/notifiers/[notifierId]/test/route';
import * as v2_notifiers from '../app/v2/notifiers/route';
import * as v2_openapi_json from '../app/v2/openapi.json/route';
import * as v2_prices_by_priceId from '../app/v2/prices/[priceId]/route';
import * as v2_prices_reprice from '../app/v2/prices/reprice/route';
import * as v2_prices from '../app/v2/prices/route';
import * as v2_providers_by_providerId from '../app/v2/providers/[providerId]/route';
import * as v2_providers_by_providerId_test from '../app/v2/providers/[providerId]/test/route';
import * as v2_providers from '../app/v2/providers/route';
import * as v2_router_chat_completions from '../app/v2/router/chat/completions/route';
import * as v2_router_embeddings from '../app/v2/router/embeddings/route';
import * as v2_settings from '../app/v2/settings/route';
import * as v2_usage_check from '../app/v2/usage/check/route';
import * as v2_usage from '../app/v2/usage/route';
import * as v3_all_path from '../app/v3/[...path]/route';
import * as v3_router_chat_completions from '../app/v3/router/chat/completions/route';

type RouteModule = Record<string, unknown>;

export const API_ROUTES: ApiRoute[] = [
  apiRoute('app/api/health/route.ts', api_health as RouteModule),
  apiRoute('app/metrics/route.ts', metrics as RouteModule),
  apiRoute('app/v2/[...path]/route.ts', v2_all_path as RouteModule),
  apiRoute('app/v2/audit-log/route.ts', v2_audit_log as RouteModule),
  apiRoute('app/v2/budgets/[budgetId]/reset-consumption/route.ts', v2_budgets_by_budgetId_reset_consumption as RouteModule),
  apiRoute('app/v2/budgets/[budgetId]/route.ts', v2_budgets_by_budgetId as RouteModule),
  apiRoute('app/v2/budgets/route.ts', v2_budgets as RouteModule),
  apiRoute('app/v2/deployments/[deploymentId]/route.ts', v2_deployments_by_deploymentId as RouteModule),
  apiRoute('app/v2/deployments/get_config/route.ts', v2_deployments_get_config as RouteModule),
  apiRoute('app/v2/deployments/invoke/route.ts', v2_deployments_invoke as RouteModule),
  apiRoute('app/v2/deployments/route.ts', v2_deployments as RouteModule),
  apiRoute('app/v2/deployments/stream/route.ts', v2_deployments_stream as RouteModule),
  apiRoute('app/v2/identities/[identityId]/route.ts', v2_identities_by_identityId as RouteModule),
  apiRoute('app/v2/identities/route.ts', v2_identities as RouteModule),
  apiRoute('app/v2/notifiers/[notifierId]/deliveries/route.ts', v2_notifiers_by_notifierId_deliveries as RouteModule),
  apiRoute('app/v2/notifiers/[notifierId]/route.ts', v2_notifiers_by_notifierId as RouteModule),
  apiRoute('app/v2/notifiers/[notifierId]/test/route.ts', v2_notifiers_by_notifierId_test as RouteModule),
  apiRoute('app/v2/notifiers/route.ts', v2_notifiers as RouteModule),
  apiRoute('app/v2/openapi.json/route.ts', v2_openapi_json as RouteModule),
  apiRoute('app/v2/prices/[priceId]/route.ts', v2_prices_by_priceId as RouteModule),
  apiRoute('app/v2/prices/reprice/route.ts', v2_prices_reprice as RouteModule),
  apiRoute('app/v2/prices/route.ts', v2_prices as RouteModule),
  apiRoute('app/v2/providers/[providerId]/route.ts', v2_providers_by_providerId as RouteModule),
  apiRoute('app/v2/providers/[providerId]/test/route.ts', v2_providers_by_providerId_test as RouteModule),
  apiRoute('app/v2/providers/route.ts', v2_providers as RouteModule),
  apiRoute('app/v2/router/chat/completions/route.ts', v2_router_chat_completions as RouteModule),
  apiRoute('app/v2/router/embeddings/route.ts', v2_router_embeddings as RouteModule),
  apiRoute('app/v2/settings/route.ts', v2_settings as RouteModule),
  apiRoute('app/v2/usage/check/route.ts', v2_usage_check as RouteModule),
  apiRoute('app/v2/usage/route.ts', v2_usage as RouteModule),
  apiRoute('app/v3/[...path]/route.ts', v3_all_path as RouteModule),
  apiRoute('app/v3/router/chat/completions/route.ts', v3_router_chat_completions as RouteModule),
];
