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
};

/** "Showing 21–40 of 57" with previous / next links (plain links, so the back button works). */
export function Pagination({ page, pageCount, pageSize, total, hrefFor, noun = 'results', label = 'Pagination' }: PaginationProps) {
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
