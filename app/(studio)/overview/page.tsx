import type { Metadata } from 'next';
import Link from 'next/link';
import { Suspense } from 'react';
import { ChartNoAxesColumn } from 'lucide-react';
import { requireSession } from '@/lib/auth/session';
import { db } from '@/lib/db';
import { hasAnyUsage, overviewWindow } from '@/lib/overview/service';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { buttonClasses } from '@/components/ui/button';
import { parseOverviewRange, RANGE_DAYS } from '@/components/overview/range-params';
import { RangeTabs } from '@/components/overview/range-tabs';
import { BudgetsAtRiskCard, RecentRefusalsCard, SpendSplitCards, TopIdentitiesCard, UsageSummary } from '@/components/overview/overview-widgets';
import { CardSkeleton, SplitSkeleton, SummarySkeleton } from '@/components/overview/skeletons';

export const metadata: Metadata = { title: 'Overview' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

// The Studio's landing page: the workspace's spend and traffic over 7, 30 or 90 days, each number linking to its list.
export default async function OverviewPage({ searchParams }: { searchParams: SearchParams }) {
  const session = await requireSession();
  const range = parseOverviewRange(await searchParams);
  const now = new Date();
  const window = overviewWindow(RANGE_DAYS[range], now);
  const workspaceId = session.workspaceId;
  const any = await hasAnyUsage(db, workspaceId);

  return (
    <>
      <PageHeader
        title="Overview"
        description={`Spend and traffic of the whole workspace over the last ${window.days} days (UTC days, today included).`}
        actions={any ? <RangeTabs range={range} /> : null}
      />
      {!any ? (
        <Card>
          <EmptyState
            icon={<ChartNoAxesColumn />}
            title="No usage yet"
            actions={
              <>
                <Link href="/identities" className={buttonClasses('primary')}>
                  Go to identities
                </Link>
                <Link href="/api-keys" className={buttonClasses('secondary')}>
                  Get an API key
                </Link>
              </>
            }
          >
            <p>
              Once calls go through the gateway or usage is sent to{' '}
              <code className="rounded bg-zinc-100 px-1 font-mono text-xs">POST /v2/usage</code>, this page shows the workspace’s spend,
              requests, tokens and error rate per day, the models and identities behind them, and the budgets that are close to their limit.
            </p>
          </EmptyState>
        </Card>
      ) : (
        // Keyed by range: switching shows the skeletons instead of the previous range's numbers.
        <div key={range}>
          <Suspense fallback={<SummarySkeleton />}>
            <UsageSummary workspaceId={workspaceId} window={window} />
          </Suspense>
          <Suspense fallback={<SplitSkeleton />}>
            <SpendSplitCards workspaceId={workspaceId} window={window} />
          </Suspense>
          <div className="mt-6 grid grid-cols-1 gap-6 xl:grid-cols-2">
            <Suspense fallback={<CardSkeleton rows={6} />}>
              <TopIdentitiesCard workspaceId={workspaceId} window={window} />
            </Suspense>
            <Suspense fallback={<CardSkeleton rows={4} />}>
              <BudgetsAtRiskCard workspaceId={workspaceId} now={now} />
            </Suspense>
          </div>
          <Suspense fallback={<CardSkeleton rows={4} className="mt-6" />}>
            <RecentRefusalsCard workspaceId={workspaceId} window={window} />
          </Suspense>
        </div>
      )}
    </>
  );
}
