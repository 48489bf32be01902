// The identity page's placeholders, shared by its loading.tsx and <Suspense> boundaries.
import { Card } from '../ui/card';
import { ChartRowSkeleton, Skeleton, StatGridSkeleton } from '../ui/skeleton';

/** The "Last 30 days" card while its metrics load. */
export function IdentityStatsSkeleton() {
  return (
    <Card className="h-full">
      <div className="border-b border-zinc-100 px-5 py-4">
        <Skeleton className="h-4 w-28" />
      </div>
      <StatGridSkeleton />
      <div className="border-t border-zinc-100 px-5 py-4">
        <Skeleton className="h-4 w-40" />
      </div>
    </Card>
  );
}

/** The whole page while the identity loads: breadcrumb, header, budget and stats cards, charts. */
export function IdentityDetailSkeleton() {
  return (
    <>
      <Skeleton className="mb-5 h-4 w-48" />
      <div className="mb-6 flex items-center gap-4">
        <Skeleton className="size-12 rounded-full" />
        <div className="space-y-2">
          <Skeleton className="h-7 w-56" />
          <Skeleton className="h-4 w-80 max-w-full" />
        </div>
      </div>
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-5">
        <Card className="p-5 lg:col-span-2">
          <div className="flex items-center gap-6">
            <Skeleton className="size-32 rounded-full" />
            <div className="flex-1 space-y-3">
              <Skeleton className="h-4 w-24" />
              <Skeleton className="h-4 w-32" />
              <Skeleton className="h-4 w-20" />
            </div>
          </div>
        </Card>
        <div className="lg:col-span-3">
          <IdentityStatsSkeleton />
        </div>
      </div>
      <Card className="mt-6">
        <ChartRowSkeleton />
      </Card>
    </>
  );
}
