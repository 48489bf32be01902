// Money is integer micro-USD (1 USD = 1,000,000); convert to USD only at the edges.

export const MICROS_PER_USD = 1_000_000;

export const usdToMicros = (usd: number): bigint => BigInt(Math.round(usd * MICROS_PER_USD));

/** An amount an admin sets is a whole number of micro-dollars (6 decimal places at most), never rounded unseen. */
export const isWholeMicros = (usd: number): boolean => Math.abs(usd * MICROS_PER_USD - Math.round(usd * MICROS_PER_USD)) < 1e-6;
export const WHOLE_MICROS_MESSAGE = 'must have at most 6 decimal places (amounts are kept in whole micro-dollars)';

export const microsToUsd = (micros: bigint | number): number => Number(micros) / MICROS_PER_USD;

const usdFormat = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 });
const smallUsdFormat = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 6 });

/** "$1,234.50"; amounts under a dollar keep up to six decimals so "$0.0042" is not shown as "$0.00". */
export function formatUsd(usd: number): string {
  if (usd !== 0 && Math.abs(usd) < 1) return smallUsdFormat.format(usd);
  return usdFormat.format(usd);
}
