import Link from 'next/link';
import { ChevronLeft, ChevronRight } from 'lucide-react';
import { buttonClasses } from './button';
import { formatInteger } from '../format';

type PaginationProps = {
  page: number;
  pageCount: number;
  pageSize: number;
  total: number;
  /** URL of a page (keeps the other query parameters). */
  hrefFor: (page: number) => string;
  noun?: string;
  label?: string;
  /** Offer these page sizes as links ("Rows: 10 20 50 100"); `hrefForSize` builds their URLs. */
  pageSizes?: readonly number[];
  hrefForSize?: (size: number) => string;
};

/** "Showing 21–40 of 57" with previous / next links (plain links, so the back button works). */
export function Pagination({ page, pageCount, pageSize, total, hrefFor, noun = 'results', label = 'Pagination', pageSizes, hrefForSize }: PaginationProps) {
  if (total === 0) return null;
  const from = (page - 1) * pageSize + 1;
  const to = Math.min(total, page * pageSize);
  const disabled = buttonClasses('secondary', 'sm', 'pointer-events-none opacity-50');
  return (
    <nav aria-label={label} className="flex flex-wrap items-center justify-between gap-3 px-4 py-3 text-sm text-zinc-600">
      <p>
        Showing <span className="font-medium text-zinc-900">{formatInteger(from)}</span>–
        <span className="font-medium text-zinc-900">{formatInteger(to)}</span> of{' '}
        <span className="font-medium text-zinc-900">{formatInteger(total)}</span> {noun}
      </p>
      <div className="flex items-center gap-2">
        {pageSizes && hrefForSize && total > Math.min(...pageSizes) && (
          <div className="mr-2 hidden items-center gap-1 md:flex" role="group" aria-label="Rows per page">
            <span className="text-zinc-500">Rows</span>
            {pageSizes.map((size) => (
              <Link
                key={size}
                href={hrefForSize(size)}
                aria-current={size === pageSize ? 'true' : undefined}
                aria-label={`${size} rows per page`}
                className={
                  size === pageSize
                    ? 'rounded-md bg-zinc-900 px-2 py-0.5 font-medium text-white focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-violet-600'
                    : 'rounded-md px-2 py-0.5 text-zinc-700 hover:bg-zinc-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-violet-600'
                }
              >
                {size}
              </Link>
            ))}
          </div>
        )}
        <span className="hidden text-zinc-500 sm:inline">
          Page {page} of {Math.max(1, pageCount)}
        </span>
        {page > 1 ? (
          <Link href={hrefFor(page - 1)} className={buttonClasses('secondary', 'sm')} rel="prev">
            <ChevronLeft aria-hidden="true" /> Previous
          </Link>
        ) : (
          <span className={disabled} aria-disabled="true">
            <ChevronLeft aria-hidden="true" /> Previous
          </span>
        )}
        {page < pageCount ? (
          <Link href={hrefFor(page + 1)} className={buttonClasses('secondary', 'sm')} rel="next">
            Next <ChevronRight aria-hidden="true" />
          </Link>
        ) : (
          <span className={disabled} aria-disabled="true">
            Next <ChevronRight aria-hidden="true" />
          </span>
        )}
      </div>
    </nav>
  );
}
