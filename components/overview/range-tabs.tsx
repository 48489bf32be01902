import Link from 'next/link';
import { cn } from '../ui/cn';
import { OVERVIEW_RANGES, overviewHref, RANGE_DAYS, type OverviewRange } from './range-params';

/** 7 / 30 / 90 days as links: the range is in the URL. */
export function RangeTabs({ range }: { range: OverviewRange }) {
  return (
    <nav aria-label="Range" className="inline-flex rounded-lg bg-zinc-100 p-0.5 ring-1 ring-zinc-200">
      {OVERVIEW_RANGES.map((r) => (
        <Link
          key={r}
          href={overviewHref(r)}
          aria-current={r === range ? 'page' : undefined}
          className={cn(
            'rounded-md px-3 py-1 text-sm font-medium transition-colors focus-visible:outline-2 focus-visible:outline-brand-500',
            r === range ? 'bg-white text-zinc-900 shadow-xs ring-1 ring-zinc-200' : 'text-zinc-600 hover:text-zinc-900',
          )}
        >
          {RANGE_DAYS[r]} days
        </Link>
      ))}
    </nav>
  );
}
