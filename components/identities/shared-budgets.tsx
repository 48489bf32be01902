import Link from 'next/link';
import { Building2, Cpu, KeyRound, Server, type LucideIcon } from 'lucide-react';
import type { BudgetListRow } from '../../lib/budgets/views';
import { budgetListHref, DEFAULT_BUDGET_LIST_PARAMS } from '../budgets/list-params';
import { isScopeKind, SCOPE_KIND_LABELS } from '../budgets/scope-labels';
import { periodLabel, plural } from '../format';
import { Badge } from '../ui/badge';
import { Card, CardHeader } from '../ui/card';
import { cn } from '../ui/cn';
import { UserText } from '../ui/user-text';
import { budgetAmounts } from './budget-amounts';
import { BudgetBar, shownPercent } from './budget-gauge';
import { budgetTone, TONE_STYLES } from './budget-tone';

/** Rows shown before "N more on the Budgets page": the refusing and fullest come first. */
const SHOWN_ROWS = 6;

const SCOPE_ICONS: Record<string, LucideIcon> = { workspace: Building2, api_key: KeyRound, provider: Server, model: Cpu };

/** What the row names: "Whole workspace", the key's name, the provider or "provider/model". */
const targetName = (row: BudgetListRow) =>
  row.budget.scopeKind === 'workspace' ? 'Whole workspace' : row.budget.scopeKind === 'api_key' ? (row.apiKey?.name ?? row.budget.scopeTargetId) : row.budget.scopeTargetId;

/**
 * The Budgets page filtered to this budget: live ones of its scope kind whose target contains its own (a key by its id;
 * the search matches within names, so "openai/gpt-4o" also finds a live "openai/gpt-4o-mini").
 */
const budgetHref = (row: BudgetListRow) =>
  budgetListHref(DEFAULT_BUDGET_LIST_PARAMS, {
    scope: isScopeKind(row.budget.scopeKind) ? row.budget.scopeKind : '',
    state: 'active',
    q: row.budget.scopeKind === 'workspace' ? '' : row.budget.scopeTargetId,
  });

function SharedBudgetRow({ row }: { row: BudgetListRow }) {
  const { budget, status } = row;
  const kind = budget.scopeKind;
  const Icon = SCOPE_ICONS[kind] ?? Building2;
  const amounts = budgetAmounts(status);
  // The most used limit, spent and held together, as admission judges it.
  const tone = budgetTone(status.fullestPercent, { exceeded: status.exceeded, isActive: true });
  const name = targetName(row);
  const scopeLabel = isScopeKind(kind) ? SCOPE_KIND_LABELS[kind] : kind;
  const badge = status.exceeded ? <Badge tone="red">Refusing calls</Badge> : tone === 'warning' ? <Badge tone="amber">Nearing the limit</Badge> : null;
  return (
    <li
      className={cn('flex flex-wrap items-center gap-x-4 gap-y-2 px-5 py-3 sm:flex-nowrap', status.exceeded && 'bg-red-50/60')}
      data-shared-budget={`${kind}:${budget.scopeTargetId}`}
      data-tone={tone}
    >
      <div className="min-w-0 flex-1 basis-full sm:basis-auto">
        <div className="flex min-w-0 items-center gap-2">
          <Badge tone={kind === 'workspace' ? 'brand' : 'neutral'}>
            <Icon className="size-3" aria-hidden="true" />
            {scopeLabel}
          </Badge>
          <Link
            href={budgetHref(row)}
            aria-label={`${scopeLabel} budget ${name}, on the Budgets page`}
            className={cn(
              'flex min-w-0 text-sm font-medium text-zinc-900 hover:text-brand-700 hover:underline focus-visible:outline-2 focus-visible:outline-brand-500',
              (kind === 'provider' || kind === 'model') && 'font-mono text-[13px]',
            )}
          >
            <UserText text={name} truncate />
          </Link>
        </div>
        <p className="mt-0.5 text-xs text-zinc-500">
          {periodLabel(status.period)}
          {amounts.limit !== null && amounts.rate && ` · ${amounts.rate}`}
        </p>
      </div>
      {amounts.limit !== null ? (
        <div className="w-full space-y-1 sm:w-52 sm:shrink-0">
          <p className="flex items-baseline justify-between gap-2 text-xs whitespace-nowrap tabular-nums" data-testid="shared-budget-used">
            <span className="text-zinc-500">
              <span className="font-medium text-zinc-900">{amounts.spentOf}</span> of {amounts.limit}
            </span>
            <span className={cn('font-medium', tone === 'ok' ? 'text-zinc-700' : TONE_STYLES[tone].text)}>{shownPercent(status.fullestPercent)}</span>
          </p>
          <BudgetBar percent={amounts.percent} reservedPercent={amounts.reservedPercent} exceeded={status.exceeded} isActive />
        </div>
      ) : (
        <p className="w-full text-xs text-zinc-500 sm:w-52 sm:shrink-0">{amounts.rate ? `Only a rate limit: ${amounts.rate}` : 'No spend or token limit'}</p>
      )}
      {/* Only a budget that stands in the way, or soon will, says so; the column stays on a desktop to keep rows level. */}
      <div className={cn('sm:block sm:w-32 sm:shrink-0 sm:text-right', !badge && 'hidden')}>{badge}</div>
    </li>
  );
}

/**
 * The live budgets of the workspace, API keys, providers and models: any of them can refuse this identity's calls
 * while its own budget has room. Nothing at all when there are none.
 */
export function SharedBudgetsCard({ rows }: { rows: BudgetListRow[] }) {
  if (rows.length === 0) return null;
  const refusing = rows.filter((r) => r.status.exceeded).length;
  // Rows come refusing first: every refusing one is shown, the rest up to SHOWN_ROWS.
  const shown = rows.slice(0, Math.max(refusing, SHOWN_ROWS));
  const more = rows.length - shown.length;
  return (
    <Card className="mt-6" aria-labelledby="shared-budgets-title" data-testid="shared-budgets">
      <CardHeader
        id="shared-budgets-title"
        title="Other budgets that apply"
        description="Each call of this identity must also fit these: the workspace’s, and those of its API key, provider and model."
        actions={refusing > 0 && <Badge tone="red">{plural(refusing, 'budget')} refusing calls</Badge>}
      />
      <ul className="divide-y divide-zinc-100">
        {shown.map((row) => (
          <SharedBudgetRow key={row.budget.id} row={row} />
        ))}
      </ul>
      {more > 0 && (
        <p className="border-t border-zinc-100 px-5 py-3 text-xs text-zinc-500">
          {plural(more, 'more budget')} with room,{' '}
          <Link href={budgetListHref(DEFAULT_BUDGET_LIST_PARAMS, { state: 'active' })} className="font-medium text-brand-700 hover:underline">
            on the Budgets page
          </Link>
        </p>
      )}
    </Card>
  );
}
