'use client';

import { ListFilter, ListPending, ListSearch, useUrlFilters } from '../ui/list-toolbar';
import { periodLabel } from '../format';
import { budgetListHref, PERIOD_FILTERS, type BudgetListParams, type StateFilter } from './list-params';
import { SCOPE_KIND_LABELS, SCOPE_KIND_ORDER } from './scope-labels';

const STATE_LABELS: Record<StateFilter, string> = { active: 'Active', paused: 'Paused', expired: 'Expired' };

/** Search and the scope, period and state filters; every change is a navigation, so the URL is the state. */
export function BudgetsToolbar({ params }: { params: BudgetListParams }) {
  const { query, setQuery, pending, go } = useUrlFilters(params, (overrides) => budgetListHref(params, { ...overrides, page: 1 }));

  return (
    <div className="flex flex-col gap-3 border-b border-zinc-100 px-4 py-3 lg:flex-row lg:items-center">
      <ListSearch id="budget-search" label="Search budgets" placeholder="Search identity, API key, provider or model" query={query} onQueryChange={setQuery} onSearch={(q) => go({ q })} className="lg:max-w-sm" />

      <div className="flex items-center gap-2">
        {/* Stacked on phones, three equal columns on tablets, side by side at their natural width on large screens. */}
        <div className="grid flex-1 grid-cols-1 gap-2 sm:grid-cols-3 lg:flex-none">
          <ListFilter
            id="budget-scope"
            label="Filter by scope"
            value={params.scope}
            onChange={(scope) => go({ scope })}
            all="All scopes"
            options={SCOPE_KIND_ORDER.map((kind) => ({ value: kind, label: SCOPE_KIND_LABELS[kind] }))}
            className="lg:min-w-36"
          />
          <ListFilter
            id="budget-period"
            label="Filter by period"
            value={params.period}
            onChange={(period) => go({ period })}
            all="All periods"
            options={PERIOD_FILTERS.map((period) => ({ value: period, label: periodLabel(period) }))}
            className="lg:min-w-36"
          />
          <ListFilter
            id="budget-state"
            label="Filter by state"
            value={params.state}
            onChange={(state) => go({ state })}
            all="Any state"
            options={(Object.keys(STATE_LABELS) as StateFilter[]).map((state) => ({ value: state, label: STATE_LABELS[state] }))}
            className="lg:min-w-36"
          />
        </div>
        {/* Beside the filters from tablets up; stacked phone filters keep the full width. */}
        <ListPending pending={pending} className="hidden shrink-0 sm:flex" />
      </div>
    </div>
  );
}
