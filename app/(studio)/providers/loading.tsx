import { Card } from '@/components/ui/card';
import { HeaderSkeleton, LoadingRegion, Skeleton } from '@/components/ui/skeleton';

export default function ProvidersLoading() {
  return (
    <LoadingRegion label="Loading providers">
      <HeaderSkeleton description="w-[30rem]" />
      <Card>
        <div className="border-b border-zinc-100 px-5 py-4">
          <Skeleton className="h-4 w-32" />
        </div>
        <div className="divide-y divide-zinc-100">
          {Array.from({ length: 3 }, (_, i) => (
            <div key={i} className="flex items-center gap-6 px-4 py-4">
              <Skeleton className="h-4 w-28" />
              <Skeleton className="hidden h-4 w-24 sm:block" />
              <Skeleton className="hidden h-4 w-56 md:block" />
              <Skeleton className="hidden h-4 w-16 md:block" />
              <Skeleton className="hidden h-4 w-20 lg:block" />
              <Skeleton className="hidden h-4 w-40 lg:block" />
            </div>
          ))}
        </div>
      </Card>
    </LoadingRegion>
  );
}
