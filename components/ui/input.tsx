import { forwardRef } from 'react';
import { cn } from './cn';

const control =
  'block w-full rounded-lg border bg-white px-3 text-sm text-zinc-900 shadow-xs placeholder:text-zinc-400 ' +
  'focus:outline-2 focus:-outline-offset-1 focus:outline-brand-500 disabled:bg-zinc-50 disabled:text-zinc-500 ' +
  'aria-invalid:border-red-500 aria-invalid:focus:outline-red-500';

export const Input = forwardRef<HTMLInputElement, React.InputHTMLAttributes<HTMLInputElement>>(function Input(
  { className, ...props },
  ref,
) {
  return <input ref={ref} className={cn(control, 'h-9 border-zinc-300', className)} {...props} />;
});

export const Select = forwardRef<HTMLSelectElement, React.SelectHTMLAttributes<HTMLSelectElement>>(function Select(
  { className, children, ...props },
  ref,
) {
  return (
    <select ref={ref} className={cn(control, 'h-9 border-zinc-300 pr-8', className)} {...props}>
      {children}
    </select>
  );
});

export const Textarea = forwardRef<HTMLTextAreaElement, React.TextareaHTMLAttributes<HTMLTextAreaElement>>(
  function Textarea({ className, ...props }, ref) {
    return <textarea ref={ref} className={cn(control, 'min-h-20 border-zinc-300 py-2 font-mono', className)} {...props} />;
  },
);

/** A USD amount: a "$" prefix and a decimal keypad. */
export function DollarInput(props: React.InputHTMLAttributes<HTMLInputElement>) {
  return (
    <div className="relative">
      <span className="pointer-events-none absolute inset-y-0 left-3 flex items-center text-sm text-zinc-500" aria-hidden="true">
        $
      </span>
      <Input {...props} inputMode="decimal" className="pl-7 tabular-nums" autoComplete="off" />
    </div>
  );
}
