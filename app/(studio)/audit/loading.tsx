import { Card } from '@/components/ui/card';
import { HeaderSkeleton, LoadingRegion, Skeleton } from '@/components/ui/skeleton';

export default function AuditLoading() {
  return (
    <LoadingRegion label="Loading the audit log">
      <HeaderSkeleton description="w-[32rem]" />
      <Card>
        <div className="flex gap-3 border-b border-zinc-100 px-4 py-3">
          <Skeleton className="h-9 w-36" />
          <Skeleton className="h-9 w-44" />
          <Skeleton className="h-9 w-44" />
          <Skeleton className="h-9 w-72" />
        </div>
        <div className="divide-y divide-zinc-100">
          {Array.from({ length: 8 }, (_, i) => (
            <div key={i} className="flex items-center gap-6 px-4 py-4">
              <Skeleton className="h-4 w-28" />
              <Skeleton className="h-4 w-44" />
              <Skeleton className="hidden h-4 w-28 sm:block" />
              <Skeleton className="hidden h-4 w-32 md:block" />
              <Skeleton className="hidden h-4 w-72 lg:block" />
            </div>
          ))}
        </div>
      </Card>
    </LoadingRegion>
  );
}
