'use client';

import { ListPending, ListSearch, useUrlFilters } from '../ui/list-toolbar';
import { deploymentListHref, type DeploymentListParams } from './list-params';

/** Search by key, model or description, kept in the URL. */
export function DeploymentsToolbar({ params }: { params: DeploymentListParams }) {
  const { query, setQuery, pending, go } = useUrlFilters(params, (overrides) => deploymentListHref(params, { ...overrides, page: 1 }));
  return (
    <div className="flex items-center gap-3 border-b border-zinc-100 px-4 py-3">
      <ListSearch
        id="deployment-search"
        label="Search deployments"
        placeholder="Search key, model or description"
        query={query}
        onQueryChange={setQuery}
        onSearch={(q) => go({ q })}
        className="sm:max-w-sm"
      />
      <ListPending pending={pending} className="flex shrink-0" />
    </div>
  );
}
