// The identities list view lives in the URL (?q=&tag=&sort=&order=&page=&size=), so it can be shared and the back button works.
export const LIST_SORTS = ['created', 'name', 'requests', 'cost', 'tokens', 'error_rate'] as const;
export type ListSort = (typeof LIST_SORTS)[number];
export type SortOrder = 'asc' | 'desc';
export const PAGE_SIZES = [10, 20, 50, 100] as const;
export const DEFAULT_PAGE_SIZE = 20;

export type ListParams = { q: string; tags: string[]; sort: ListSort; order: SortOrder; page: number; size: number };

export const DEFAULT_LIST_PARAMS: ListParams = { q: '', tags: [], sort: 'created', order: 'desc', page: 1, size: DEFAULT_PAGE_SIZE };

/** Natural first direction of a column: names A→Z, everything else biggest (or newest) first. */
export const defaultOrder = (sort: ListSort): SortOrder => (sort === 'name' ? 'asc' : 'desc');

type RawParams = Record<string, string | string[] | undefined>;

const first = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

/** Lenient: anything unknown falls back to the default instead of an error page. */
export function parseListParams(raw: RawParams): ListParams {
  const sortRaw = first(raw.sort);
  const sort = (LIST_SORTS as readonly string[]).includes(sortRaw ?? '') ? (sortRaw as ListSort) : DEFAULT_LIST_PARAMS.sort;
  const orderRaw = first(raw.order);
  const order: SortOrder = orderRaw === 'asc' || orderRaw === 'desc' ? orderRaw : defaultOrder(sort);
  const page = Number.parseInt(first(raw.page) ?? '', 10);
  const size = Number.parseInt(first(raw.size) ?? '', 10);
  const tagList = Array.isArray(raw.tag) ? raw.tag : raw.tag ? [raw.tag] : [];
  return {
    q: (first(raw.q) ?? '').trim().slice(0, 200),
    tags: [...new Set(tagList.map((t) => t.trim()).filter(Boolean))],
    sort,
    order,
    page: Number.isFinite(page) && page > 0 ? page : 1,
    size: (PAGE_SIZES as readonly number[]).includes(size) ? size : DEFAULT_PAGE_SIZE,
  };
}

/** URL of a list view; default values are left out to keep links short. */
export function listHref(params: ListParams, overrides: Partial<ListParams> = {}, base = '/identities'): string {
  const p = { ...params, ...overrides };
  const sp = new URLSearchParams();
  if (p.q) sp.set('q', p.q);
  for (const tag of p.tags) sp.append('tag', tag);
  if (p.sort !== DEFAULT_LIST_PARAMS.sort) sp.set('sort', p.sort);
  if (p.order !== defaultOrder(p.sort)) sp.set('order', p.order);
  if (p.page > 1) sp.set('page', String(p.page));
  if (p.size !== DEFAULT_PAGE_SIZE) sp.set('size', String(p.size));
  const query = sp.toString();
  return query ? `${base}?${query}` : base;
}

/** Where a click on a column header goes: same column flips the order, a new column starts at its natural order. */
export function sortHref(params: ListParams, sort: ListSort): string {
  const order: SortOrder = params.sort === sort ? (params.order === 'asc' ? 'desc' : 'asc') : defaultOrder(sort);
  return listHref(params, { sort, order, page: 1 });
}

export const hasFilters = (p: ListParams): boolean => p.q !== '' || p.tags.length > 0;
