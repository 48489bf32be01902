import { Card } from '@/components/ui/card';
import { HeaderSkeleton, LoadingRegion, Skeleton } from '@/components/ui/skeleton';
import { DeploymentsTableSkeleton } from '@/components/deployments/skeletons';

export default function DeploymentsLoading() {
  return (
    <LoadingRegion label="Loading deployments">
      <HeaderSkeleton title="w-40" description="w-[30rem]" />
      <Card>
        <div className="border-b border-zinc-100 px-4 py-3">
          <Skeleton className="h-9 w-80 max-w-full" />
        </div>
        <DeploymentsTableSkeleton />
      </Card>
    </LoadingRegion>
  );
}
