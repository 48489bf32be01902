import { Suspense } from 'react';
import Link from 'next/link';
import { History } from 'lucide-react';
import { listIdentityHistory, type AuditEntryRow } from '../../lib/audit/views';
import { formatEventTime } from '../format';
import { Card, CardHeader } from '../ui/card';
import { EmptyState } from '../ui/empty-state';
import { Skeleton } from '../ui/skeleton';
import { visibleText } from '../ui/user-text';
import { Badge } from '../ui/badge';
import { AuditDiff } from './audit-diff';
import { actionLabel, auditHref, parseAuditParams } from './audit-params';

const SHOWN = 8;

/** What happened to the identity, as the card says it ("Budget reset", "Edited"). */
const PHRASES: Record<string, string> = {
  'identity.create': 'Created',
  'identity.update': 'Edited',
  'identity.delete': 'Deleted',
  'budget.create': 'Budget set',
  'budget.update': 'Budget changed',
  'budget.delete': 'Budget removed',
  'budget.reset': 'Budget reset',
};

const KIND_WORDS: Record<string, string> = { user: 'User', api_key: 'API key', system: 'System' };

function HistoryItem({ entry }: { entry: AuditEntryRow }) {
  const phrase = PHRASES[entry.action] ?? actionLabel(entry.action);
  return (
    <li className="px-5 py-3" data-audit-id={entry.id} data-action={entry.action}>
      <div className="flex flex-wrap items-center justify-between gap-x-3 gap-y-1">
        <p className="flex min-w-0 items-center gap-2 text-sm text-zinc-900">
          <span className="min-w-0 truncate">
            <span className="font-medium">{phrase}</span> by <bdi className="font-medium">{visibleText(entry.actorLabel)}</bdi>
          </span>
          <Badge tone={entry.actorKind === 'user' ? 'brand' : entry.actorKind === 'api_key' ? 'blue' : 'neutral'}>{KIND_WORDS[entry.actorKind] ?? entry.actorKind}</Badge>
        </p>
        <time dateTime={entry.at.toISOString()} className="text-xs whitespace-nowrap text-zinc-500 tabular-nums">
          {formatEventTime(entry.at)} UTC
        </time>
      </div>
      <div className="mt-1 min-w-0">
        <AuditDiff before={entry.before} after={entry.after} preview={3} />
      </div>
    </li>
  );
}

async function IdentityHistory({ identityId }: { identityId: string }) {
  // identityId was resolved in the session's workspace by the page.
  const { rows, total } = await listIdentityHistory(identityId, SHOWN);
  const href = auditHref(parseAuditParams({}), { identity: identityId });
  return (
    <Card className="mt-6" aria-labelledby="history-title" data-testid="identity-history">
      <CardHeader
        id="history-title"
        title="History"
        description="Changes to this identity and its budget: who made them and what changed"
        actions={
          total > 0 ? (
            <Link href={href} className="rounded text-sm font-medium text-brand-700 hover:underline focus-visible:outline-2 focus-visible:outline-brand-500">
              {total > SHOWN ? `All ${total} in the audit log` : 'Open in the audit log'}
            </Link>
          ) : null
        }
      />
      {rows.length === 0 ? (
        <EmptyState icon={<History />} title="No recorded changes" className="py-8">
          <p>Identities created by traffic have no history until someone edits them or sets a budget.</p>
        </EmptyState>
      ) : (
        <ol className="divide-y divide-zinc-100">
          {rows.map((entry) => (
            <HistoryItem key={entry.id} entry={entry} />
          ))}
        </ol>
      )}
    </Card>
  );
}

/** The identity's own history (its entries and its budget's, including who pressed Reset), for its detail page. */
export function IdentityHistoryCard({ identityId }: { identityId: string }) {
  return (
    <Suspense
      fallback={
        <Card className="mt-6">
          <div className="space-y-3 px-5 py-5">
            {Array.from({ length: 3 }, (_, i) => (
              <Skeleton key={i} className="h-8" />
            ))}
          </div>
        </Card>
      }
    >
      <IdentityHistory identityId={identityId} />
    </Suspense>
  );
}
