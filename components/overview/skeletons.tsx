import { Card } from '../ui/card';
import { Skeleton } from '../ui/skeleton';

// The Overview's placeholders, shared by its <Suspense> boundaries and loading.tsx.

export function SummarySkeleton() {
  return (
    <>
      <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        {Array.from({ length: 4 }, (_, i) => (
          <Skeleton key={i} className="h-[74px]" />
        ))}
      </div>
      <Card className="mt-6">
        <div className="border-b border-zinc-100 px-5 py-4">
          <Skeleton className="h-4 w-32" />
        </div>
        <div className="grid grid-cols-1 gap-6 px-5 py-5 md:grid-cols-3">
          {Array.from({ length: 3 }, (_, i) => (
            <Skeleton key={i} className="h-52" />
          ))}
        </div>
      </Card>
    </>
  );
}

export function CardSkeleton({ rows = 5, className }: { rows?: number; className?: string }) {
  return (
    <Card className={className}>
      <div className="border-b border-zinc-100 px-5 py-4">
        <Skeleton className="h-4 w-40" />
      </div>
      <div className="space-y-3 px-5 py-5">
        {Array.from({ length: rows }, (_, i) => (
          <Skeleton key={i} className="h-6" />
        ))}
      </div>
    </Card>
  );
}

export function SplitSkeleton() {
  return (
    <div className="mt-6 grid grid-cols-1 gap-6 xl:grid-cols-2">
      <CardSkeleton rows={6} />
      <CardSkeleton rows={6} />
    </div>
  );
}

export function PanelsSkeleton() {
  return (
    <div className="mt-6 grid grid-cols-1 gap-6 xl:grid-cols-2">
      <CardSkeleton rows={6} />
      <CardSkeleton rows={4} />
    </div>
  );
}
