// The budgets list view lives in the URL (?scope=&period=&state=&q=&page=&size=), so it can be shared and the back button works.
import { DEFAULT_PAGE_SIZE, PAGE_SIZES } from '../identities/list-params';

export { PAGE_SIZES };

export const SCOPE_FILTERS = ['workspace', 'identity', 'api_key', 'provider', 'model'] as const;
export type ScopeFilter = (typeof SCOPE_FILTERS)[number];
export const PERIOD_FILTERS = ['daily', 'weekly', 'monthly', 'yearly', 'one_time'] as const;
export type PeriodFilter = (typeof PERIOD_FILTERS)[number];
export const STATE_FILTERS = ['active', 'paused', 'expired'] as const;
export type StateFilter = (typeof STATE_FILTERS)[number];

export type BudgetListParams = { q: string; scope: ScopeFilter | ''; period: PeriodFilter | ''; state: StateFilter | ''; page: number; size: number };

export const DEFAULT_BUDGET_LIST_PARAMS: BudgetListParams = { q: '', scope: '', period: '', state: '', page: 1, size: DEFAULT_PAGE_SIZE };

type RawParams = Record<string, string | string[] | undefined>;

const first = (v: string | string[] | undefined): string => (Array.isArray(v) ? (v[0] ?? '') : (v ?? ''));

const oneOf = <T extends string>(values: readonly T[], raw: string): T | '' => ((values as readonly string[]).includes(raw) ? (raw as T) : '');

/** Lenient: anything unknown falls back to the default instead of an error page. */
export function parseBudgetListParams(raw: RawParams): BudgetListParams {
  const page = Number.parseInt(first(raw.page), 10);
  const size = Number.parseInt(first(raw.size), 10);
  return {
    q: first(raw.q).trim().slice(0, 200),
    scope: oneOf(SCOPE_FILTERS, first(raw.scope)),
    period: oneOf(PERIOD_FILTERS, first(raw.period)),
    state: oneOf(STATE_FILTERS, first(raw.state)),
    page: Number.isFinite(page) && page > 0 ? page : 1,
    size: (PAGE_SIZES as readonly number[]).includes(size) ? size : DEFAULT_PAGE_SIZE,
  };
}

/** URL of a list view; default values are left out to keep links short. */
export function budgetListHref(params: BudgetListParams, overrides: Partial<BudgetListParams> = {}): string {
  const p = { ...params, ...overrides };
  const sp = new URLSearchParams();
  if (p.scope) sp.set('scope', p.scope);
  if (p.period) sp.set('period', p.period);
  if (p.state) sp.set('state', p.state);
  if (p.q) sp.set('q', p.q);
  if (p.page > 1) sp.set('page', String(p.page));
  if (p.size !== DEFAULT_PAGE_SIZE) sp.set('size', String(p.size));
  const query = sp.toString();
  return query ? `/budgets?${query}` : '/budgets';
}

export const hasBudgetFilters = (p: BudgetListParams): boolean => p.q !== '' || p.scope !== '' || p.period !== '' || p.state !== '';
