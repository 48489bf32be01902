import 'server-only';
import { listIdentitiesByPage, type StudioSort } from '../identities/service';
import { csvStream, microsToUsdString, type CsvValue } from './csv';

// The identities list as the Studio shows it (same filters, same sort, same 30-day metrics), every page of it.

/** Usage events per page. */
export const EXPORT_PAGE_SIZE = 1000;
/** Identities per page: each page's metrics and budgets are read with an IN list of its ids, and Prisma's SQLite driver binds at most 999 parameters. */
export const IDENTITY_EXPORT_PAGE_SIZE = 500;

export const IDENTITY_COLUMNS = [
  'id',
  'external_id',
  'display_name',
  'email',
  'tags',
  'source',
  'created_at',
  'updated_at',
  'cost_usd_30d',
  'requests_30d',
  'tokens_30d',
  'error_rate_30d',
  'unpriced_requests_30d',
  'budget_period',
  'budget_limit_usd',
  'budget_spent_usd',
  'budget_token_limit',
  'budget_tokens',
] as const;

export type IdentityExportFilters = { search?: string; tags?: string[]; sort: StudioSort; order: 'asc' | 'desc' };

/** Streams the filtered list's rows, 500 a page, all measured at one `now` so the pages agree with each other. */
export function identitiesCsv(workspaceId: string, filters: IdentityExportFilters, now: Date): ReadableStream<Uint8Array> {
  return csvStream<number>(IDENTITY_COLUMNS, async (page = 1) => {
    const result = await listIdentitiesByPage(workspaceId, { ...filters, page, pageSize: IDENTITY_EXPORT_PAGE_SIZE }, now);
    // listIdentitiesByPage clamps to the last page: an empty list still answers page 1 with no rows.
    const rows: CsvValue[][] = result.page === page ? result.rows.map(({ identity, metrics, budget }) => [
      identity.id,
      identity.externalId,
      identity.displayName,
      identity.email,
      identity.tags.join(';'),
      identity.source,
      identity.createdAt,
      identity.updatedAt,
      microsToUsdString(metrics.totalCostMicros),
      metrics.totalRequests,
      metrics.totalTokens,
      metrics.errorRate,
      metrics.unpricedRequests,
      budget?.period ?? null,
      budget?.limitMicros != null ? microsToUsdString(budget.limitMicros) : null,
      budget ? microsToUsdString(budget.spentMicros) : null,
      budget?.tokenLimit ?? null,
      budget ? budget.tokens : null,
    ]) : [];
    return { rows, next: page < result.pageCount ? page + 1 : null };
  });
}
