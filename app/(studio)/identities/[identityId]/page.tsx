import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { Suspense } from 'react';
import { ChevronRight, Mail } from 'lucide-react';
import { requireSession } from '@/lib/auth/session';
import { allows } from '@/lib/auth/roles';
import { getIdentity, type IdentityRecord } from '@/lib/identities/service';
import { getIdentityBudgetStatus } from '@/lib/budgets/service';
import { getIdentityMetrics, zeroMetrics } from '@/lib/usage/metrics';
import { listUsageEvents } from '@/lib/usage/service';
import { getDailyUsage } from '@/lib/usage/daily';
import { UserText } from '@/components/ui/user-text';
import { Badge } from '@/components/ui/badge';
import { Card, CardHeader } from '@/components/ui/card';
import { CopyButton } from '@/components/ui/copy-button';
import { Pagination } from '@/components/ui/pagination';
import { Skeleton } from '@/components/ui/skeleton';
import { Stat } from '@/components/ui/stat';
import { formatCompact, formatDate, formatInteger, formatMicros, formatPercent } from '@/components/format';
import { microsToUsd } from '@/lib/money';
import { BudgetCard } from '@/components/identities/budget-card';
import { DeleteIdentityButton } from '@/components/identities/budget-actions';
import { EditIdentityButton } from '@/components/identities/identity-dialogs';
import { IdentityAvatar } from '@/components/identities/identity-avatar';
import { SourceBadge } from '@/components/identities/source-badge';
import { UsageCharts } from '@/components/identities/usage-charts';
import { UsageEventsTable } from '@/components/identities/usage-events-table';
import { IdentityHistoryCard } from '@/components/audit/identity-history-card';
import { ExportCsvLink } from '@/components/identities/export-csv-link';
import type { IdentityFormValues } from '@/components/identities/identity-form-data';
import { deleteIdentityAction, resetBudgetAction, updateIdentityAction } from '../actions';

type Params = Promise<{ identityId: string }>;
type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const EVENTS_PAGE_SIZE = 20;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const session = await requireSession();
  const identity = await getIdentity(session.workspaceId, (await params).identityId);
  return { title: identity ? identity.displayName || identity.externalId : 'Identity not found' };
}

export default async function IdentityPage({ params, searchParams }: { params: Params; searchParams: SearchParams }) {
  const session = await requireSession();
  const identity = await getIdentity(session.workspaceId, (await params).identityId);
  if (!identity) notFound();
  const sp = await searchParams;
  const eventsPage = Math.max(1, Number.parseInt(String(sp.page ?? '1'), 10) || 1);
  const now = new Date();
  const name = identity.displayName || identity.externalId;
  const budget = await getIdentityBudgetStatus(session.workspaceId, identity.id, now);
  const formValues = editValues(identity, budget);
  const updateAction = updateIdentityAction.bind(null, identity.id);
  const metadataEntries = Object.entries(identity.metadata);
  // Viewers read; editing, deleting and resetting are for members and admins (the actions check too).
  const canManage = allows(session.role, 'manage');

  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-4 text-sm">
        <ol className="flex items-center gap-1.5 text-zinc-500">
          <li>
            <Link href="/identities" className="rounded hover:text-zinc-900 focus-visible:outline-2 focus-visible:outline-brand-500">
              Identities
            </Link>
          </li>
          <li aria-hidden="true">
            <ChevronRight className="size-3.5" />
          </li>
          <li aria-current="page" className="min-w-0 font-medium text-zinc-900">
            <UserText text={name} truncate />
          </li>
        </ol>
      </nav>

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
        {canManage && (
          <div className="flex items-center gap-2">
            <EditIdentityButton action={updateAction} initialValues={formValues} />
            <DeleteIdentityButton action={deleteIdentityAction.bind(null, identity.id)} name={name} />
          </div>
        )}
      </header>

      <div className="grid grid-cols-1 gap-6 lg:grid-cols-5">
        <div className="lg:col-span-2">
          <BudgetCard
            budget={budget}
            now={now}
            resetAction={canManage ? resetBudgetAction.bind(null, identity.id) : undefined}
            setBudgetSlot={
              canManage && (
                <EditIdentityButton
                  action={updateAction}
                  initialValues={{ ...formValues, budget_enabled: 'on' }}
                  label="Set a budget"
                  focus="budget_amount"
                />
              )
            }
          />
        </div>
        <div className="lg:col-span-3">
          <Suspense fallback={<StatsSkeleton />}>
            <IdentityStats workspaceId={session.workspaceId} identity={identity} now={now} metadataEntries={metadataEntries} />
          </Suspense>
        </div>
      </div>

      <Card className="mt-6" aria-labelledby="usage-title">
        <CardHeader id="usage-title" title="Usage" description="Per UTC day, last 30 days" />
        <Suspense fallback={<ChartsSkeleton />}>
          <IdentityCharts identityId={identity.id} now={now} />
        </Suspense>
      </Card>

      <Card className="mt-6" aria-labelledby="events-title">
        <CardHeader
          id="events-title"
          title="Recent usage events"
          description="Newest first"
          actions={<ExportCsvLink href={`/identities/${identity.id}/events/export`} label="Export all events" />}
        />
        <Suspense key={eventsPage} fallback={<EventsSkeleton />}>
          <IdentityEvents workspaceId={session.workspaceId} identityId={identity.id} page={eventsPage} />
        </Suspense>
      </Card>
      <IdentityHistoryCard identityId={identity.id} />
    </>
  );
}

function editValues(identity: IdentityRecord, budget: Awaited<ReturnType<typeof getIdentityBudgetStatus>>): IdentityFormValues {
  const hasPeriod = budget && budget.period !== 'one_time';
  return {
    external_id: identity.externalId,
    display_name: identity.displayName ?? '',
    email: identity.email ?? '',
    tags: identity.tags.join(', '),
    metadata: Object.keys(identity.metadata).length > 0 ? JSON.stringify(identity.metadata, null, 2) : '',
    budget_enabled: budget ? 'on' : '',
    budget_period: hasPeriod ? budget.period : 'monthly',
    budget_amount: budget?.limitMicros != null ? String(microsToUsd(budget.limitMicros)) : '',
  };
}

async function IdentityStats({
  workspaceId,
  identity,
  now,
  metadataEntries,
}: {
  workspaceId: string;
  identity: IdentityRecord;
  now: Date;
  metadataEntries: [string, unknown][];
}) {
  const metrics = (await getIdentityMetrics(workspaceId, [identity.id], now)).get(identity.id) ?? zeroMetrics();
  return (
    <Card aria-labelledby="stats-title" className="h-full">
      <CardHeader id="stats-title" title="Last 30 days" />
      <dl className="grid grid-cols-2 gap-3 px-5 py-4 sm:grid-cols-4">
        <Stat
          label="Cost"
          value={formatMicros(metrics.totalCostMicros)}
          hint={metrics.unpricedRequests > 0 ? `${formatInteger(metrics.unpricedRequests)} unpriced` : undefined}
        />
        <Stat label="Requests" value={formatInteger(metrics.totalRequests)} />
        <Stat label="Tokens" value={<span title={formatInteger(metrics.totalTokens)}>{formatCompact(metrics.totalTokens)}</span>} />
        <Stat
          label="Error rate"
          value={metrics.totalRequests > 0 ? formatPercent(metrics.errorRate) : '—'}
          tone={metrics.errorRate >= 0.05 ? 'danger' : undefined}
        />
      </dl>
      <div className="border-t border-zinc-100 px-5 py-4">
        <h3 className="text-xs font-medium text-zinc-500">Metadata</h3>
        {metadataEntries.length === 0 ? (
          <p className="mt-1 text-sm text-zinc-500">None</p>
        ) : (
          <dl className="mt-2 grid grid-cols-1 gap-x-6 gap-y-1.5 text-sm sm:grid-cols-2" data-testid="identity-metadata">
            {metadataEntries.map(([key, value]) => (
              <div key={key} className="grid min-w-0 grid-cols-[minmax(0,2fr)_minmax(0,3fr)] gap-2">
                <dt className="min-w-0 text-zinc-500">
                  <UserText text={key} truncate />
                </dt>
                <dd className="min-w-0 font-medium text-zinc-800">
                  <UserText text={typeof value === 'string' ? value : JSON.stringify(value)} truncate />
                </dd>
              </div>
            ))}
          </dl>
        )}
      </div>
    </Card>
  );
}

// identityId was resolved in the session's workspace above.
async function IdentityCharts({ identityId, now }: { identityId: string; now: Date }) {
  const days = await getDailyUsage(identityId, now, 30);
  return <UsageCharts data={days.map((d) => ({ day: d.day, costUsd: microsToUsd(d.costMicros), requests: d.requests, tokens: d.tokens, errors: d.errors }))} />;
}

async function IdentityEvents({ workspaceId, identityId, page }: { workspaceId: string; identityId: string; page: number }) {
  const result = await listUsageEvents(workspaceId, identityId, { page, pageSize: EVENTS_PAGE_SIZE });
  return (
    <>
      <UsageEventsTable rows={result.rows} />
      {result.total > 0 && (
        <div className="border-t border-zinc-100">
          <Pagination
            label="Usage events pages"
            page={result.page}
            pageCount={result.pageCount}
            pageSize={EVENTS_PAGE_SIZE}
            total={result.total}
            noun={result.total === 1 ? 'event' : 'events'}
            hrefFor={(p) => `/identities/${identityId}${p > 1 ? `?page=${p}` : ''}#events-title`}
          />
        </div>
      )}
    </>
  );
}

function StatsSkeleton() {
  return (
    <Card className="h-full">
      <div className="grid grid-cols-2 gap-3 px-5 py-14 sm:grid-cols-4">
        {Array.from({ length: 4 }, (_, i) => (
          <Skeleton key={i} className="h-16" />
        ))}
      </div>
    </Card>
  );
}

function ChartsSkeleton() {
  return (
    <div className="grid grid-cols-1 gap-6 px-5 py-5 md:grid-cols-3">
      {Array.from({ length: 3 }, (_, i) => (
        <Skeleton key={i} className="h-52" />
      ))}
    </div>
  );
}

function EventsSkeleton() {
  return (
    <div className="space-y-3 px-5 py-5">
      {Array.from({ length: 5 }, (_, i) => (
        <Skeleton key={i} className="h-6" />
      ))}
    </div>
  );
}
