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

/**
 * Share of the ring or bar each part fills, 0–1: settled spend first, then what calls in flight hold,
 * together never past the end.
 */
export function gaugeParts(percent: number, reservedPercent: number): { spent: number; reserved: number } {
  const spent = gaugeFill(percent);
  const reserved = Math.min(gaugeFill(reservedPercent), 1 - spent);
  return { spent, reserved };
}

type ToneStyle = {
  stroke: string;
  text: string;
  bar: string;
  /** Diagonal stripes in the tone's light shades: money held by calls in flight, not spent yet. */
  reservedBar: string;
  /** Colours of the ring's stripe pattern (base, stripe). */
  reservedFill: [string, string];
  label: string;
};

export const TONE_STYLES: Record<BudgetTone, ToneStyle> = {
  ok: {
    stroke: 'stroke-emerald-500',
    text: 'text-emerald-700',
    bar: 'bg-emerald-500',
    reservedBar: 'bg-[repeating-linear-gradient(-45deg,var(--color-emerald-400)_0_2px,var(--color-emerald-200)_2px_5px)]',
    reservedFill: ['fill-emerald-200', 'fill-emerald-400'],
    label: 'Within budget',
  },
  warning: {
    stroke: 'stroke-amber-500',
    text: 'text-amber-700',
    bar: 'bg-amber-500',
    reservedBar: 'bg-[repeating-linear-gradient(-45deg,var(--color-amber-400)_0_2px,var(--color-amber-200)_2px_5px)]',
    reservedFill: ['fill-amber-200', 'fill-amber-400'],
    label: 'Nearing the limit',
  },
  exceeded: {
    stroke: 'stroke-red-600',
    text: 'text-red-700',
    bar: 'bg-red-600',
    reservedBar: 'bg-[repeating-linear-gradient(-45deg,var(--color-red-400)_0_2px,var(--color-red-200)_2px_5px)]',
    reservedFill: ['fill-red-200', 'fill-red-400'],
    label: 'Limit reached',
  },
  inactive: {
    stroke: 'stroke-zinc-400',
    text: 'text-zinc-600',
    bar: 'bg-zinc-400',
    reservedBar: 'bg-[repeating-linear-gradient(-45deg,var(--color-zinc-400)_0_2px,var(--color-zinc-200)_2px_5px)]',
    reservedFill: ['fill-zinc-200', 'fill-zinc-400'],
    label: 'Budget paused',
  },
};
