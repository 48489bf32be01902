import type { BudgetStatus } from '../../lib/budgets/service';
import { formatCost, formatInteger, formatUsd, periodAdverb } from '../format';
import { cn } from '../ui/cn';
import { BudgetBar } from './budget-gauge';
import { budgetTone, TONE_STYLES } from './budget-tone';

/** "$0.08 of $0.20 daily" and a bar, for table rows. */
export function BudgetSummary({ budget }: { budget: BudgetStatus | null }) {
  if (!budget) return <span className="text-zinc-500">No budget</span>;
  const tone = budgetTone(budget.percent, { exceeded: budget.exceeded, isActive: budget.isActive });
  const text =
    budget.limitUsd !== null
      ? `${formatCost(budget.consumedUsd)} of ${formatUsd(budget.limitUsd)} ${periodAdverb(budget.period)}`
      : `${formatInteger(budget.tokens)} of ${formatInteger(budget.tokenLimit ?? 0)} tokens ${periodAdverb(budget.period)}`;
  return (
    <div className="w-44 space-y-1.5">
      <p className={cn('text-xs whitespace-nowrap', tone === 'ok' ? 'text-zinc-700' : TONE_STYLES[tone].text)}>
        {text}
        {!budget.isActive && ' · paused'}
      </p>
      <BudgetBar percent={budget.percent} exceeded={budget.exceeded} isActive={budget.isActive} />
    </div>
  );
}
