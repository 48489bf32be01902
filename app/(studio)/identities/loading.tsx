import { Card } from '@/components/ui/card';
import { HeaderSkeleton, LoadingRegion, Skeleton } from '@/components/ui/skeleton';

export default function IdentitiesLoading() {
  return (
    <LoadingRegion label="Loading identities">
      <HeaderSkeleton title="w-40" />
      <Card>
        <div className="flex gap-3 border-b border-zinc-100 px-4 py-3">
          <Skeleton className="h-9 w-80 max-w-full" />
          <Skeleton className="h-9 w-36" />
          <Skeleton className="h-9 w-40" />
        </div>
        <div className="divide-y divide-zinc-100">
          {Array.from({ length: 8 }, (_, i) => (
            <div key={i} className="flex items-center gap-4 px-4 py-3">
              <Skeleton className="size-8 rounded-full" />
              <div className="flex-1 space-y-1.5">
                <Skeleton className="h-4 w-40" />
                <Skeleton className="h-3 w-24" />
              </div>
              <Skeleton className="hidden h-4 w-16 sm:block" />
              <Skeleton className="hidden h-4 w-16 sm:block" />
              <Skeleton className="hidden h-4 w-20 md:block" />
              <Skeleton className="hidden h-4 w-32 md:block" />
            </div>
          ))}
        </div>
      </Card>
    </LoadingRegion>
  );
}
