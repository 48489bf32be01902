import { Card } from '@/components/ui/card';
import { HeaderSkeleton, LoadingRegion, Skeleton } from '@/components/ui/skeleton';

export default function BudgetsLoading() {
  return (
    <LoadingRegion label="Loading budgets">
      <HeaderSkeleton description="w-[32rem]" />
      <Card>
        <div className="flex gap-3 border-b border-zinc-100 px-4 py-3">
          <Skeleton className="h-9 w-80 max-w-full" />
          <Skeleton className="h-9 w-32" />
          <Skeleton className="h-9 w-32" />
          <Skeleton className="h-9 w-28" />
        </div>
        <div className="divide-y divide-zinc-100">
          {Array.from({ length: 6 }, (_, i) => (
            <div key={i} className="flex items-center gap-6 px-4 py-4">
              <div className="w-48 space-y-1.5">
                <Skeleton className="h-4 w-36" />
                <Skeleton className="h-4 w-24" />
              </div>
              <Skeleton className="hidden h-4 w-14 sm:block" />
              <Skeleton className="hidden h-4 w-16 sm:block" />
              <div className="hidden w-48 space-y-1.5 md:block">
                <Skeleton className="h-3 w-full" />
                <Skeleton className="h-2 w-full rounded-full" />
              </div>
              <Skeleton className="hidden h-4 w-16 md:block" />
              <Skeleton className="hidden h-4 w-12 lg:block" />
              <Skeleton className="hidden h-4 w-24 lg:block" />
              <Skeleton className="hidden h-5 w-14 lg:block" />
            </div>
          ))}
        </div>
      </Card>
    </LoadingRegion>
  );
}
