// Placeholders of the deployment pages, shared by their loading.tsx and Suspense boundaries.
import { Card } from '../ui/card';
import { ChartRowSkeleton, Skeleton, StatGridSkeleton } from '../ui/skeleton';

export function DeploymentsTableSkeleton({ rows = 4 }: { rows?: number }) {
  return (
    <div className="divide-y divide-zinc-100">
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="flex items-center gap-6 px-4 py-4">
          <Skeleton className="h-4 w-40" />
          <Skeleton className="hidden h-4 w-32 sm:block" />
          <Skeleton className="hidden h-4 w-28 md:block" />
          <Skeleton className="hidden h-4 w-14 md:block" />
          <Skeleton className="hidden h-4 w-14 lg:block" />
          <Skeleton className="hidden h-4 w-14 lg:block" />
        </div>
      ))}
    </div>
  );
}

/** The detail page while it loads: header, configuration and usage cards. */
export function DeploymentDetailSkeleton() {
  return (
    <>
      <Skeleton className="mb-5 h-4 w-48" />
      <div className="mb-6 space-y-2">
        <Skeleton className="h-7 w-64" />
        <Skeleton className="h-4 w-96 max-w-full" />
      </div>
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-5">
        <Card className="p-5 lg:col-span-2">
          <div className="space-y-3">
            <Skeleton className="h-4 w-40" />
            <Skeleton className="h-4 w-56" />
            <Skeleton className="h-4 w-32" />
          </div>
        </Card>
        <Card className="lg:col-span-3">
          <StatGridSkeleton />
        </Card>
      </div>
      <Card className="mt-6">
        <ChartRowSkeleton />
      </Card>
    </>
  );
}
