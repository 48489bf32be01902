import { cn } from './cn';

export function Stat({ label, value, hint, tone }: { label: string; value: React.ReactNode; hint?: React.ReactNode; tone?: 'danger' }) {
  return (
    <div className="min-w-0 rounded-lg bg-zinc-50 px-4 py-3 ring-1 ring-zinc-100">
      <dt className="text-xs font-medium text-zinc-500">{label}</dt>
      <dd className={cn('mt-1 truncate text-xl font-semibold tracking-tight tabular-nums', tone === 'danger' ? 'text-red-700' : 'text-zinc-900')}>
        {value}
      </dd>
      {hint && <dd className="mt-0.5 text-xs text-zinc-500">{hint}</dd>}
    </div>
  );
}
