import type { Metadata } from 'next';
import Link from 'next/link';
import { History, SearchX, X } from 'lucide-react';
import { requireSession } from '@/lib/auth/session';
import { ApiError } from '@/lib/api/errors';
import { fromBound, toBound } from '@/lib/audit/schema';
import { existingTargets, listAuditActions, listAuditActors, listAuditEntries } from '@/lib/audit/views';
import { getIdentity } from '@/lib/identities/service';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { CursorPagination } from '@/components/ui/cursor-pagination';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { UserText } from '@/components/ui/user-text';
import { buttonClasses } from '@/components/ui/button';
import { plural } from '@/components/format';
import { AuditTable } from '@/components/audit/audit-table';
import { AuditToolbar } from '@/components/audit/audit-toolbar';
import { actorFilter, AUDIT_PAGE_SIZE, auditHref, hasAuditFilters, parseAuditParams } from '@/components/audit/audit-params';

export const metadata: Metadata = { title: 'Audit log' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const ACTOR_KIND_WORDS: Record<string, string> = { user: 'user', api_key: 'API key', system: 'system' };

// Every signed-in role may read the audit log; nothing here changes anything.
export default async function AuditPage({ searchParams }: { searchParams: SearchParams }) {
  const session = await requireSession();
  const params = parseAuditParams(await searchParams);
  const filter = {
    targetKind: params.kind || undefined,
    action: params.action || undefined,
    ...actorFilter(params.actor),
    identityId: params.identity || undefined,
    from: fromBound(params.from || undefined),
    to: toBound(params.to || undefined),
  };
  const list = (cursor: { startingAfter?: string; endingBefore?: string }) => listAuditEntries(session.workspaceId, filter, { limit: AUDIT_PAGE_SIZE, ...cursor });
  const [page, actions, actors, identity] = await Promise.all([
    // A stale cursor (an entry of another workspace, a mistyped link) shows the newest entries instead of an error.
    list({ startingAfter: params.older || undefined, endingBefore: params.newer || undefined }).catch((err: unknown) => {
      if (err instanceof ApiError && err.code === 'invalid_request') return list({});
      throw err;
    }),
    listAuditActions(session.workspaceId),
    listAuditActors(session.workspaceId),
    params.identity ? getIdentity(session.workspaceId, params.identity) : null,
  ]);
  const existing = await existingTargets(session.workspaceId, page.rows);
  const filtered = hasAuditFilters(params);
  const actorOptions = actors.map((a) => ({
    value: a.kind === 'system' ? 'system' : `${a.kind}:${a.id}`,
    label: `${a.label} (${ACTOR_KIND_WORDS[a.kind] ?? a.kind})`,
  }));
  const uniqueActorOptions = [...new Map(actorOptions.map((o) => [o.value, o])).values()];
  const first = page.rows[0];
  const last = page.rows[page.rows.length - 1];

  return (
    <>
      <PageHeader title="Audit log" description="Every change to identities, budgets, providers, prices, keys, deployments and users: who made it, when, and what it changed." />
      {actions.length === 0 ? (
        <Card>
          <EmptyState icon={<History />} title="No changes recorded yet">
            <p>
              Creating, editing or deleting an identity, budget, provider, price, API key or deployment — in the Studio or through the API — is
              recorded here with who did it and what changed.
            </p>
          </EmptyState>
        </Card>
      ) : (
        <Card>
          <AuditToolbar params={params} actions={actions} actors={uniqueActorOptions} />
          {params.identity && (
            <div className="flex items-center gap-2 border-b border-zinc-100 px-4 py-2 text-sm text-zinc-600">
              <span>History of</span>
              <Badge tone="brand">
                <UserText text={identity ? identity.displayName || identity.externalId : params.identity} />
                <Link href={auditHref(params, { identity: '', older: '', newer: '' })} aria-label="Show every identity" className="rounded hover:text-brand-900">
                  <X className="size-3" aria-hidden="true" />
                </Link>
              </Badge>
            </div>
          )}
          {page.rows.length === 0 ? (
            <EmptyState
              icon={<SearchX />}
              title="No entries match"
              actions={
                filtered ? (
                  <Link href="/audit" className={buttonClasses('secondary')}>
                    Clear filters
                  </Link>
                ) : null
              }
            >
              <p>No recorded change matches these filters. Try another target, action, person or date range.</p>
            </EmptyState>
          ) : (
            <>
              <AuditTable rows={page.rows} existing={existing} />
              <div className="border-t border-zinc-100">
                <CursorPagination
                  label="Audit log pages"
                  summary={<>Showing {plural(page.rows.length, 'entry', 'entries')}, newest first</>}
                  newerHref={page.hasNewer && first ? auditHref(params, { newer: first.id, older: '' }) : null}
                  olderHref={page.hasOlder && last ? auditHref(params, { older: last.id, newer: '' }) : null}
                />
              </div>
            </>
          )}
        </Card>
      )}
    </>
  );
}
