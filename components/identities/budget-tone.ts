// Colour of budget consumption: calm below the warning line, amber near the limit, red at or past it.
export const WARNING_PERCENT = 80;

export type BudgetTone = 'ok' | 'warning' | 'exceeded' | 'inactive';

export function budgetTone(percent: number, opts: { exceeded?: boolean; isActive?: boolean } = {}): BudgetTone {
  if (opts.isActive === false) return 'inactive';
  if (opts.exceeded || percent >= 100) return 'exceeded';
  if (percent >= WARNING_PERCENT) return 'warning';
  return 'ok';
}

/** Share of the ring to fill, 0–1: never negative, full (not overflowing) past 100%. */
export function gaugeFill(percent: number): number {
  if (!Number.isFinite(percent) || percent <= 0) return 0;
  return Math.min(percent, 100) / 100;
}

export const TONE_STYLES: Record<BudgetTone, { stroke: string; text: string; bar: string; label: string }> = {
  ok: { stroke: 'stroke-emerald-500', text: 'text-emerald-700', bar: 'bg-emerald-500', label: 'Within budget' },
  warning: { stroke: 'stroke-amber-500', text: 'text-amber-700', bar: 'bg-amber-500', label: 'Nearing the limit' },
  exceeded: { stroke: 'stroke-red-600', text: 'text-red-700', bar: 'bg-red-600', label: 'Limit reached' },
  inactive: { stroke: 'stroke-zinc-400', text: 'text-zinc-600', bar: 'bg-zinc-400', label: 'Budget paused' },
};
