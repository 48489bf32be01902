import { Card } from './card';
import { cn } from './cn';

export function Skeleton({ className }: { className?: string }) {
  // No class merging here: a caller's rounded-* replaces the default instead of competing with it.
  return <div aria-hidden="true" className={cn('animate-pulse bg-zinc-200/70', !className?.includes('rounded-') && 'rounded-md', className)} />;
}

/** Announces a loading region once, instead of every grey bar. */
export function LoadingRegion({ label, children, className }: { label: string; children: React.ReactNode; className?: string }) {
  return (
    <div role="status" aria-live="polite" aria-busy="true" className={className}>
      <span className="sr-only">{label}</span>
      {children}
    </div>
  );
}

/** A page header while it loads: the title's and the description's bars (Tailwind width classes). */
export function HeaderSkeleton({ title = 'w-32', description = 'w-96' }: { title?: string; description?: string }) {
  return (
    <div className="mb-6 space-y-2">
      <Skeleton className={cn('h-7', title)} />
      <Skeleton className={cn('h-4 max-w-full', description)} />
    </div>
  );
}

/**
 * A list page while it loads: the header's title and description, then a card of `rows` rows whose grey bars have
 * the given widths (Tailwind width classes, one per column).
 */
export function TablePageSkeleton({ label, rows, columns }: { label: string; rows: number; columns: string[] }) {
  return (
    <LoadingRegion label={label}>
      <HeaderSkeleton />
      <Card>
        <div className="divide-y divide-zinc-100">
          {Array.from({ length: rows }, (_, i) => (
            <div key={i} className="flex items-center gap-6 px-4 py-4">
              {columns.map((width, c) => (
                <Skeleton key={c} className={cn('h-4', width)} />
              ))}
            </div>
          ))}
        </div>
      </Card>
    </LoadingRegion>
  );
}

/** A card's grid of four stats while they load. */
export function StatGridSkeleton() {
  return (
    <div className="grid grid-cols-2 gap-3 px-5 py-4 sm:grid-cols-4">
      {Array.from({ length: 4 }, (_, i) => (
        <Skeleton key={i} className="h-16" />
      ))}
    </div>
  );
}

/** A card's row of three daily charts while they load. */
export function ChartRowSkeleton() {
  return (
    <div className="grid grid-cols-1 gap-6 px-5 py-5 md:grid-cols-3">
      {Array.from({ length: 3 }, (_, i) => (
        <Skeleton key={i} className="h-52" />
      ))}
    </div>
  );
}

/** A card's list or table body while it loads: `rows` full-width bars. */
export function LinesSkeleton({ rows }: { rows: number }) {
  return (
    <div className="space-y-3 px-5 py-5">
      {Array.from({ length: rows }, (_, i) => (
        <Skeleton key={i} className="h-6" />
      ))}
    </div>
  );
}
