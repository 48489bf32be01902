import { Card } from '@/components/ui/card';
import { LoadingRegion, Skeleton } from '@/components/ui/skeleton';
import { DeploymentsTableSkeleton } from '@/components/deployments/skeletons';

export default function DeploymentsLoading() {
  return (
    <LoadingRegion label="Loading deployments">
      <div className="mb-6 space-y-2">
        <Skeleton className="h-7 w-40" />
        <Skeleton className="h-4 w-[30rem] max-w-full" />
      </div>
      <Card>
        <div className="border-b border-zinc-100 px-4 py-3">
          <Skeleton className="h-9 w-80 max-w-full" />
        </div>
        <DeploymentsTableSkeleton />
      </Card>
    </LoadingRegion>
  );
}
