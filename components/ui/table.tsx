import { cn } from './cn';

export function Table({ className, children, label }: { className?: string; children: React.ReactNode; label?: string }) {
  return (
    <div className={cn('relative overflow-x-auto', className)}>
      <table className="w-full border-collapse text-left text-sm" aria-label={label}>
        {children}
      </table>
    </div>
  );
}

export function THead({ children }: { children: React.ReactNode }) {
  return <thead className="border-b border-zinc-200 bg-zinc-50/80 text-xs font-medium text-zinc-500">{children}</thead>;
}

export function TH({ className, children, align = 'left', ...props }: React.ThHTMLAttributes<HTMLTableCellElement> & { align?: 'left' | 'right' }) {
  return (
    <th scope="col" className={cn('px-4 py-2.5 font-medium whitespace-nowrap', align === 'right' && 'text-right', className)} {...props}>
      {children}
    </th>
  );
}

export function TBody({ children }: { children: React.ReactNode }) {
  return <tbody className="divide-y divide-zinc-100">{children}</tbody>;
}

export function TR({ className, children, ...props }: React.HTMLAttributes<HTMLTableRowElement>) {
  return (
    <tr className={cn('transition-colors hover:bg-zinc-50/70', className)} {...props}>
      {children}
    </tr>
  );
}

export function TD({ className, children, align = 'left', ...props }: React.TdHTMLAttributes<HTMLTableCellElement> & { align?: 'left' | 'right' }) {
  return (
    <td className={cn('px-4 py-3 align-middle', align === 'right' && 'text-right tabular-nums', className)} {...props}>
      {children}
    </td>
  );
}

// On a phone a wide table scrolls inside its card: the actions column stays at its right edge, over a white
// ground and a soft shadow, so Edit and Delete are never off-screen.
const STICKY_ACTIONS = 'max-sm:sticky max-sm:right-0 max-sm:bg-white max-sm:shadow-[-6px_0_6px_-6px_rgb(0_0_0/0.15)] max-sm:[tr:hover_&]:bg-zinc-50';

/** The header of a row-actions column: no visible label, named for screen readers. */
export function THActions() {
  return (
    <TH className="max-sm:sticky max-sm:right-0 max-sm:bg-zinc-50">
      <span className="sr-only">Actions</span>
    </TH>
  );
}

/** A row's icon buttons (edit, delete…), right-aligned on one line. */
export function TDActions({ children }: { children: React.ReactNode }) {
  return (
    <TD align="right" className={cn('whitespace-nowrap', STICKY_ACTIONS)}>
      <div className="flex items-center justify-end gap-0.5">{children}</div>
    </TD>
  );
}
