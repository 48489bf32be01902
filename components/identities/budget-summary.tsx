import type { BudgetStatus } from '../../lib/budgets/service';
import { periodAdverb } from '../format';
import { cn } from '../ui/cn';
import { budgetAmounts } from './budget-amounts';
import { BudgetBar } from './budget-gauge';
import { budgetTone, TONE_STYLES } from './budget-tone';

/** "$0.08 of $0.20 daily" and a bar, for table rows. */
export function BudgetSummary({ budget }: { budget: BudgetStatus | null }) {
  if (!budget) return <span className="text-zinc-500">No budget</span>;
  const amounts = budgetAmounts(budget);
  // The most used limit, as the gauge and "Limit reached" see it.
  const tone = budgetTone(amounts.percent, { exceeded: budget.exceeded, isActive: budget.isActive });
  // "1,200 of 5,000 tokens": the unit once.
  const text = amounts.limit !== null ? `${amounts.spentOf} of ${amounts.limit} ${periodAdverb(budget.period)}` : (amounts.rate ?? 'No limit');
  return (
    <div className="w-44 space-y-1.5">
      <p className={cn('text-xs whitespace-nowrap', tone === 'ok' ? 'text-zinc-700' : TONE_STYLES[tone].text)}>
        {text}
        {!budget.isActive && ' · paused'}
      </p>
      <BudgetBar percent={amounts.percent} reservedPercent={amounts.reservedPercent} exceeded={budget.exceeded} isActive={budget.isActive} />
    </div>
  );
}
