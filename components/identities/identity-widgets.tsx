// The identity page's cards that read their own data, each inside its own <Suspense> (skeletons.tsx).
import type { IdentityRecord } from '@/lib/identities/service';
import { getIdentityMetrics, zeroMetrics } from '@/lib/usage/metrics';
import { getDailyUsage } from '@/lib/usage/daily';
import { listUsageEvents } from '@/lib/usage/service';
import { Card, CardHeader } from '../ui/card';
import { Pagination } from '../ui/pagination';
import { Stat } from '../ui/stat';
import { UserText } from '../ui/user-text';
import { formatCompact, formatInteger, formatMicros, formatPercent } from '../format';
import { UsageCharts } from './usage-charts';
import { chartPoints } from './chart-points';
import { UsageEventsTable } from './usage-events-table';

const EVENTS_PAGE_SIZE = 20;

/** The last 30 days' cost, requests, tokens and error rate, and the identity's metadata. */
export async function IdentityStats({ workspaceId, identity, now }: { workspaceId: string; identity: IdentityRecord; now: Date }) {
  const metrics = (await getIdentityMetrics(workspaceId, [identity.id], now)).get(identity.id) ?? zeroMetrics();
  const metadataEntries = Object.entries(identity.metadata);
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

/** Cost, requests and tokens per UTC day over the last 30 days. The caller resolved `identityId` in its workspace. */
export async function IdentityCharts({ identityId, now }: { identityId: string; now: Date }) {
  const days = await getDailyUsage(identityId, now, 30);
  return <UsageCharts data={chartPoints(days)} />;
}

/** A page of the identity's usage events, newest first, with its pagination. */
export async function IdentityEvents({ workspaceId, identityId, page }: { workspaceId: string; identityId: string; page: number }) {
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
