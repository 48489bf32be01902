// Number and date formatting for the Studio: one place, so every page says "$1,234.50" the same way.
import { formatUsd, microsToUsd } from '../lib/money';

export { formatUsd };

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

export const formatInteger = (n: number): string => integer.format(n);

/** 1234 → "1,234"; 1,234,567 → "1.2M" (full value in a title when compacted). */
export const formatCompact = (n: number): string => (Math.abs(n) < 10_000 ? integer.format(n) : compact.format(n));

/** Ratio 0.1234 → "12.3%"; tiny non-zero ratios are "<0.1%" rather than a misleading "0%". */
export function formatPercent(ratio: number, digits = 1): string {
  if (!Number.isFinite(ratio)) return '—';
  if (ratio > 0 && ratio < 0.001) return '<0.1%';
  const pct = ratio * 100;
  const rounded = Number(pct.toFixed(digits));
  return `${Number.isInteger(rounded) ? rounded.toFixed(0) : rounded.toFixed(digits)}%`;
}

/** Totals, budgets and charts, to the cent: "$0.08", "$12.35"; sub-cent amounts keep two significant digits ("$0.0042"). */
export function formatCost(usd: number): string {
  if (usd === 0) return '$0.00';
  if (Math.abs(usd) >= 0.01) return formatUsd(Math.round(usd * 100) / 100);
  return formatUsd(Number(usd.toPrecision(2)));
}

/** One call's cost, where fractions of a cent matter: "$0.0132", "$0.00018", "$1.25". */
export function formatCallCost(usd: number): string {
  if (usd === 0) return '$0.00';
  if (Math.abs(usd) >= 1) return formatUsd(Math.round(usd * 100) / 100);
  if (Math.abs(usd) >= 0.001) return formatUsd(Math.round(usd * 10_000) / 10_000);
  return formatUsd(Number(usd.toPrecision(2)));
}

/**
 * Integer micro-USD for display, the one place money leaves micros in the Studio. `cents` rounds like
 * formatCost ("$0.08", sub-cent "$0.0042"); `call` like formatCallCost ("$0.0132"); `exact` keeps every digit, for
 * prices ("$0.075").
 */
export function formatMicros(micros: bigint, precision: 'cents' | 'call' | 'exact' = 'cents'): string {
  const usd = microsToUsd(micros);
  return precision === 'exact' ? formatUsd(usd) : precision === 'call' ? formatCallCost(usd) : formatCost(usd);
}

const MAX_DECIMALS = 6;

/** Decimals a micro-USD amount needs to be shown exactly (2 at least, 6 at most). */
function exactDecimals(micros: bigint): number {
  let d = MAX_DECIMALS;
  let rest = micros < 0n ? -micros : micros;
  while (d > 2 && rest % 10n === 0n) {
    rest /= 10n;
    d -= 1;
  }
  return d;
}

/** Decimals that give a non-zero micro-USD amount three significant digits ($0.0075 → 5, $3.47 → 2). */
function significantDecimals(micros: bigint): number {
  const usd = Math.abs(Number(micros)) / 1_000_000;
  return Math.min(MAX_DECIMALS, Math.max(2, 2 - Math.floor(Math.log10(usd))));
}

/** A micro-USD amount at a fixed number of decimals, rounded half away from zero: (7500n, 4) → "$0.0075". */
function formatMicrosAt(micros: bigint, decimals: number): string {
  const unit = 10n ** BigInt(MAX_DECIMALS - decimals);
  const negative = micros < 0n;
  const abs = negative ? -micros : micros;
  const rounded = (abs + unit / 2n) / unit;
  const scale = 10n ** BigInt(decimals);
  const whole = integer.format(rounded / scale);
  const fraction = decimals > 0 ? `.${(rounded % scale).toString().padStart(decimals, '0')}` : '';
  return `${negative && rounded > 0n ? '-' : ''}$${whole}${fraction}`;
}

/**
 * Amounts shown side by side ("$0.0075 of $2.0000 · $1.9925 left") at one precision, so they add up and agree with
 * their ratio: as many decimals as the amounts need to be exact, but no more than give the smallest non-zero one three
 * significant digits; 2 to 6.
 */
export function formatMicrosTogether<K extends string>(amounts: Record<K, bigint>): Record<K, string> {
  const values = Object.values<bigint>(amounts);
  const nonZero = values.filter((m) => m !== 0n);
  const exact = Math.max(2, ...values.map(exactDecimals));
  const decimals = nonZero.length === 0 ? 2 : Math.min(exact, Math.max(...nonZero.map(significantDecimals)));
  return Object.fromEntries(Object.entries<bigint>(amounts).map(([key, micros]) => [key, formatMicrosAt(micros, decimals)])) as Record<K, string>;
}

/** Round axis ticks from 0 past `max` (steps of 1, 2, 2.5 or 5 × 10ⁿ), about `count` of them. */
export function axisTicks(max: number, count = 4): number[] {
  if (!Number.isFinite(max) || max <= 0) return [0, 1];
  const raw = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((f) => f * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  const n = Math.ceil(max / step - 1e-9);
  // Rounded to the step's own decimals, so 3 × 0.1 is 0.3, not 0.30000000000000004.
  const digits = Math.max(0, -Math.floor(Math.log10(step)) + 2);
  return Array.from({ length: n + 1 }, (_, i) => Number((i * step).toFixed(digits)));
}

/** A USD axis tick with the decimals its step needs: "$0", "$0.015", "$0.50", "$1,000". */
export function formatUsdTick(value: number, ticks: number[]): string {
  if (value === 0) return '$0';
  const step = ticks.length > 1 ? ticks[1] - ticks[0] : value;
  const stepDecimals = Math.max(0, Math.min(MAX_DECIMALS, -Math.floor(Math.log10(step) + 1e-9)));
  // The step's significant digits after its first one (2.5, 0.015) need decimals too.
  let decimals = stepDecimals;
  while (decimals < MAX_DECIMALS && Math.abs(Number(step.toFixed(decimals)) - step) > step * 1e-6) decimals += 1;
  const shown = decimals === 0 ? 0 : Math.max(2, decimals);
  return `${value < 0 ? '-' : ''}$${new Intl.NumberFormat('en-US', { minimumFractionDigits: shown, maximumFractionDigits: shown }).format(Math.abs(value))}`;
}

/** A whole number of tokens with its unit: "1 token", "12,000 tokens". */
export const formatTokens = (n: number): string => `${integer.format(n)} ${n === 1 ? 'token' : 'tokens'}`;

/** "1 call", "2 calls": a count with its noun, singular for one. */
export const plural = (n: number, noun: string, nouns = `${noun}s`): string => `${integer.format(n)} ${n === 1 ? noun : nouns}`;

const PERIOD_LABELS = { daily: 'Daily', weekly: 'Weekly', monthly: 'Monthly', yearly: 'Yearly', one_time: 'One-time' } as const;
export type PeriodName = keyof typeof PERIOD_LABELS;
export const periodLabel = (period: PeriodName): string => PERIOD_LABELS[period];
/** "daily" as the adjective in "of $0.20 daily". */
export const periodAdverb = (period: PeriodName): string => (period === 'one_time' ? 'in total' : period);

const dateTime = new Intl.DateTimeFormat('en-US', {
  month: 'short',
  day: 'numeric',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZone: 'UTC',
});
const dateOnly = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' });
const timeWithSeconds = new Intl.DateTimeFormat('en-US', {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
  timeZone: 'UTC',
});
const shortDateTime = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'UTC' });
const shortDay = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });

/** All Studio times are UTC, labelled as such. */
export const formatDateTime = (d: Date): string => `${dateTime.format(d)} UTC`;
export const formatDate = (d: Date): string => dateOnly.format(d);
/** "Nov 26, 00:00" (UTC), for table cells whose header says UTC. */
export const formatShortDateTime = (d: Date): string => shortDateTime.format(d);
export const formatEventTime = (d: Date): string => `${timeWithSeconds.format(d)}`;
/** "2026-03-04" → "Mar 4" (chart axes). */
export const formatDayLabel = (day: string): string => shortDay.format(new Date(`${day}T00:00:00Z`));

/** Rough distance for "resets in 5 h 12 min", "in 3 days"; past dates say "just now". */
export function formatDuration(ms: number): string {
  if (ms <= 0) return 'now';
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return 'less than a minute';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 === 0 || hours >= 10 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  const days = Math.floor(hours / 24);
  return `${days} days`;
}

/** "3 minutes ago", "2 days ago"; for last-used columns. */
export function formatRelative(d: Date, now: Date): string {
  const ms = now.getTime() - d.getTime();
  if (ms < 60_000) return 'just now';
  return `${formatDuration(ms)} ago`;
}
