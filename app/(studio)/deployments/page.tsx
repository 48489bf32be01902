import type { Metadata } from 'next';
import Link from 'next/link';
import { Rocket, SearchX } from 'lucide-react';
import { requireSession } from '@/lib/auth/session';
import { allows } from '@/lib/auth/roles';
import { hasAnyDeployment, listDeploymentsPage, listProviderNames } from '@/lib/deployments/views';
import { buttonClasses } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Pagination } from '@/components/ui/pagination';
import { CreateDeploymentButton } from '@/components/deployments/deployment-dialogs';
import { DeploymentsTable } from '@/components/deployments/deployments-table';
import { DeploymentsToolbar } from '@/components/deployments/deployments-toolbar';
import { deploymentListHref, PAGE_SIZES, parseDeploymentListParams } from '@/components/deployments/list-params';
import { createDeploymentAction, deleteDeploymentAction, updateDeploymentAction } from './actions';

export const metadata: Metadata = { title: 'Deployments' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const rowActions = { update: updateDeploymentAction, remove: deleteDeploymentAction };

export default async function DeploymentsPage({ searchParams }: { searchParams: SearchParams }) {
  const session = await requireSession();
  const params = parseDeploymentListParams(await searchParams);
  const [result, any, providerNames] = await Promise.all([
    listDeploymentsPage(session.workspaceId, { query: params.q || undefined }, { page: params.page, pageSize: params.size }, new Date()),
    hasAnyDeployment(session.workspaceId),
    listProviderNames(session.workspaceId),
  ]);
  const view = { ...params, page: result.page };
  // Changing deployments is for admins (the actions check too); everyone else reads.
  const canEdit = allows(session.role, 'admin');
  const create = canEdit ? <CreateDeploymentButton action={createDeploymentAction} providerNames={providerNames} /> : null;

  return (
    <>
      <PageHeader
        title="Deployments"
        description="Named model calls with a prompt, parameters and fallbacks. Apps invoke them by key; every call is metered and budgeted."
        actions={any ? create : null}
      />
      {!any ? (
        <Card>
          <EmptyState icon={<Rocket />} title="No deployments yet" actions={create}>
            <p>
              A deployment keeps the model, the prompt and its parameters on the server, so an app only sends its key and the
              prompt&apos;s variables: <code className="rounded bg-zinc-100 px-1 font-mono text-xs">orq.deployments.invoke(&#123; key, inputs &#125;)</code>.
              Change the model or the prompt here without shipping the app again.
            </p>
          </EmptyState>
        </Card>
      ) : (
        <Card>
          <DeploymentsToolbar params={view} />
          {result.rows.length === 0 ? (
            <EmptyState
              icon={<SearchX />}
              title="No deployments match"
              actions={
                <Link href="/deployments" className={buttonClasses('secondary')}>
                  Clear search
                </Link>
              }
            >
              <p>{params.q ? 'Nothing matches this search. Try another key or model.' : 'There are no deployments on this page.'}</p>
            </EmptyState>
          ) : (
            <>
              <DeploymentsTable rows={result.rows} actions={canEdit ? rowActions : undefined} providerNames={providerNames} />
              <div className="border-t border-zinc-100">
                <Pagination
                  label="Deployment pages"
                  page={result.page}
                  pageCount={result.pageCount}
                  pageSize={params.size}
                  total={result.total}
                  noun={result.total === 1 ? 'deployment' : 'deployments'}
                  hrefFor={(page) => deploymentListHref(view, { page })}
                  pageSizes={PAGE_SIZES}
                  hrefForSize={(size) => deploymentListHref(view, { size, page: 1 })}
                />
              </div>
            </>
          )}
        </Card>
      )}
      <p className="mt-4 text-xs text-zinc-500">Requests, spend, tokens and error rate cover the last 30 days of calls made through each deployment.</p>
    </>
  );
}
