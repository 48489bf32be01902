'use client';

import { useEffect, useRef, useState, useTransition } from 'react';
import { useRouter } from 'next/navigation';
import { Search, X } from 'lucide-react';
import { Spinner } from './button';
import { Input, Select } from './input';
import { cn } from './cn';

/**
 * A list's search and filters kept in the URL: every change is a navigation, so the URL is the state.
 * `hrefFor` builds the list's URL from the changed params (back to page 1).
 */
export function useUrlFilters<P extends { q: string }>(params: P, hrefFor: (overrides: Partial<P>) => string) {
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
  const go = (overrides: Partial<P>) => {
    if (overrides.q !== undefined) requested.current = overrides.q;
    startTransition(() => router.push(hrefFor(overrides), { scroll: false }));
  };

  // Search as you type (debounced); Enter searches at once.
  const goRef = useRef(go);
  useEffect(() => {
    goRef.current = go;
  });
  useEffect(() => {
    const q = query.trim();
    if (q === params.q || (pending && q === requested.current)) return;
    const timer = setTimeout(() => goRef.current({ q } as Partial<P>), 350);
    return () => clearTimeout(timer);
  }, [query, params.q, pending]);

  return { query, setQuery, pending, go };
}

/** The list's search box: a labelled search input with a clear button; Enter searches at once. */
export function ListSearch({
  id,
  label,
  placeholder,
  query,
  onQueryChange,
  onSearch,
  className,
}: {
  id: string;
  label: string;
  placeholder: string;
  query: string;
  onQueryChange: (query: string) => void;
  onSearch: (q: string) => void;
  className?: string;
}) {
  return (
    <form
      role="search"
      className={cn('relative flex-1', className)}
      onSubmit={(e) => {
        e.preventDefault();
        onSearch(query.trim());
      }}
    >
      <label htmlFor={id} className="sr-only">
        {label}
      </label>
      <Search className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-zinc-400" aria-hidden="true" />
      <Input
        id={id}
        type="search"
        value={query}
        onChange={(e) => onQueryChange(e.target.value)}
        placeholder={placeholder}
        className="pr-8 pl-9 [&::-webkit-search-cancel-button]:hidden"
        autoComplete="off"
      />
      {query && (
        <button
          type="button"
          onClick={() => {
            onQueryChange('');
            onSearch('');
          }}
          className="absolute top-1/2 right-2 -translate-y-1/2 rounded p-0.5 text-zinc-400 hover:text-zinc-700 focus-visible:outline-2 focus-visible:outline-brand-500"
          aria-label="Clear search"
        >
          <X className="size-4" aria-hidden="true" />
        </button>
      )}
    </form>
  );
}

/** A spinner beside the filters while the list navigates. */
export function ListPending({ pending, className }: { pending: boolean; className?: string }) {
  return (
    <span className={cn('size-5 items-center justify-center text-zinc-400', className)} aria-hidden={!pending}>
      {pending && <Spinner className="size-4" />}
      {pending && <span className="sr-only">Loading</span>}
    </span>
  );
}

/** A labelled filter select, highlighted while it narrows the list; '' is the "all" option. */
export function ListFilter<V extends string>({
  id,
  label,
  value,
  onChange,
  all,
  options,
  className,
  disabled,
}: {
  id: string;
  label: string;
  value: V | '';
  onChange: (value: V | '') => void;
  /** The unfiltered option, e.g. "All scopes". */
  all: string;
  options: readonly { value: V; label: string }[];
  className?: string;
  disabled?: boolean;
}) {
  return (
    <>
      <label htmlFor={id} className="sr-only">
        {label}
      </label>
      <Select
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value as V | '')}
        className={cn(className, value !== '' && 'border-brand-500 bg-brand-50/50')}
        disabled={disabled}
      >
        <option value="">{all}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </Select>
    </>
  );
}
