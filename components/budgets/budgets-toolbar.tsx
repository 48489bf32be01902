'use client';

import { useEffect, useRef, useState, useTransition } from 'react';
import { useRouter } from 'next/navigation';
import { Search, X } from 'lucide-react';
import { Spinner } from '../ui/button';
import { Input, Select } from '../ui/input';
import { cn } from '../ui/cn';
import { periodLabel } from '../format';
import { budgetListHref, PERIOD_FILTERS, type BudgetListParams, type PeriodFilter, type ScopeFilter, type StateFilter } from './list-params';
import { SCOPE_KIND_LABELS, SCOPE_KIND_ORDER } from './scope-labels';

const STATE_LABELS: Record<StateFilter, string> = { active: 'Active', paused: 'Paused', expired: 'Expired' };

/** Search and the scope, period and state filters; every change is a navigation, so the URL is the state. */
export function BudgetsToolbar({ params }: { params: BudgetListParams }) {
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
  const go = (overrides: Partial<BudgetListParams>) => {
    if (overrides.q !== undefined) requested.current = overrides.q;
    startTransition(() => router.push(budgetListHref(params, { ...overrides, page: 1 }), { scroll: false }));
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

  const filterClass = (on: boolean) => cn('lg:min-w-36', on && 'border-brand-500 bg-brand-50/50');

  return (
    <div className="flex flex-col gap-3 border-b border-zinc-100 px-4 py-3 lg:flex-row lg:items-center">
      <form
        role="search"
        className="relative flex-1 lg:max-w-sm"
        onSubmit={(e) => {
          e.preventDefault();
          go({ q: query.trim() });
        }}
      >
        <label htmlFor="budget-search" className="sr-only">
          Search budgets
        </label>
        <Search className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-zinc-400" aria-hidden="true" />
        <Input
          id="budget-search"
          type="search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          placeholder="Search identity, provider or model"
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
        {/* Stacked on phones, three equal columns on tablets, side by side at their natural width on large screens. */}
        <div className="grid flex-1 grid-cols-1 gap-2 sm:grid-cols-3 lg:flex-none">
          <label htmlFor="budget-scope" className="sr-only">
            Filter by scope
          </label>
          <Select id="budget-scope" value={params.scope} onChange={(e) => go({ scope: e.target.value as ScopeFilter | '' })} className={filterClass(params.scope !== '')}>
            <option value="">All scopes</option>
            {SCOPE_KIND_ORDER.map((kind) => (
              <option key={kind} value={kind}>
                {SCOPE_KIND_LABELS[kind]}
              </option>
            ))}
          </Select>

          <label htmlFor="budget-period" className="sr-only">
            Filter by period
          </label>
          <Select id="budget-period" value={params.period} onChange={(e) => go({ period: e.target.value as PeriodFilter | '' })} className={filterClass(params.period !== '')}>
            <option value="">All periods</option>
            {PERIOD_FILTERS.map((period) => (
              <option key={period} value={period}>
                {periodLabel(period)}
              </option>
            ))}
          </Select>

          <label htmlFor="budget-state" className="sr-only">
            Filter by state
          </label>
          <Select id="budget-state" value={params.state} onChange={(e) => go({ state: e.target.value as StateFilter | '' })} className={filterClass(params.state !== '')}>
            <option value="">Any state</option>
            {(Object.keys(STATE_LABELS) as StateFilter[]).map((state) => (
              <option key={state} value={state}>
                {STATE_LABELS[state]}
              </option>
            ))}
          </Select>
        </div>
        {/* Beside the filters from tablets up; stacked phone filters keep the full width. */}
        <span className="hidden size-5 shrink-0 items-center justify-center text-zinc-400 sm:flex" aria-hidden={!pending}>
          {pending && <Spinner className="size-4" />}
          {pending && <span className="sr-only">Loading</span>}
        </span>
      </div>
    </div>
  );
}
