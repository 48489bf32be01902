import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { Suspense } from 'react';
import { requireSession } from '@/lib/auth/session';
import { allows } from '@/lib/auth/roles';
import type { IdentityRecord } from '@/lib/identities/service';
import { countUnpricedCallsSince, getStudioIdentity } from '@/lib/identities/views';
import { getIdentityBudgetStatus } from '@/lib/budgets/service';
import { listSharedLiveBudgets } from '@/lib/budgets/views';
import { microsToUsd } from '@/lib/money';
import { Card, CardHeader } from '@/components/ui/card';
import { ChartRowSkeleton, LinesSkeleton } from '@/components/ui/skeleton';
import { BudgetCard } from '@/components/identities/budget-card';
import { SharedBudgetsCard } from '@/components/identities/shared-budgets';
import { LiveRefresh } from '@/components/ui/live-refresh';
import { DeleteIdentityButton } from '@/components/identities/budget-actions';
import { EditIdentityButton } from '@/components/identities/identity-dialogs';
import { IdentityHeader } from '@/components/identities/identity-header';
import { IdentityCharts, IdentityEvents, IdentityStats } from '@/components/identities/identity-widgets';
import { IdentityStatsSkeleton } from '@/components/identities/skeletons';
import { IdentityHistoryCard } from '@/components/audit/identity-history-card';
import { ExportCsvLink } from '@/components/identities/export-csv-link';
import type { IdentityFormValues } from '@/components/identities/identity-form-state';
import { deleteIdentityAction, resetBudgetAction, updateIdentityAction } from '../actions';

type Params = Promise<{ identityId: string }>;
type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const session = await requireSession();
  const identity = await getStudioIdentity(session.workspaceId, (await params).identityId);
  return { title: identity ? identity.displayName || identity.externalId : 'Identity not found' };
}

// One identity: its budget (read here: the edit form starts from it) and the other budgets its calls must fit, then cards
// that read their own data.
export default async function IdentityPage({ params, searchParams }: { params: Params; searchParams: SearchParams }) {
  const session = await requireSession();
  const identity = await getStudioIdentity(session.workspaceId, (await params).identityId);
  if (!identity) notFound();
  const eventsPage = Math.max(1, Number.parseInt(String((await searchParams).page ?? '1'), 10) || 1);
  const now = new Date();
  const [{ budget, unpricedCalls }, sharedBudgets] = await Promise.all([
    getIdentityBudgetStatus(session.workspaceId, identity.id, now).then(async (status) => ({
      budget: status,
      // Calls of the budget's window that it counted in requests and tokens, but not in USD.
      unpricedCalls: status ? await countUnpricedCallsSince(identity.id, status.windowStart) : 0,
    })),
    listSharedLiveBudgets(session.workspaceId, now),
  ]);
  const formValues = editValues(identity, budget);
  const updateAction = updateIdentityAction.bind(null, identity.id);
  // Viewers read; editing, deleting and resetting are for members and admins (the actions check too).
  const canManage = allows(session.role, 'manage');

  return (
    <>
      {/* The budget cards' spend and reservations move while the page is open. */}
      {(budget || sharedBudgets.length > 0) && <LiveRefresh />}
      <IdentityHeader
        identity={identity}
        actions={
          canManage && (
            <>
              <EditIdentityButton action={updateAction} initialValues={formValues} />
              <DeleteIdentityButton action={deleteIdentityAction.bind(null, identity.id)} name={identity.displayName || identity.externalId} />
            </>
          )
        }
      />

      <div className="grid grid-cols-1 gap-6 lg:grid-cols-5">
        <div className="lg:col-span-2">
          <BudgetCard
            budget={budget}
            now={now}
            unpricedCalls={unpricedCalls}
            resetAction={canManage ? resetBudgetAction.bind(null, identity.id) : undefined}
            setBudgetSlot={
              canManage && <EditIdentityButton action={updateAction} initialValues={{ ...formValues, budget_enabled: 'on' }} label="Set a budget" focus="budget_amount" />
            }
          />
        </div>
        <div className="lg:col-span-3">
          <Suspense fallback={<IdentityStatsSkeleton />}>
            <IdentityStats workspaceId={session.workspaceId} identity={identity} now={now} />
          </Suspense>
        </div>
      </div>

      <SharedBudgetsCard rows={sharedBudgets} />

      <Card className="mt-6" aria-labelledby="usage-title">
        <CardHeader id="usage-title" title="Usage" description="Per UTC day, last 30 days" />
        <Suspense fallback={<ChartRowSkeleton />}>
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
        <Suspense key={eventsPage} fallback={<LinesSkeleton rows={5} />}>
          <IdentityEvents workspaceId={session.workspaceId} identityId={identity.id} page={eventsPage} />
        </Suspense>
      </Card>
      <IdentityHistoryCard identityId={identity.id} />
    </>
  );
}

/** The edit form's starting values: the identity and its budget as the form spells them. */
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
