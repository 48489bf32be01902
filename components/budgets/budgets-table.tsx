import Link from 'next/link';
import { UserText } from '../ui/user-text';
import { Building2, Cpu, KeyRound, Server, User, type LucideIcon } from 'lucide-react';
import type { ActionResult } from '../../lib/actions/result';
import type { BudgetListRow } from '../../lib/budgets/views';
import type { ScopeKind } from '../../lib/budgets/scopes';
import { microsToUsd } from '../../lib/money';
import { formatCompact, formatDateTime, formatDuration, formatInteger, formatMicros, formatPercent, formatShortDateTime, formatTokens, periodLabel, plural } from '../format';
import { budgetAmounts, budgetBreakdown } from '../identities/budget-amounts';
import { BudgetBar } from '../identities/budget-gauge';
import { budgetTone, TONE_STYLES } from '../identities/budget-tone';
import { Badge } from '../ui/badge';
import { cn } from '../ui/cn';
import { Table, TBody, TD, TDActions, TH, THActions, THead, TR } from '../ui/table';
import type { BudgetFormAction } from './budget-form';
import type { BudgetFormValues } from './budget-form-state';
import { DeleteBudgetButton, EditBudgetButton, ResetBudgetRowButton } from './budget-dialogs';
import { isScopeKind, SCOPE_KIND_LABELS, scopePhrase } from './scope-labels';
import { BudgetAlertsLine } from '../notifiers/budget-alerts';
import { alertFormValues } from '../../lib/alerts/form-values';

export type BudgetRowActions = {
  update: (budgetId: string, state: Parameters<BudgetFormAction>[0], formData: FormData) => ReturnType<BudgetFormAction>;
  reset: (budgetId: string) => Promise<ActionResult>;
  remove: (budgetId: string) => Promise<ActionResult>;
};

const SCOPE_ICONS: Record<ScopeKind, LucideIcon> = { workspace: Building2, identity: User, api_key: KeyRound, provider: Server, model: Cpu };

function ScopeBadge({ kind }: { kind: string }) {
  const Icon = isScopeKind(kind) ? SCOPE_ICONS[kind] : Building2;
  return (
    <Badge tone={kind === 'workspace' ? 'brand' : 'neutral'}>
      <Icon className="size-3" aria-hidden="true" />
      {isScopeKind(kind) ? SCOPE_KIND_LABELS[kind] : kind}
    </Badge>
  );
}

const mono = 'font-mono text-xs text-zinc-500';

/** Who or what the budget caps: the target's name on top, its kind and id below. */
export function ScopeCell({ row }: { row: BudgetListRow }) {
  const { budget, identity, apiKey } = row;
  const kind = budget.scopeKind;
  let title: React.ReactNode;
  let detail: React.ReactNode = null;
  if (kind === 'identity') {
    title = identity ? (
      <Link
        href={`/identities/${identity.id}`}
        className="block min-w-0 font-medium text-zinc-900 hover:text-brand-700 hover:underline focus-visible:outline-2 focus-visible:outline-brand-500"
      >
        <UserText text={identity.name} truncate />
      </Link>
    ) : (
      <span className="block min-w-0 font-medium text-zinc-900">
        <UserText text={budget.scopeTargetId} truncate />
      </span>
    );
    detail = (
      <span className={cn(mono, 'block min-w-0')}>
        <UserText text={budget.scopeTargetId} truncate />
      </span>
    );
  } else if (kind === 'workspace') {
    title = <span className="font-medium text-zinc-900">Whole workspace</span>;
    detail = <span className="text-xs text-zinc-500">every call</span>;
  } else if (kind === 'api_key') {
    title = (
      <span className={cn('block min-w-0 font-medium', apiKey?.revoked ? 'text-zinc-500 line-through decoration-zinc-300' : 'text-zinc-900')}>
        <UserText text={apiKey?.name ?? 'Deleted key'} truncate />
      </span>
    );
    detail = (
      <span className={cn(mono, 'block min-w-0')}>
        <UserText text={apiKey ? `${apiKey.prefix}…` : budget.scopeTargetId} truncate />
      </span>
    );
  } else {
    title = (
      <span className="block min-w-0 font-mono text-[13px] font-medium text-zinc-900">
        <UserText text={budget.scopeTargetId} truncate />
      </span>
    );
  }
  // Table cells ignore max-width; their content does not: long names and ids end in "…" (full text in a title).
  return (
    <div className="max-w-60 min-w-0 space-y-1">
      <div className="flex min-w-0">{title}</div>
      <div className="flex min-w-0 items-center gap-2">
        <ScopeBadge kind={kind} />
        {detail}
      </div>
    </div>
  );
}

function StateBadge({ row }: { row: BudgetListRow }) {
  const { state, status, budget } = row;
  if (state === 'expired') {
    return (
      <span title={budget.expiresAt ? `Expired ${formatDateTime(budget.expiresAt)}` : undefined}>
        <Badge tone="neutral">Expired</Badge>
      </span>
    );
  }
  if (state === 'paused') return <Badge tone="neutral">Paused</Badge>;
  if (status.exceeded) return <Badge tone="red">Limit reached</Badge>;
  return (
    <span title={budget.expiresAt ? `Expires ${formatDateTime(budget.expiresAt)}` : undefined}>
      <Badge tone="green">Active</Badge>
    </span>
  );
}

function LimitsCell({ row }: { row: BudgetListRow }) {
  const { budget } = row;
  const tokens = budget.tokenLimit !== null ? Number(budget.tokenLimit) : null;
  // Big counts are compacted ("1B tokens"); the exact figure is in the title.
  const lines = [
    budget.amountMicros !== null ? { text: formatMicros(budget.amountMicros, 'exact') } : null,
    tokens !== null ? { text: `${formatCompact(tokens)} tokens`, title: formatTokens(tokens) } : null,
    budget.requestsPerMinute !== null ? { text: `${formatCompact(budget.requestsPerMinute)} req/min`, title: `${formatInteger(budget.requestsPerMinute)} requests per minute` } : null,
  ].filter((l): l is { text: string; title?: string } => l !== null);
  return (
    <ul className="space-y-0.5 whitespace-nowrap tabular-nums">
      {lines.map((line, i) => (
        <li key={line.text} title={line.title} className={i === 0 ? 'font-medium text-zinc-900' : 'text-xs text-zinc-500'}>
          {line.text}
        </li>
      ))}
    </ul>
  );
}

const percentText = (percent: number) => formatPercent(Math.max(0, percent) / 100, percent > 0 && percent < 10 ? 1 : 0);

/**
 * Spent (solid) and reserved by calls in flight (striped) against the most used limit, what is left of it and the
 * requests; the budget's other limit below.
 */
function UsageCell({ row }: { row: BudgetListRow }) {
  const { status } = row;
  const amounts = budgetAmounts(status);
  const tone = budgetTone(amounts.percent, { exceeded: status.exceeded, isActive: row.state === 'active' });
  const requests = (
    <span className="whitespace-nowrap" data-testid="budget-requests">
      {plural(status.requests, 'request')}
    </span>
  );
  if (amounts.limit === null) {
    return (
      <div className="w-56 space-y-1 text-xs text-zinc-500">
        <p>{amounts.rate ? `Only a rate limit: ${amounts.rate}` : 'No spend or token limit'}</p>
        <p className="tabular-nums">
          {amounts.spent} spent · {requests}
        </p>
      </div>
    );
  }
  const percent = percentText(amounts.percent);
  return (
    <div className="w-56 space-y-1.5">
      <div className="flex items-baseline justify-between gap-2 text-xs whitespace-nowrap">
        <span className="text-zinc-500 tabular-nums" data-testid="budget-used">
          <span className="font-medium text-zinc-900">{amounts.spentOf}</span> of {amounts.limit}
        </span>
        <span className={cn('font-medium tabular-nums', tone === 'ok' ? 'text-zinc-700' : TONE_STYLES[tone].text)}>{percent}</span>
      </div>
      <div
        role="meter"
        aria-label={`${periodLabel(status.period)} budget used`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(Math.max(0, amounts.percent) * 10) / 10}
        aria-valuetext={`${percent}, ${budgetBreakdown(status)}`}
        data-tone={tone}
        data-measure={amounts.measure}
      >
        <BudgetBar className="h-2" percent={amounts.percent} reservedPercent={amounts.reservedPercent} exceeded={status.exceeded} isActive={row.state === 'active'} />
      </div>
      <p className="flex justify-between gap-2 text-xs text-zinc-500 tabular-nums">
        <span className="whitespace-nowrap">
          <span className="text-zinc-700" data-testid="budget-remaining">
            {amounts.remaining}
          </span>{' '}
          left
        </span>
        {requests}
      </p>
      {amounts.meters.slice(1).map((meter) => (
        <p key={meter.measure} className="flex justify-between gap-2 text-xs whitespace-nowrap text-zinc-500 tabular-nums" data-testid="budget-other-limit">
          <span>
            <span className="text-zinc-700">{meter.spentOf}</span> of {meter.limit}
          </span>
          <span>{percentText(meter.percent)}</span>
        </p>
      ))}
      {status.inFlight > 0 && (
        <p className="flex items-center gap-1.5 text-xs text-zinc-500 tabular-nums" data-testid="budget-reserved">
          <span aria-hidden="true" className={cn('h-2 w-3 shrink-0 rounded-sm', TONE_STYLES[tone].reservedBar)} />
          {amounts.reserved} reserved by {formatInteger(status.inFlight)} in flight
        </p>
      )}
    </div>
  );
}

/** "Daily" and when the window resets (the UTC time, how far away in the title), or when the budget expired. */
function PeriodCell({ row, now }: { row: BudgetListRow; now: Date }) {
  const { status, budget } = row;
  let when: React.ReactNode;
  if (row.state === 'expired' && budget.expiresAt) {
    when = (
      <p className="text-xs text-zinc-500 tabular-nums" title={formatDateTime(budget.expiresAt)} data-testid="budget-expired">
        expired {formatShortDateTime(budget.expiresAt)} UTC
      </p>
    );
  } else if (status.resetsAt) {
    when = (
      <p className="text-xs text-zinc-500 tabular-nums" title={`${formatDateTime(status.resetsAt)}, in ${formatDuration(status.resetsAt.getTime() - now.getTime())}`}>
        resets {formatShortDateTime(status.resetsAt)} UTC
      </p>
    );
  } else {
    when = <p className="text-xs text-zinc-500">never resets</p>;
  }
  return (
    <div className="whitespace-nowrap">
      <p className="text-zinc-700">{periodLabel(status.period)}</p>
      {when}
    </div>
  );
}

function editValues(row: BudgetListRow): BudgetFormValues {
  const { budget } = row;
  return {
    period: budget.period,
    amount: budget.amountMicros !== null ? String(microsToUsd(budget.amountMicros)) : '',
    token_limit: budget.tokenLimit !== null ? budget.tokenLimit.toString() : '',
    requests_per_minute: budget.requestsPerMinute !== null ? String(budget.requestsPerMinute) : '',
    is_active: budget.isActive ? 'on' : '',
    ...alertFormValues(budget.alerts),
  };
}

/** The words after "the budget for", with the key's name for an API-key budget. */
const scopeNameOf = (row: BudgetListRow) =>
  scopePhrase(row.budget.scopeKind, row.budget.scopeKind === 'api_key' ? (row.apiKey?.name ?? row.budget.scopeTargetId) : row.budget.scopeTargetId);

/** Every budget of every scope: its limits, a live gauge, what is left and when it resets; without `actions` (viewers), read-only. */
export function BudgetsTable({ rows, now, actions, notifierNames = {} }: { rows: BudgetListRow[]; now: Date; actions?: BudgetRowActions; notifierNames?: Record<string, string> }) {
  const notifierOptions = Object.entries(notifierNames).map(([id, name]) => ({ id, name }));
  return (
    <Table label="Budgets">
      <THead>
        <tr>
          <TH>Scope</TH>
          <TH>Period</TH>
          <TH>Limits</TH>
          <TH>Usage this period</TH>
          <TH>State</TH>
          {actions && <THActions />}
        </tr>
      </THead>
      <TBody>
        {rows.map((row) => {
          const { budget, status } = row;
          const scopeName = scopeNameOf(row);
          const period = periodLabel(status.period);
          return (
            <TR key={budget.id} data-budget-row={budget.id} data-scope={`${budget.scopeKind}:${budget.scopeTargetId}`} className={row.state !== 'active' ? 'bg-zinc-50/40' : undefined}>
              <TD className="max-w-60 min-w-44">
                <ScopeCell row={row} />
              </TD>
              <TD>
                <PeriodCell row={row} now={now} />
              </TD>
              <TD>
                <LimitsCell row={row} />
                <BudgetAlertsLine budget={row.budget} notifierNames={notifierNames} />
              </TD>
              <TD>
                <UsageCell row={row} />
              </TD>
              <TD>
                <StateBadge row={row} />
              </TD>
              {actions && (
                <TDActions>
                  <EditBudgetButton
                    action={actions.update.bind(null, budget.id)}
                    initialValues={editValues(row)}
                    notifiers={notifierOptions}
                    scopeName={scopeName}
                    scopeSummary={
                      <div className="rounded-lg bg-zinc-50 px-4 py-3 ring-1 ring-zinc-200 ring-inset">
                        <p className="mb-1.5 text-xs font-medium text-zinc-500">Applies to</p>
                        <ScopeCell row={row} />
                      </div>
                    }
                  />
                  <ResetBudgetRowButton action={actions.reset.bind(null, budget.id)} scopeName={scopeName} periodLabel={period} />
                  <DeleteBudgetButton action={actions.remove.bind(null, budget.id)} scopeName={scopeName} />
                </TDActions>
              )}
            </TR>
          );
        })}
      </TBody>
    </Table>
  );
}
