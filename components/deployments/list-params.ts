// The deployments list view lives in the URL (?q=&page=&size=), so it can be shared and the back button works.
import { DEFAULT_PAGE_SIZE, PAGE_SIZES } from '../identities/list-params';

export { PAGE_SIZES };

export type DeploymentListParams = { q: string; page: number; size: number };

type RawParams = Record<string, string | string[] | undefined>;

const first = (v: string | string[] | undefined): string => (Array.isArray(v) ? (v[0] ?? '') : (v ?? ''));

/** Lenient: anything unknown falls back to the default instead of an error page. */
export function parseDeploymentListParams(raw: RawParams): DeploymentListParams {
  const page = Number.parseInt(first(raw.page), 10);
  const size = Number.parseInt(first(raw.size), 10);
  return {
    q: first(raw.q).trim().slice(0, 200),
    page: Number.isFinite(page) && page > 0 ? page : 1,
    size: (PAGE_SIZES as readonly number[]).includes(size) ? size : DEFAULT_PAGE_SIZE,
  };
}

/** URL of a list view; default values are left out to keep links short. */
export function deploymentListHref(params: DeploymentListParams, overrides: Partial<DeploymentListParams> = {}): string {
  const p = { ...params, ...overrides };
  const sp = new URLSearchParams();
  if (p.q) sp.set('q', p.q);
  if (p.page > 1) sp.set('page', String(p.page));
  if (p.size !== DEFAULT_PAGE_SIZE) sp.set('size', String(p.size));
  const query = sp.toString();
  return query ? `/deployments?${query}` : '/deployments';
}
