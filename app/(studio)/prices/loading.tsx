import { Card } from '@/components/ui/card';
import { HeaderSkeleton, LoadingRegion, Skeleton } from '@/components/ui/skeleton';

export default function PricesLoading() {
  return (
    <LoadingRegion label="Loading prices">
      <HeaderSkeleton title="w-28" description="w-[30rem]" />
      <Card className="mb-6 flex items-center justify-between gap-4 px-5 py-4">
        <Skeleton className="h-5 w-80 max-w-full" />
        <Skeleton className="h-9 w-48" />
      </Card>
      <Card>
        <div className="border-b border-zinc-100 px-5 py-4">
          <Skeleton className="h-4 w-32" />
        </div>
        <div className="divide-y divide-zinc-100">
          {Array.from({ length: 4 }, (_, i) => (
            <div key={i} className="flex items-center gap-6 px-4 py-4">
              <Skeleton className="h-4 w-44" />
              <Skeleton className="hidden h-4 w-14 sm:block" />
              <Skeleton className="hidden h-4 w-14 sm:block" />
              <Skeleton className="hidden h-4 w-14 md:block" />
              <Skeleton className="hidden h-4 w-14 md:block" />
              <Skeleton className="hidden h-4 w-16 lg:block" />
            </div>
          ))}
        </div>
      </Card>
    </LoadingRegion>
  );
}
