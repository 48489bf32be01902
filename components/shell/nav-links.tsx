'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { ChartNoAxesColumn, CircleDollarSign, History, KeyRound, Plug, Rocket, UserCog, Users, Wallet, Webhook } from 'lucide-react';
import type { Role } from '../../lib/auth/roles';
import { cn } from '../ui/cn';

const LINKS = [
  { href: '/overview', label: 'Overview', icon: ChartNoAxesColumn },
  { href: '/identities', label: 'Identities', icon: Users },
  { href: '/budgets', label: 'Budgets', icon: Wallet },
  { href: '/deployments', label: 'Deployments', icon: Rocket },
  { href: '/prices', label: 'Prices', icon: CircleDollarSign },
  { href: '/providers', label: 'Providers', icon: Plug },
  { href: '/api-keys', label: 'API keys', icon: KeyRound },
  { href: '/notifiers', label: 'Notifiers', icon: Webhook },
  { href: '/audit', label: 'Audit log', icon: History },
  { href: '/users', label: 'Users', icon: UserCog, adminOnly: true },
] as const;

export function NavLinks({ orientation = 'vertical', role }: { orientation?: 'vertical' | 'horizontal'; role: Role }) {
  const pathname = usePathname();
  // Entries a role cannot use are left out (their pages refuse too).
  const links = LINKS.filter((link) => !('adminOnly' in link && link.adminOnly) || role === 'admin');
  return (
    <ul className={cn('flex gap-1', orientation === 'vertical' ? 'flex-col' : 'flex-row')}>
      {links.map(({ href, label, icon: Icon }) => {
        const active = pathname === href || pathname.startsWith(`${href}/`);
        return (
          <li key={href}>
            <Link
              href={href}
              aria-current={active ? 'page' : undefined}
              className={cn(
                'flex items-center gap-2.5 rounded-lg px-2.5 py-1.5 text-sm font-medium whitespace-nowrap transition-colors',
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
