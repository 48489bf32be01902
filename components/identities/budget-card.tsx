import { Wallet } from 'lucide-react';
import type { BudgetStatus } from '../../lib/budgets/service';
import { formatCost, formatDateTime, formatDuration, formatInteger, formatUsd, periodLabel } from '../format';
import { Badge } from '../ui/badge';
import { Card, CardHeader } from '../ui/card';
import { EmptyState } from '../ui/empty-state';
import { ResetBudgetButton } from './budget-actions';
import { BudgetGauge } from './budget-gauge';
import { budgetTone } from './budget-tone';

type Result = { ok: boolean; message: string };

/** orq's budget panel: period, limit, consumed and % around a gauge, the reset time and a Reset button. */
export function BudgetCard({
  budget,
  now,
  resetAction,
  setBudgetSlot,
}: {
  budget: BudgetStatus | null;
  now: Date;
  resetAction: () => Promise<Result>;
  setBudgetSlot: React.ReactNode;
}) {
  if (!budget) {
    return (
      <Card aria-labelledby="budget-title" className="h-full">
        <CardHeader id="budget-title" title="Budget" />
        <EmptyState icon={<Wallet />} title="No budget" actions={setBudgetSlot} className="py-8">
          <p>Cap this identity&apos;s spend per day, week, month or year. Requests over the limit get 429.</p>
        </EmptyState>
      </Card>
    );
  }
  const label = periodLabel(budget.period);
  const tone = budgetTone(budget.percent, { exceeded: budget.exceeded, isActive: budget.isActive });
  const limit = budget.limitUsd !== null ? formatUsd(budget.limitUsd) : `${formatInteger(budget.tokenLimit ?? 0)} tokens`;
  const consumed = budget.limitUsd !== null ? formatCost(budget.consumedUsd) : `${formatInteger(budget.tokens)} tokens`;
  const remaining =
    budget.limitUsd !== null ? formatCost(Math.max(0, budget.limitUsd - budget.consumedUsd)) : formatInteger(Math.max(0, (budget.tokenLimit ?? 0) - budget.tokens));

  return (
    <Card aria-labelledby="budget-title" className="h-full" data-testid="budget-card">
      <CardHeader
        id="budget-title"
        title="Budget"
        description={
          budget.resetsAt ? (
            <>
              {label} · resets in {formatDuration(budget.resetsAt.getTime() - now.getTime())}
            </>
          ) : (
            `${label} · never resets`
          )
        }
        actions={<ResetBudgetButton action={resetAction} periodLabel={label} />}
      />
      <div className="flex flex-col items-center gap-5 px-5 py-5 sm:flex-row sm:items-center">
        <BudgetGauge
          percent={budget.percent}
          exceeded={budget.exceeded}
          isActive={budget.isActive}
          label={`${label} budget used`}
          valueText={`${consumed} of ${limit}`}
        />
        <dl className="grid w-full flex-1 grid-cols-2 gap-x-4 gap-y-3 text-sm">
          <div>
            <dt className="text-xs text-zinc-500">{label} limit</dt>
            <dd className="font-semibold tabular-nums text-zinc-900" data-testid="budget-limit">
              {limit}
            </dd>
          </div>
          <div>
            <dt className="text-xs text-zinc-500">Consumed</dt>
            <dd className="font-semibold tabular-nums text-zinc-900" data-testid="budget-consumed">
              {consumed}
            </dd>
          </div>
          <div>
            <dt className="text-xs text-zinc-500">Remaining</dt>
            <dd className="tabular-nums text-zinc-700">{remaining}</dd>
          </div>
          <div>
            <dt className="text-xs text-zinc-500">Requests</dt>
            <dd className="tabular-nums text-zinc-700">{formatInteger(budget.requests)}</dd>
          </div>
          <div className="col-span-2">
            <dt className="text-xs text-zinc-500">{budget.resetsAt ? 'Next reset' : 'Window'}</dt>
            <dd className="text-zinc-700">{budget.resetsAt ? formatDateTime(budget.resetsAt) : `Since ${formatDateTime(budget.windowStart)}`}</dd>
          </div>
          {budget.lastResetAt && budget.lastResetAt >= budget.windowStart && (
            <div className="col-span-2">
              <dt className="text-xs text-zinc-500">Reset by hand</dt>
              <dd className="text-zinc-700">{formatDateTime(budget.lastResetAt)}</dd>
            </div>
          )}
        </dl>
      </div>
      {(tone === 'exceeded' || tone === 'inactive' || tone === 'warning') && (
        <div className="border-t border-zinc-100 px-5 py-3">
          {tone === 'exceeded' && <Badge tone="red">Limit reached: new requests are refused with 429</Badge>}
          {tone === 'warning' && <Badge tone="amber">Nearing the limit</Badge>}
          {tone === 'inactive' && <Badge tone="neutral">Paused: this budget is not enforced</Badge>}
        </div>
      )}
    </Card>
  );
}
