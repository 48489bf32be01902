// A budget's numbers as the Studio says them, from micro-USD (or tokens): one place for the card, rows and the Budgets page.
import type { BudgetStatus } from '../../lib/budgets/status';
import { formatMicros, formatTokens, plural } from '../format';

/** What the budget caps: USD spend, tokens, or neither (a requests-per-minute limit alone). */
export type BudgetMeasure = 'usd' | 'tokens' | 'none';

export type BudgetAmounts = {
  measure: BudgetMeasure;
  /** null without a USD or token limit. */
  limit: string | null;
  spent: string;
  reserved: string;
  /** limit − spent − reserved, never below zero; null without a limit. */
  remaining: string | null;
};

type Amounts = Pick<BudgetStatus, 'limitMicros' | 'spentMicros' | 'reservedMicros' | 'remainingMicros' | 'tokenLimit' | 'tokens' | 'reservedTokens'>;

export function budgetAmounts(b: Amounts): BudgetAmounts {
  if (b.limitMicros !== null) {
    return {
      measure: 'usd',
      limit: formatMicros(b.limitMicros, 'exact'),
      spent: formatMicros(b.spentMicros),
      reserved: formatMicros(b.reservedMicros),
      remaining: formatMicros(b.remainingMicros ?? 0n),
    };
  }
  if (b.tokenLimit !== null) {
    return {
      measure: 'tokens',
      limit: formatTokens(b.tokenLimit),
      spent: formatTokens(b.tokens),
      reserved: formatTokens(b.reservedTokens),
      remaining: formatTokens(Math.max(0, b.tokenLimit - b.tokens - b.reservedTokens)),
    };
  }
  return { measure: 'none', limit: null, spent: formatMicros(b.spentMicros), reserved: formatMicros(b.reservedMicros), remaining: null };
}

type Breakdown = Amounts & Pick<BudgetStatus, 'inFlight'>;

/** "$0.01 reserved by 2 calls in flight", or "nothing in flight". */
export function reservedPhrase(b: Breakdown): string {
  if (b.inFlight === 0) return 'nothing in flight';
  return `${budgetAmounts(b).reserved} reserved by ${plural(b.inFlight, 'call')} in flight`;
}

/** "$0.04 spent · $0.01 reserved by 2 calls in flight · $0.05 remaining". */
export function budgetBreakdown(b: Breakdown): string {
  const amounts = budgetAmounts(b);
  return [`${amounts.spent} spent`, reservedPhrase(b), amounts.remaining !== null ? `${amounts.remaining} remaining` : null]
    .filter(Boolean)
    .join(' · ');
}
