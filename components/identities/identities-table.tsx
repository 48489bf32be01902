import Link from 'next/link';
import { ArrowDown, ArrowUp, ArrowUpDown, CircleAlert } from 'lucide-react';
import type { IdentityListRow } from '../../lib/identities/service';
import { formatCompact, formatInteger, formatMicros, formatPercent } from '../format';
import { cn } from '../ui/cn';
import { Table, TBody, TD, TH, THead, TR } from '../ui/table';
import { BudgetSummary } from './budget-summary';
import { UserText } from '../ui/user-text';
import { IdentityAvatar } from './identity-avatar';
import { SourceBadge } from './source-badge';
import { sortHref, type ListParams, type ListSort } from './list-params';

function SortableTH({ params, sort, label, align = 'right' }: { params: ListParams; sort: ListSort; label: string; align?: 'left' | 'right' }) {
  const active = params.sort === sort;
  const Icon = !active ? ArrowUpDown : params.order === 'asc' ? ArrowUp : ArrowDown;
  return (
    <TH align={align} aria-sort={active ? (params.order === 'asc' ? 'ascending' : 'descending') : undefined}>
      <Link
        href={sortHref(params, sort)}
        scroll={false}
        className={cn(
          'group inline-flex items-center gap-1 rounded hover:text-zinc-900 focus-visible:outline-2 focus-visible:outline-brand-500',
          active && 'text-zinc-900',
        )}
      >
        {label}
        <Icon className={cn('size-3.5', active ? 'text-brand-600' : 'text-zinc-300 group-hover:text-zinc-500')} aria-hidden="true" />
        <span className="sr-only">{active ? `, sorted ${params.order === 'asc' ? 'ascending' : 'descending'}` : ', sort'}</span>
      </Link>
    </TH>
  );
}

/** One row per identity: who, where from, 30-day metrics and budget use. */
export function IdentitiesTable({ rows, params }: { rows: IdentityListRow[]; params: ListParams }) {
  return (
    <Table label="Identities">
      <THead>
        <tr>
          <SortableTH params={params} sort="name" label="Identity" align="left" />
          <TH>Source</TH>
          <SortableTH params={params} sort="requests" label="Requests" />
          <SortableTH params={params} sort="cost" label="Cost" />
          <SortableTH params={params} sort="tokens" label="Tokens" />
          <SortableTH params={params} sort="error_rate" label="Error rate" />
          <TH>Budget</TH>
        </tr>
      </THead>
      <TBody>
        {rows.map(({ identity, metrics, budget }) => {
          const name = identity.displayName || identity.externalId;
          return (
            <TR key={identity.id} data-identity-row={identity.externalId}>
              <TD className="min-w-56 max-w-72">
                <div className="flex min-w-0 items-center gap-3">
                  <IdentityAvatar name={name} seed={identity.externalId} src={identity.avatarUrl} />
                  <div className="min-w-0">
                    <Link
                      href={`/identities/${identity.id}`}
                      className="block truncate font-medium text-zinc-900 hover:text-brand-700 hover:underline focus-visible:outline-2 focus-visible:outline-brand-500"
                    >
                      <UserText text={name} truncate />
                    </Link>
                    <p className="font-mono text-xs text-zinc-500">
                      <UserText text={identity.externalId} truncate />
                    </p>
                  </div>
                </div>
              </TD>
              <TD>
                <SourceBadge source={identity.source} />
              </TD>
              <TD align="right">{formatInteger(metrics.totalRequests)}</TD>
              <TD align="right">
                <span className="inline-flex items-center gap-1">
                  {metrics.unpricedRequests > 0 && (
                    <span title={`${formatInteger(metrics.unpricedRequests)} request(s) could not be priced`}>
                      <CircleAlert className="size-3.5 text-amber-500" aria-label="Some requests unpriced" />
                    </span>
                  )}
                  {formatMicros(metrics.totalCostMicros)}
                </span>
              </TD>
              <TD align="right" title={formatInteger(metrics.totalTokens)}>
                {formatCompact(metrics.totalTokens)}
              </TD>
              <TD align="right" className={cn(metrics.errorRate >= 0.05 && 'text-red-700', metrics.totalRequests === 0 && 'text-zinc-500')}>
                {metrics.totalRequests === 0 ? '—' : formatPercent(metrics.errorRate)}
              </TD>
              <TD>
                <BudgetSummary budget={budget} />
              </TD>
            </TR>
          );
        })}
      </TBody>
    </Table>
  );
}
