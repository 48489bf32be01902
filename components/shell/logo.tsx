import { cn } from '../ui/cn';

/** Tollbooth mark: a gate arm over a lane. */
export function Logo({ className }: { className?: string }) {
  return (
    <svg viewBox="0 0 32 32" className={cn('size-7', className)} aria-hidden="true">
      <rect width="32" height="32" rx="8" className="fill-zinc-900" />
      <rect x="7" y="9" width="4" height="16" rx="1.5" className="fill-white" />
      <rect x="9" y="11" width="17" height="3.5" rx="1.75" className="fill-brand-500" />
      <rect x="7" y="23" width="19" height="2" rx="1" className="fill-zinc-500" />
    </svg>
  );
}
