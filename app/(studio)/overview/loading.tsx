import { LoadingRegion, Skeleton } from '@/components/ui/skeleton';
import { PanelsSkeleton, SplitSkeleton, SummarySkeleton } from '@/components/overview/skeletons';

export default function OverviewLoading() {
  return (
    <LoadingRegion label="Loading the overview">
      <div className="mb-6 flex flex-wrap items-end justify-between gap-4">
        <div className="space-y-2">
          <Skeleton className="h-7 w-36" />
          <Skeleton className="h-4 w-96 max-w-full" />
        </div>
        <Skeleton className="h-8 w-56" />
      </div>
      <SummarySkeleton />
      <SplitSkeleton />
      <PanelsSkeleton />
    </LoadingRegion>
  );
}
