'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { CircleDollarSign, KeyRound, Plug, Rocket, Users, Wallet } from 'lucide-react';
import { cn } from '../ui/cn';

const LINKS = [
  { href: '/identities', label: 'Identities', icon: Users },
  { href: '/budgets', label: 'Budgets', icon: Wallet },
  { href: '/deployments', label: 'Deployments', icon: Rocket },
  { href: '/prices', label: 'Prices', icon: CircleDollarSign },
  { href: '/providers', label: 'Providers', icon: Plug },
  { href: '/api-keys', label: 'API keys', icon: KeyRound },
] as const;

export function NavLinks({ orientation = 'vertical' }: { orientation?: 'vertical' | 'horizontal' }) {
  const pathname = usePathname();
  return (
    <ul className={cn('flex gap-1', orientation === 'vertical' ? 'flex-col' : 'flex-row')}>
      {LINKS.map(({ href, label, icon: Icon }) => {
        const active = pathname === href || pathname.startsWith(`${href}/`);
        return (
          <li key={href}>
            <Link
              href={href}
              aria-current={active ? 'page' : undefined}
              className={cn(
                'flex items-center gap-2.5 rounded-lg px-2.5 py-1.5 text-sm font-medium transition-colors',
                'focus-visible:outline-2 focus-visible:outline-brand-500',
                active ? 'bg-zinc-900/[0.06] text-zinc-900' : 'text-zinc-600 hover:bg-zinc-900/[0.04] hover:text-zinc-900',
              )}
            >
              <Icon className={cn('size-4', active ? 'text-brand-600' : 'text-zinc-400')} aria-hidden="true" />
              {label}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
