import Link from 'next/link';
import { UserText } from '../ui/user-text';

type Target = { targetKind: string; targetId: string; targetLabel: string | null; identityId: string | null };

/** Where an entry's target lives in the Studio (an identity's budget on its identity's page). */
export function targetHref(entry: Target): string | null {
  switch (entry.targetKind) {
    case 'identity':
      return `/identities/${encodeURIComponent(entry.targetId)}`;
    case 'budget':
      return entry.identityId ? `/identities/${encodeURIComponent(entry.identityId)}` : '/budgets';
    case 'deployment':
      return `/deployments/${encodeURIComponent(entry.targetId)}`;
    case 'provider':
      return '/providers';
    case 'api_key':
      return '/api-keys';
    case 'price':
    case 'settings':
      return '/prices';
    default:
      return null;
  }
}

/** The target's name, a link while the object still exists. */
export function AuditTarget({ entry, exists }: { entry: Target; exists: boolean }) {
  const text = entry.targetLabel || entry.targetId;
  const href = exists ? targetHref(entry) : null;
  if (!href) {
    return (
      <span className="text-zinc-700" title={exists ? undefined : 'No longer exists'}>
        <UserText text={text} truncate />
      </span>
    );
  }
  return (
    <Link href={href} className="block min-w-0 rounded font-medium text-brand-700 hover:underline focus-visible:outline-2 focus-visible:outline-brand-500">
      <UserText text={text} truncate />
    </Link>
  );
}
