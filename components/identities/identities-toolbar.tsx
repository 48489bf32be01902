'use client';

import { Select } from '../ui/input';
import { ListFilter, ListPending, ListSearch, useUrlFilters } from '../ui/list-toolbar';
import { LIST_SORTS, listHref, type ListParams, type ListSort, type SortOrder } from './list-params';
import { ExportCsvLink } from './export-csv-link';

const SORT_LABELS: Record<ListSort, [string, string]> = {
  created: ['Newest first', 'Oldest first'],
  name: ['Name (A–Z)', 'Name (Z–A)'],
  requests: ['Most requests', 'Fewest requests'],
  cost: ['Highest cost', 'Lowest cost'],
  tokens: ['Most tokens', 'Fewest tokens'],
  error_rate: ['Highest error rate', 'Lowest error rate'],
};

const SORT_OPTIONS = LIST_SORTS.flatMap((sort) => {
  const [first, second] = SORT_LABELS[sort];
  const natural: SortOrder = sort === 'name' ? 'asc' : 'desc';
  const other: SortOrder = natural === 'asc' ? 'desc' : 'asc';
  return [
    { value: `${sort}:${natural}`, label: first },
    { value: `${sort}:${other}`, label: second },
  ];
});

/** Search, tag filter and sort; every change is a navigation, so the URL is the state. */
export function IdentitiesToolbar({ params, tags }: { params: ListParams; tags: string[] }) {
  const { query, setQuery, pending, go } = useUrlFilters(params, (overrides) => listHref(params, { ...overrides, page: 1 }));

  return (
    <div className="flex flex-col gap-3 border-b border-zinc-100 px-4 py-3 sm:flex-row sm:items-center">
      <ListSearch id="identity-search" label="Search identities" placeholder="Search name, external ID or email" query={query} onQueryChange={setQuery} onSearch={(q) => go({ q })} className="sm:max-w-sm" />

      <div className="flex items-center gap-2">
        <ListFilter
          id="identity-tag"
          label="Filter by tag"
          value={params.tags[0] ?? ''}
          onChange={(tag) => go({ tags: tag ? [tag] : [] })}
          all="All tags"
          options={[...new Set([...tags, ...params.tags])].map((tag) => ({ value: tag, label: tag }))}
          className="w-auto min-w-36"
          disabled={tags.length === 0 && params.tags.length === 0}
        />

        <label htmlFor="identity-sort" className="sr-only">
          Sort by
        </label>
        <Select
          id="identity-sort"
          value={`${params.sort}:${params.order}`}
          onChange={(e) => {
            const [sort, order] = e.target.value.split(':') as [ListSort, SortOrder];
            go({ sort, order });
          }}
          className="w-auto min-w-40"
        >
          {SORT_OPTIONS.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </Select>
        <ListPending pending={pending} className="flex" />
      </div>

      {/* Every identity the filters match (all pages), with the same sort. */}
      <ExportCsvLink href={listHref(params, { page: 1 }, '/identities/export')} className="sm:ml-auto" />
    </div>
  );
}
