import Link from 'next/link';
import { ChevronLeft, ChevronRight } from 'lucide-react';
import { buttonClasses } from './button';

/** Newer / older links for a cursor-paginated list, newest first (plain links, so the back button works). */
export function CursorPagination({
  newerHref,
  olderHref,
  summary,
  label = 'Pagination',
}: {
  /** null when this is the newest page. */
  newerHref: string | null;
  /** null when there is nothing older. */
  olderHref: string | null;
  summary?: React.ReactNode;
  label?: string;
}) {
  const disabled = buttonClasses('secondary', 'sm', 'pointer-events-none opacity-50');
  return (
    <nav aria-label={label} className="flex flex-wrap items-center justify-between gap-3 px-4 py-3 text-sm text-zinc-600">
      <p>{summary}</p>
      <div className="flex items-center gap-2">
        {newerHref ? (
          <Link href={newerHref} className={buttonClasses('secondary', 'sm')} rel="prev">
            <ChevronLeft aria-hidden="true" /> Newer
          </Link>
        ) : (
          <span className={disabled} aria-disabled="true">
            <ChevronLeft aria-hidden="true" /> Newer
          </span>
        )}
        {olderHref ? (
          <Link href={olderHref} className={buttonClasses('secondary', 'sm')} rel="next">
            Older <ChevronRight aria-hidden="true" />
          </Link>
        ) : (
          <span className={disabled} aria-disabled="true">
            Older <ChevronRight aria-hidden="true" />
          </span>
        )}
      </div>
    </nav>
  );
}
