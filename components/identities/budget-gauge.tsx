import { useId } from 'react';
import { cn } from '../ui/cn';
import { formatPercent } from '../format';
import { budgetTone, gaugeParts, TONE_STYLES } from './budget-tone';

type BudgetGaugeProps = {
  percent: number;
  /** Share of the limit held by calls in flight, drawn striped after the spent part. */
  reservedPercent?: number;
  exceeded?: boolean;
  isActive?: boolean;
  size?: number;
  /** Accessible name, e.g. "Daily budget used". */
  label: string;
  /** Spoken value, e.g. "$0.08 of $0.20". */
  valueText?: string;
  className?: string;
};

/** "40%", "2.5%", "<0.1%": a budget's percentage as its gauge shows it. */
export const shownPercent = (percent: number) => formatPercent(Math.max(0, percent) / 100, percent > 0 && percent < 10 ? 1 : 0);

/** Circular meter of budget consumption; its colour follows budgetTone(), reserved money is striped. */
export function BudgetGauge({ percent, reservedPercent = 0, exceeded, isActive, size = 132, label, valueText, className }: BudgetGaugeProps) {
  // The stripe pattern needs a document-unique id; useId may contain characters url() does not take.
  const patternId = `reserved-${useId().replace(/[^a-zA-Z0-9_-]/g, '')}`;
  const tone = budgetTone(percent, { exceeded, isActive });
  const styles = TONE_STYLES[tone];
  const stroke = 10;
  const radius = (size - stroke) / 2;
  const circumference = 2 * Math.PI * radius;
  const parts = gaugeParts(percent, reservedPercent);
  const filled = parts.spent * circumference;
  const held = parts.reserved * circumference;
  const shown = shownPercent(percent);
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
        <defs>
          <pattern id={patternId} width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect width="6" height="6" className={styles.reservedFill[0]} />
            <rect width="2.5" height="6" className={styles.reservedFill[1]} />
          </pattern>
        </defs>
        <circle cx={size / 2} cy={size / 2} r={radius} fill="none" strokeWidth={stroke} className="stroke-zinc-100" />
        {/* Reserved runs from the start under the spent arc, so only its tail after the spent part shows. */}
        {held > 0 && (
          <circle
            cx={size / 2}
            cy={size / 2}
            r={radius}
            fill="none"
            strokeWidth={stroke}
            strokeLinecap="round"
            stroke={`url(#${patternId})`}
            strokeDasharray={`${filled + held} ${circumference}`}
            data-gauge-part="reserved"
          />
        )}
        <circle
          cx={size / 2}
          cy={size / 2}
          r={radius}
          fill="none"
          strokeWidth={stroke}
          strokeLinecap="round"
          strokeDasharray={`${filled} ${circumference}`}
          className={cn('transition-[stroke-dasharray] duration-500', styles.stroke, filled === 0 && 'opacity-0')}
        />
      </svg>
      <div className="absolute inset-0 flex flex-col items-center justify-center">
        <span className={cn('text-2xl font-semibold tabular-nums', styles.text)}>{shown}</span>
        <span className="text-xs text-zinc-500">used</span>
        {held > 0 && <span className="text-[11px] leading-tight text-zinc-500 tabular-nums">+{shownPercent(reservedPercent)} reserved</span>}
      </div>
    </div>
  );
}

/** Thin bar version for table rows: spent solid, reserved (calls in flight) striped after it. */
export function BudgetBar({
  percent,
  reservedPercent = 0,
  exceeded,
  isActive,
  className,
}: {
  percent: number;
  reservedPercent?: number;
  exceeded?: boolean;
  isActive?: boolean;
  className?: string;
}) {
  const styles = TONE_STYLES[budgetTone(percent, { exceeded, isActive })];
  const parts = gaugeParts(percent, reservedPercent);
  return (
    <div className={cn('flex h-1.5 w-full overflow-hidden rounded-full bg-zinc-100', className)} aria-hidden="true">
      {parts.spent > 0 && <div className={cn('h-full shrink-0', parts.reserved > 0 ? 'rounded-l-full' : 'rounded-full', styles.bar)} style={{ width: `${parts.spent * 100}%` }} />}
      {parts.reserved > 0 && (
        <div className={cn('h-full shrink-0 rounded-r-full', parts.spent === 0 && 'rounded-l-full', styles.reservedBar)} style={{ width: `${parts.reserved * 100}%` }} data-bar-part="reserved" />
      )}
    </div>
  );
}
