import { cn } from '../ui/cn';
import { formatPercent } from '../format';
import { budgetTone, gaugeFill, TONE_STYLES } from './budget-tone';

type BudgetGaugeProps = {
  percent: number;
  exceeded?: boolean;
  isActive?: boolean;
  size?: number;
  /** Accessible name, e.g. "Daily budget used". */
  label: string;
  /** Spoken value, e.g. "$0.08 of $0.20". */
  valueText?: string;
  className?: string;
};

/** Circular meter of budget consumption; its colour follows budgetTone(). */
export function BudgetGauge({ percent, exceeded, isActive, size = 132, label, valueText, className }: BudgetGaugeProps) {
  const tone = budgetTone(percent, { exceeded, isActive });
  const stroke = 10;
  const radius = (size - stroke) / 2;
  const circumference = 2 * Math.PI * radius;
  const filled = gaugeFill(percent) * circumference;
  const shown = formatPercent(Math.max(0, percent) / 100, percent > 0 && percent < 10 ? 1 : 0);
  return (
    <div
      role="meter"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(Math.max(0, percent) * 10) / 10}
      aria-valuetext={valueText ? `${shown}, ${valueText}` : shown}
      data-tone={tone}
      className={cn('relative inline-flex shrink-0 items-center justify-center', className)}
      style={{ width: size, height: size }}
    >
      <svg width={size} height={size} viewBox={`0 0 ${size} ${size}`} className="-rotate-90" aria-hidden="true">
        <circle cx={size / 2} cy={size / 2} r={radius} fill="none" strokeWidth={stroke} className="stroke-zinc-100" />
        <circle
          cx={size / 2}
          cy={size / 2}
          r={radius}
          fill="none"
          strokeWidth={stroke}
          strokeLinecap="round"
          strokeDasharray={`${filled} ${circumference}`}
          className={cn('transition-[stroke-dasharray] duration-500', TONE_STYLES[tone].stroke, filled === 0 && 'opacity-0')}
        />
      </svg>
      <div className="absolute inset-0 flex flex-col items-center justify-center">
        <span className={cn('text-2xl font-semibold tabular-nums', TONE_STYLES[tone].text)}>{shown}</span>
        <span className="text-xs text-zinc-500">used</span>
      </div>
    </div>
  );
}

/** Thin bar version for table rows. */
export function BudgetBar({ percent, exceeded, isActive }: { percent: number; exceeded?: boolean; isActive?: boolean }) {
  const tone = budgetTone(percent, { exceeded, isActive });
  return (
    <div className="h-1.5 w-full overflow-hidden rounded-full bg-zinc-100" aria-hidden="true">
      <div className={cn('h-full rounded-full', TONE_STYLES[tone].bar)} style={{ width: `${gaugeFill(percent) * 100}%` }} />
    </div>
  );
}
