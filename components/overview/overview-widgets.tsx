import Link from 'next/link';
import { cache } from 'react';
import { db } from '@/lib/db';
import { microsToUsd } from '@/lib/money';
import {
  getBudgetsAtRisk,
  getRecentRefusals,
  getSpendSplit,
  getTopIdentities,
  getUsageSeries,
  NEAR_LIMIT_PERCENT,
  overviewWindow,
  type OverviewWindow,
  type SpendSlice,
} from '@/lib/overview/service';
import { Badge } from '../ui/badge';
import { Card, CardHeader } from '../ui/card';
import { cn } from '../ui/cn';
import { Stat } from '../ui/stat';
import { Table, TBody, TD, TH, THead, TR } from '../ui/table';
import { UserText } from '../ui/user-text';
import { formatCompact, formatDateTime, formatInteger, formatMicros, formatMicrosTogether, formatPercent, formatShortDateTime, plural } from '../format';
import { UsageCharts } from '../identities/usage-charts';
import { budgetTone, TONE_STYLES } from '../identities/budget-tone';
import { budgetAmounts } from '../identities/budget-amounts';
import { budgetListHref, DEFAULT_BUDGET_LIST_PARAMS, type ScopeFilter } from '../budgets/list-params';
import { isScopeKind, SCOPE_KIND_LABELS } from '../budgets/scope-labels';
import { SPEND_COLORS, SpendBars } from './spend-bars';

// The Overview's widgets: each fetches its own data (wrapped in <Suspense> by the page), every number links to the
// list behind it.

const link = 'rounded hover:text-brand-700 hover:underline focus-visible:outline-2 focus-visible:outline-brand-500';

/** Identities sorted by a 30-day metric: the list behind a workspace total. */
const identitiesBy = (sort: 'cost' | 'requests' | 'tokens' | 'error_rate') => `/identities?sort=${sort}`;

/** The budgets list narrowed to one budget's scope (and target, where the list's search can match it). */
export function budgetHref(scopeKind: string, scopeTargetId: string): string {
  const scope: ScopeFilter | '' = isScopeKind(scopeKind) ? scopeKind : '';
  const q = scopeKind === 'identity' || scopeKind === 'provider' || scopeKind === 'model' ? scopeTargetId : '';
  return budgetListHref({ ...DEFAULT_BUDGET_LIST_PARAMS, scope, q });
}

/** The rollup's series, read once per request: the summary shows it, the spend split checks its cached days against it. */
const seriesOf = cache((workspaceId: string, days: number, nowMs: number) => getUsageSeries(db, workspaceId, overviewWindow(days, new Date(nowMs))));
const usageSeries = (workspaceId: string, window: OverviewWindow) => seriesOf(workspaceId, window.days, window.until.getTime() - 1);

const identityName = (i: { displayName: string | null; externalId: string }) => i.displayName || i.externalId;

export async function UsageSummary({ workspaceId, window }: { workspaceId: string; window: OverviewWindow }) {
  const { totals, days } = await usageSeries(workspaceId, window);
  const errorRate = totals.requests > 0 ? totals.errors / totals.requests : 0;
  const chart = days.map((d) => ({ day: d.day, costUsd: microsToUsd(d.costMicros), requests: d.requests, tokens: d.tokens, errors: d.errors }));
  return (
    <>
      <dl className="grid grid-cols-2 gap-3 lg:grid-cols-4" data-testid="overview-stats">
        <Stat
          label="Spend"
          value={
            <Link href={identitiesBy('cost')} className={link} data-testid="stat-spend" title={formatMicros(totals.costMicros, 'exact')}>
              {formatMicros(totals.costMicros)}
            </Link>
          }
          hint={totals.unpricedRequests > 0 ? `${formatInteger(totals.unpricedRequests)} unpriced requests` : undefined}
        />
        <Stat
          label="Requests"
          value={
            <Link href={identitiesBy('requests')} className={link} data-testid="stat-requests">
              {formatInteger(totals.requests)}
            </Link>
          }
        />
        <Stat
          label="Tokens"
          value={
            <Link href={identitiesBy('tokens')} className={link} data-testid="stat-tokens" title={formatInteger(totals.tokens)}>
              {formatCompact(totals.tokens)}
            </Link>
          }
        />
        <Stat
          label="Error rate"
          value={
            totals.requests > 0 ? (
              <Link href={identitiesBy('error_rate')} className={link} data-testid="stat-error-rate">
                {formatPercent(errorRate)}
              </Link>
            ) : (
              '—'
            )
          }
          hint={totals.errors > 0 ? plural(totals.errors, 'failed request') : undefined}
          tone={errorRate >= 0.05 ? 'danger' : undefined}
        />
      </dl>
      <Card className="mt-6" aria-labelledby="daily-title">
        <CardHeader id="daily-title" title="Per day" description={`Per UTC day, last ${window.days} days`} />
        <UsageCharts data={chart} />
      </Card>
    </>
  );
}

function SpendTable({ slices, kind, label }: { slices: SpendSlice[]; kind: 'model' | 'provider'; label: string }) {
  const total = slices.reduce((s, x) => s + x.costMicros, 0n);
  return (
    <Table label={label}>
      <THead>
        <tr>
          <TH>{kind === 'model' ? 'Model' : 'Provider'}</TH>
          <TH align="right">Spend</TH>
          <TH align="right">Share</TH>
          <TH align="right">Requests</TH>
          <TH align="right">Tokens</TH>
        </tr>
      </THead>
      <TBody>
        {slices.map((s, i) => (
          <TR key={`${s.provider}/${s.model}`} data-slice={sliceLabel(s, kind)}>
            <TD className="max-w-44" title={sliceLabel(s, kind)}>
              <span className="flex min-w-0 items-center gap-2">
                <span aria-hidden="true" className="size-2.5 shrink-0 rounded-sm" style={{ background: SPEND_COLORS[Math.min(i, SPEND_COLORS.length - 1)] }} />
                <span className={cn('truncate', kind === 'model' && 'font-mono text-[13px]')}>
                  {kind === 'provider' && s.provider ? (
                    <Link href="/providers" className={link}>
                      <UserText text={s.provider} />
                    </Link>
                  ) : (
                    <UserText text={sliceLabel(s, kind)} />
                  )}
                </span>
              </span>
            </TD>
            <TD align="right" title={formatMicros(s.costMicros, 'exact')}>
              {formatMicros(s.costMicros)}
            </TD>
            <TD align="right" className="text-zinc-500">
              {total > 0n ? formatPercent(Number(s.costMicros) / Number(total)) : '—'}
            </TD>
            <TD align="right">{formatInteger(s.requests)}</TD>
            <TD align="right" title={formatInteger(s.tokens)}>
              {formatCompact(s.tokens)}
            </TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}

function sliceLabel(s: SpendSlice, kind: 'model' | 'provider'): string {
  if (kind === 'provider') return s.provider ?? 'No provider';
  if (!s.model) return s.provider ? `${s.provider}/(no model)` : 'No model';
  return s.provider ? `${s.provider}/${s.model}` : s.model;
}

/** Shown as bars: the biggest slices, the rest summed as "Other". */
const BAR_SLICES = 7;

function bars(slices: SpendSlice[], kind: 'model' | 'provider') {
  const head = slices.slice(0, BAR_SLICES).map((s) => ({ label: sliceLabel(s, kind), costUsd: microsToUsd(s.costMicros), requests: s.requests }));
  const rest = slices.slice(BAR_SLICES);
  if (rest.length === 0) return head;
  return [...head, { label: `Other (${rest.length})`, costUsd: microsToUsd(rest.reduce((s, x) => s + x.costMicros, 0n)), requests: rest.reduce((s, x) => s + x.requests, 0) }];
}

export async function SpendSplitCards({ workspaceId, window }: { workspaceId: string; window: OverviewWindow }) {
  const { days } = await usageSeries(workspaceId, window);
  const { byModel, byProvider, trafficDays, coveredDays } = await getSpendSplit(db, workspaceId, days);
  const partial = coveredDays < trafficDays ? ` · ${coveredDays} of ${trafficDays} days aggregated so far, reload for the rest` : '';
  const cards = [
    { kind: 'model' as const, id: 'by-model-title', title: 'Spend by model', slices: byModel },
    { kind: 'provider' as const, id: 'by-provider-title', title: 'Spend by provider', slices: byProvider },
  ];
  return (
    <div className="mt-6 grid grid-cols-1 gap-6 xl:grid-cols-2">
      {cards.map((c) => (
        <Card key={c.kind} aria-labelledby={c.id} data-testid={`spend-by-${c.kind}`}>
          <CardHeader id={c.id} title={c.title} description={`${plural(c.slices.length, c.kind)} with traffic in the range${partial}`} />
          {c.slices.length === 0 ? (
            <p className="px-5 py-8 text-center text-sm text-zinc-500">No requests in this period</p>
          ) : (
            <>
              <div className="px-5 pt-4 pb-2">
                <SpendBars data={bars(c.slices, c.kind)} title={c.title} />
              </div>
              <SpendTable slices={c.slices} kind={c.kind} label={c.title} />
            </>
          )}
        </Card>
      ))}
    </div>
  );
}

export async function TopIdentitiesCard({ workspaceId, window }: { workspaceId: string; window: OverviewWindow }) {
  const top = await getTopIdentities(db, workspaceId, window, 10);
  return (
    <Card aria-labelledby="top-identities-title" data-testid="top-identities">
      <CardHeader
        id="top-identities-title"
        title="Top identities by spend"
        description={`Last ${window.days} days`}
        actions={
          <Link href={identitiesBy('cost')} className={cn(link, 'text-sm font-medium text-brand-700')}>
            All identities
          </Link>
        }
      />
      {top.length === 0 ? (
        <p className="px-5 py-8 text-center text-sm text-zinc-500">No identity made requests in this period</p>
      ) : (
        <Table label="Top identities by spend">
          <THead>
            <tr>
              <TH>Identity</TH>
              <TH align="right">Spend</TH>
              <TH align="right">Requests</TH>
              <TH align="right">Tokens</TH>
            </tr>
          </THead>
          <TBody>
            {top.map((t) => (
              <TR key={t.identity.id} data-top-identity={t.identity.externalId}>
                <TD className="max-w-56">
                  <Link href={`/identities/${t.identity.id}`} className={cn(link, 'block truncate font-medium text-zinc-900')}>
                    <UserText text={identityName(t.identity)} truncate />
                  </Link>
                  {t.identity.displayName && (
                    <span className="block truncate font-mono text-xs text-zinc-500">
                      <UserText text={t.identity.externalId} truncate />
                    </span>
                  )}
                </TD>
                <TD align="right" title={formatMicros(t.costMicros, 'exact')}>
                  {formatMicros(t.costMicros)}
                </TD>
                <TD align="right">{formatInteger(t.requests)}</TD>
                <TD align="right" title={formatInteger(t.tokens)}>
                  {formatCompact(t.tokens)}
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
    </Card>
  );
}

function ScopeName({ kind, target, identity, workspaceLabel = 'Whole workspace' }: { kind: string; target: string; identity: { id: string; externalId: string; displayName: string | null } | null; workspaceLabel?: string }) {
  if (kind === 'workspace') return <span className="font-medium text-zinc-900">{workspaceLabel}</span>;
  if (kind === 'identity' && identity) {
    return (
      <Link href={`/identities/${identity.id}`} className={cn(link, 'block truncate font-medium text-zinc-900')}>
        <UserText text={identityName(identity)} truncate />
      </Link>
    );
  }
  return (
    <span className="block truncate font-mono text-[13px] font-medium text-zinc-900">
      <UserText text={target} truncate />
    </span>
  );
}

const scopeLabel = (kind: string) => (isScopeKind(kind) ? SCOPE_KIND_LABELS[kind] : kind);

export async function BudgetsAtRiskCard({ workspaceId, now }: { workspaceId: string; now: Date }) {
  const { rows, more } = await getBudgetsAtRisk(db, workspaceId, now, 10);
  return (
    <Card aria-labelledby="at-risk-title" data-testid="budgets-at-risk">
      <CardHeader
        id="at-risk-title"
        title="Budgets near or over their limit"
        description={`At least ${NEAR_LIMIT_PERCENT}% used in the current window${more ? '; the fullest 10' : ''}`}
        actions={
          <Link href={budgetListHref({ ...DEFAULT_BUDGET_LIST_PARAMS, state: 'active' })} className={cn(link, 'text-sm font-medium text-brand-700')}>
            All budgets
          </Link>
        }
      />
      {rows.length === 0 ? (
        <p className="px-5 py-8 text-center text-sm text-zinc-500">Every budget is below {NEAR_LIMIT_PERCENT}% of its limit</p>
      ) : (
        <ul className="divide-y divide-zinc-100">
          {rows.map(({ budget, status, identity }) => {
            // The most used of its USD and token limits, committed (spent + reserved), as the Budgets page shows it.
            const amounts = budgetAmounts(status);
            const used = amounts.percent + amounts.reservedPercent;
            const tone = TONE_STYLES[budgetTone(used, { exceeded: status.exceeded, isActive: status.isActive })];
            const committed =
              amounts.measure === 'tokens'
                ? `${formatCompact(status.tokens + status.reservedTokens)} of ${formatCompact(status.tokenLimit ?? 0)} tokens`
                : Object.values(formatMicrosTogether({ committed: status.spentMicros + status.reservedMicros, limit: status.limitMicros ?? 0n })).join(' of ');
            return (
              <li key={budget.id} className="px-5 py-3" data-at-risk={`${budget.scopeKind}:${budget.scopeTargetId}`}>
                <div className="flex items-center justify-between gap-3">
                  <div className="min-w-0">
                    <ScopeName kind={budget.scopeKind} target={budget.scopeTargetId} identity={identity} />
                    <span className="text-xs text-zinc-500">
                      {scopeLabel(budget.scopeKind)} · {status.period.replace('_', '-')}
                    </span>
                  </div>
                  <Link href={budgetHref(budget.scopeKind, budget.scopeTargetId)} className={cn(link, 'shrink-0 text-right text-sm tabular-nums')}>
                    <span className="font-semibold text-zinc-900">{formatPercent(used / 100, 0)}</span>
                    <span className="block text-xs text-zinc-500">
                      {committed}
                    </span>
                  </Link>
                </div>
                <div className="mt-2 h-1.5 overflow-hidden rounded-full bg-zinc-100" aria-hidden="true">
                  <div className={cn('h-full rounded-full', tone.bar)} style={{ width: `${Math.min(100, used)}%` }} />
                </div>
                {status.exceeded && (
                  <Badge tone="red" className="mt-2">
                    Refusing calls
                  </Badge>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </Card>
  );
}

export async function RecentRefusalsCard({ workspaceId, window }: { workspaceId: string; window: OverviewWindow }) {
  const { rows, total } = await getRecentRefusals(db, workspaceId, window, 10);
  return (
    <Card className="mt-6" aria-labelledby="refusals-title" data-testid="recent-refusals">
      <CardHeader
        id="refusals-title"
        title="Recent refused calls (429)"
        description={total > 0 ? `${plural(total, 'refused call')} in the last ${window.days} days, newest first` : `Last ${window.days} days`}
      />
      {rows.length === 0 ? (
        <p className="px-5 py-8 text-center text-sm text-zinc-500">No call was refused by a budget in this period</p>
      ) : (
        <Table label="Recent refused calls">
          <THead>
            <tr>
              <TH>Time</TH>
              <TH>Budget</TH>
              <TH>Identity</TH>
              <TH>Model</TH>
              <TH>Reason</TH>
            </tr>
          </THead>
          <TBody>
            {rows.map((r) => (
              <TR key={r.id} data-refusal={r.id}>
                <TD className="whitespace-nowrap text-zinc-600">
                  <time dateTime={r.at.toISOString()} title={formatDateTime(r.at)}>
                    {formatShortDateTime(r.at)}
                  </time>
                </TD>
                <TD className="max-w-52">
                  <Link href={budgetHref(r.scopeKind, r.scopeTargetId)} className={cn(link, 'block truncate')}>
                    <span className="text-zinc-500">{scopeLabel(r.scopeKind)}</span>{' '}
                    {r.scopeKind === 'workspace' ? null : r.scopeKind === 'api_key' ? (r.apiKey?.name ?? r.scopeTargetId) : <UserText text={r.scopeTargetId} />}
                  </Link>
                </TD>
                <TD className="max-w-48">
                  {r.identity ? (
                    <Link href={`/identities/${r.identity.id}`} className={cn(link, 'block truncate font-medium text-zinc-900')}>
                      <UserText text={identityName(r.identity)} truncate />
                    </Link>
                  ) : (
                    <span className="text-zinc-400">—</span>
                  )}
                </TD>
                <TD className="max-w-48 font-mono text-[13px]">
                  <span className="block truncate">{r.model ? <UserText text={r.provider ? `${r.provider}/${r.model}` : r.model} /> : '—'}</span>
                </TD>
                <TD>
                  <Badge tone={r.code === 'rate_limited' ? 'amber' : 'red'}>{r.code === 'rate_limited' ? 'Rate limited' : 'Budget exceeded'}</Badge>
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
    </Card>
  );
}
