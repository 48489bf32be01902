import { cn } from './cn';

export type FieldProps = {
  /** id of the control; the label, hint and error are wired to it. */
  id: string;
  label: React.ReactNode;
  error?: string;
  hint?: React.ReactNode;
  optional?: boolean;
  className?: string;
  /** Receives the aria props to spread on the control. */
  children: (aria: { id: string; 'aria-invalid'?: true; 'aria-describedby'?: string }) => React.ReactNode;
};

/** A label, a control, an optional hint and an inline error that screen readers hear. */
export function Field({ id, label, error, hint, optional, className, children }: FieldProps) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={cn('space-y-1.5', className)}>
      <label htmlFor={id} className="flex items-baseline justify-between text-sm font-medium text-zinc-800">
        <span>{label}</span>
        {optional && <span className="text-xs font-normal text-zinc-500">Optional</span>}
      </label>
      {children({ id, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy })}
      {error && (
        <p id={errorId} className="text-sm text-red-700" data-field-error>
          {error}
        </p>
      )}
      {hint && !error && (
        <p id={hintId} className="text-xs text-zinc-500">
          {hint}
        </p>
      )}
    </div>
  );
}

/** A form-level message (e.g. "Something went wrong") announced politely. */
export function FormMessage({ tone = 'error', children }: { tone?: 'error' | 'info'; children?: React.ReactNode }) {
  if (!children) return null;
  return (
    <div
      role={tone === 'error' ? 'alert' : 'status'}
      className={cn(
        'rounded-lg px-3 py-2 text-sm',
        tone === 'error' ? 'bg-red-50 text-red-800 ring-1 ring-red-200' : 'bg-zinc-100 text-zinc-700',
      )}
    >
      {children}
    </div>
  );
}
