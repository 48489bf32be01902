import Link from 'next/link';
import { Mail } from 'lucide-react';
import type { IdentityRecord } from '@/lib/identities/service';
import { Badge } from '../ui/badge';
import { Breadcrumb } from '../ui/breadcrumb';
import { CopyButton } from '../ui/copy-button';
import { UserText } from '../ui/user-text';
import { formatDate } from '../format';
import { IdentityAvatar } from './identity-avatar';
import { SourceBadge } from './source-badge';

/** The identity page's breadcrumb and header: name, source, external id, email, tags; `actions` on the right. */
export function IdentityHeader({ identity, actions }: { identity: IdentityRecord; actions?: React.ReactNode }) {
  const name = identity.displayName || identity.externalId;
  return (
    <>
      <Breadcrumb parent={{ href: '/identities', label: 'Identities' }} current={<UserText text={name} truncate />} />

      <header className="mb-6 flex flex-wrap items-start justify-between gap-4">
        <div className="flex min-w-0 items-start gap-4">
          <IdentityAvatar name={name} seed={identity.externalId} size="lg" src={identity.avatarUrl} />
          <div className="min-w-0">
            <div className="flex flex-wrap items-center gap-2">
              <h1 className="min-w-0 max-w-full text-xl font-semibold tracking-tight text-zinc-900 sm:text-2xl">
                <UserText text={name} truncate />
              </h1>
              <SourceBadge source={identity.source} />
            </div>
            <div className="mt-1 flex flex-wrap items-center gap-x-4 gap-y-1 text-sm text-zinc-600">
              <span className="inline-flex items-center gap-1.5">
                <span className="text-zinc-500">External ID</span>
                <code className="max-w-80 rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs text-zinc-800" data-testid="external-id">
                  <UserText text={identity.externalId} truncate />
                </code>
                <CopyButton value={identity.externalId} label="Copy external ID" variant="ghost" size="icon" showLabel={false} />
              </span>
              {identity.email && (
                <span className="inline-flex items-center gap-1.5">
                  <Mail className="size-3.5 text-zinc-400" aria-hidden="true" />
                  <span data-testid="identity-email">{identity.email}</span>
                </span>
              )}
              <span className="text-zinc-500">Created {formatDate(identity.createdAt)}</span>
            </div>
            {identity.tags.length > 0 && (
              <ul className="mt-2 flex flex-wrap gap-1.5" aria-label="Tags">
                {identity.tags.map((tag) => (
                  <li key={tag}>
                    <Link href={`/identities?tag=${encodeURIComponent(tag)}`} className="rounded-md focus-visible:outline-2 focus-visible:outline-brand-500">
                      <Badge tone="brand">
                        <UserText text={tag} />
                      </Badge>
                    </Link>
                  </li>
                ))}
              </ul>
            )}
          </div>
        </div>
        {actions && <div className="flex items-center gap-2">{actions}</div>}
      </header>
    </>
  );
}
