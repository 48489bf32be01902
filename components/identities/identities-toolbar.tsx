'use client';

import { useEffect, useRef, useState, useTransition } from 'react';
import { useRouter } from 'next/navigation';
import { Search, X } from 'lucide-react';
import { Spinner } from '../ui/button';
import { Input, Select } from '../ui/input';
import { cn } from '../ui/cn';
import { LIST_SORTS, listHref, type ListParams, type ListSort, type SortOrder } from './list-params';

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
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [query, setQuery] = useState(params.q);
  const [urlQuery, setUrlQuery] = useState(params.q);
  // Back/forward changes the URL: follow it.
  if (params.q !== urlQuery) {
    setUrlQuery(params.q);
    setQuery(params.q);
  }

  const requested = useRef(params.q);
  const go = (overrides: Partial<ListParams>) => {
    if (overrides.q !== undefined) requested.current = overrides.q;
    startTransition(() => router.push(listHref(params, { ...overrides, page: 1 }), { scroll: false }));
  };

  // Search as you type (debounced); Enter searches at once.
  const goRef = useRef(go);
  useEffect(() => {
    goRef.current = go;
  });
  useEffect(() => {
    const q = query.trim();
    if (q === params.q || (pending && q === requested.current)) return;
    const timer = setTimeout(() => goRef.current({ q }), 350);
    return () => clearTimeout(timer);
  }, [query, params.q, pending]);

  return (
    <div className="flex flex-col gap-3 border-b border-zinc-100 px-4 py-3 sm:flex-row sm:items-center">
      <form
        role="search"
        className="relative flex-1 sm:max-w-sm"
        onSubmit={(e) => {
          e.preventDefault();
          go({ q: query.trim() });
        }}
      >
        <label htmlFor="identity-search" className="sr-only">
          Search identities
        </label>
        <Search className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-zinc-400" aria-hidden="true" />
        <Input
          id="identity-search"
          type="search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          placeholder="Search name, external ID or email"
          className="pr-8 pl-9 [&::-webkit-search-cancel-button]:hidden"
          autoComplete="off"
        />
        {query && (
          <button
            type="button"
            onClick={() => {
              setQuery('');
              go({ q: '' });
            }}
            className="absolute top-1/2 right-2 -translate-y-1/2 rounded p-0.5 text-zinc-400 hover:text-zinc-700 focus-visible:outline-2 focus-visible:outline-brand-500"
            aria-label="Clear search"
          >
            <X className="size-4" aria-hidden="true" />
          </button>
        )}
      </form>

      <div className="flex items-center gap-2">
        <label htmlFor="identity-tag" className="sr-only">
          Filter by tag
        </label>
        <Select
          id="identity-tag"
          value={params.tags[0] ?? ''}
          onChange={(e) => go({ tags: e.target.value ? [e.target.value] : [] })}
          className={cn('w-auto min-w-36', params.tags.length > 0 && 'border-brand-500 bg-brand-50/50')}
          disabled={tags.length === 0 && params.tags.length === 0}
        >
          <option value="">All tags</option>
          {[...new Set([...tags, ...params.tags])].map((tag) => (
            <option key={tag} value={tag}>
              {tag}
            </option>
          ))}
        </Select>

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
        <span className="flex size-5 items-center justify-center text-zinc-400" aria-hidden={!pending}>
          {pending && <Spinner className="size-4" />}
          {pending && <span className="sr-only">Loading</span>}
        </span>
      </div>
    </div>
  );
}
