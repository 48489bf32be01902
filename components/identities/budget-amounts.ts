// A budget's numbers as the Studio says them, from micro-USD (or tokens): one place for the card, rows and the Budgets page.
import type { BudgetStatus } from '../../lib/budgets/status';
import { formatInteger, formatMicros, formatMicrosTogether, formatTokens, plural } from '../format';

/** What the budget caps: USD spend, tokens, or neither (a requests-per-minute limit alone). */
export type BudgetMeasure = 'usd' | 'tokens' | 'none';

/** One USD or token limit and how far it is used. */
export type BudgetMeter = {
  measure: 'usd' | 'tokens';
  limit: string;
  spent: string;
  /** The spent figure before "of {limit}": tokens without their unit ("3,000 of 2,000 tokens"). */
  spentOf: string;
  reserved: string;
  /** limit − spent − reserved, never below zero. */
  remaining: string;
  /** Share of the limit spent, and held by calls in flight, in percent. */
  percent: number;
  reservedPercent: number;
};

export type BudgetAmounts = {
  /** The measure of the most used limit, which the gauge and percentage follow. */
  measure: BudgetMeasure;
  /** null without a USD or token limit. */
  limit: string | null;
  spent: string;
  spentOf: string;
  reserved: string;
  /** limit − spent − reserved, never below zero; null without a limit. */
  remaining: string | null;
  percent: number;
  reservedPercent: number;
  /** Every USD and token limit, the most used first. */
  meters: BudgetMeter[];
  /** "60 requests/min", or null without a rate limit. */
  rate: string | null;
};

type Amounts = Pick<
  BudgetStatus,
  'limitMicros' | 'spentMicros' | 'reservedMicros' | 'remainingMicros' | 'tokenLimit' | 'tokens' | 'reservedTokens'
> &
  Partial<Pick<BudgetStatus, 'requestsPerMinute'>>;

// A limit of zero is used up by anything at all.
const share = (part: number, whole: number) => (whole > 0 ? (part / whole) * 100 : part > 0 ? 100 : 0);

function usdMeter(b: Amounts, limitMicros: bigint): BudgetMeter {
  const shown = formatMicrosTogether({
    limit: limitMicros,
    spent: b.spentMicros,
    reserved: b.reservedMicros,
    remaining: b.remainingMicros ?? 0n,
  });
  return {
    measure: 'usd',
    ...shown,
    spentOf: shown.spent,
    percent: share(Number(b.spentMicros), Number(limitMicros)),
    reservedPercent: share(Number(b.reservedMicros), Number(limitMicros)),
  };
}

function tokenMeter(b: Amounts, tokenLimit: number): BudgetMeter {
  return {
    measure: 'tokens',
    limit: formatTokens(tokenLimit),
    spent: formatTokens(b.tokens),
    spentOf: formatInteger(b.tokens),
    reserved: formatTokens(b.reservedTokens),
    remaining: formatTokens(Math.max(0, tokenLimit - b.tokens - b.reservedTokens)),
    percent: share(b.tokens, tokenLimit),
    reservedPercent: share(b.reservedTokens, tokenLimit),
  };
}

/** The budget's limits as text; the gauge follows the most used of its USD and token limits (committed: spent + reserved). */
export function budgetAmounts(b: Amounts): BudgetAmounts {
  const meters = [b.limitMicros !== null ? usdMeter(b, b.limitMicros) : null, b.tokenLimit !== null ? tokenMeter(b, b.tokenLimit) : null]
    .filter((m): m is BudgetMeter => m !== null)
    // Stable: on a tie the USD limit stays first.
    .sort((x, y) => y.percent + y.reservedPercent - (x.percent + x.reservedPercent));
  const rate = b.requestsPerMinute != null ? `${formatInteger(b.requestsPerMinute)} requests/min` : null;
  const [main] = meters;
  if (main) return { ...main, meters, rate };
  const spent = formatMicros(b.spentMicros);
  return {
    measure: 'none',
    limit: null,
    spent,
    spentOf: spent,
    reserved: formatMicros(b.reservedMicros),
    remaining: null,
    percent: 0,
    reservedPercent: 0,
    meters,
    rate,
  };
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
