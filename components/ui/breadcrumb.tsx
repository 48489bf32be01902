import Link from 'next/link';
import { ChevronRight } from 'lucide-react';
import { cn } from './cn';

/** A detail page's way back: its list, then the current page (`current`, styled by `currentClassName`). */
export function Breadcrumb({ parent, current, currentClassName }: { parent: { href: string; label: string }; current: React.ReactNode; currentClassName?: string }) {
  return (
    <nav aria-label="Breadcrumb" className="mb-4 text-sm">
      <ol className="flex items-center gap-1.5 text-zinc-500">
        <li>
          <Link href={parent.href} className="rounded hover:text-zinc-900 focus-visible:outline-2 focus-visible:outline-brand-500">
            {parent.label}
          </Link>
        </li>
        <li aria-hidden="true">
          <ChevronRight className="size-3.5" />
        </li>
        <li aria-current="page" className={cn('min-w-0 font-medium text-zinc-900', currentClassName)}>
          {current}
        </li>
      </ol>
    </nav>
  );
}
