import { cn } from './cn';

export function Skeleton({ className }: { className?: string }) {
  // No class merging here: a caller's rounded-* replaces the default instead of competing with it.
  return <div aria-hidden="true" className={cn('animate-pulse bg-zinc-200/70', !className?.includes('rounded-') && 'rounded-md', className)} />;
}

/** Announces a loading region once, instead of every grey bar. */
export function LoadingRegion({ label, children, className }: { label: string; children: React.ReactNode; className?: string }) {
  return (
    <div role="status" aria-live="polite" aria-busy="true" className={className}>
      <span className="sr-only">{label}</span>
      {children}
    </div>
  );
}
