import type { Metadata } from 'next';
import Link from 'next/link';
import { SearchX, Users } from 'lucide-react';
import { requireSession } from '@/lib/auth/session';
import { allows } from '@/lib/auth/roles';
import { listIdentitiesByPage, listWorkspaceTags } from '@/lib/identities/service';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Pagination } from '@/components/ui/pagination';
import { buttonClasses } from '@/components/ui/button';
import { CreateIdentityButton } from '@/components/identities/identity-dialogs';
import { IdentitiesTable } from '@/components/identities/identities-table';
import { IdentitiesToolbar } from '@/components/identities/identities-toolbar';
import { hasFilters, listHref, PAGE_SIZES, parseListParams } from '@/components/identities/list-params';
import { createIdentityAction } from './actions';

export const metadata: Metadata = { title: 'Identities' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function IdentitiesPage({ searchParams }: { searchParams: SearchParams }) {
  const session = await requireSession();
  const params = parseListParams(await searchParams);
  const now = new Date();
  const [result, tags] = await Promise.all([
    listIdentitiesByPage(
      session.workspaceId,
      { search: params.q || undefined, tags: params.tags, sort: params.sort, order: params.order, page: params.page, pageSize: params.size },
      now,
    ),
    listWorkspaceTags(session.workspaceId),
  ]);
  const view = { ...params, page: result.page };
  const filtered = hasFilters(params);
  // Viewers read; creating is for members and admins (the action checks too).
  const create = allows(session.role, 'manage') ? <CreateIdentityButton action={createIdentityAction} /> : null;

  return (
    <>
      <PageHeader
        title="Identities"
        description="Usage, spend and budgets per user, team, project or client. Metrics cover the last 30 days."
        actions={result.total > 0 || filtered ? create : null}
      />
      {result.total === 0 && !filtered ? (
        <Card>
          <EmptyState
            icon={<Users />}
            title="Create your first identity"
            actions={
              <>
                {create}
                <Link href="/api-keys" className={buttonClasses('secondary')}>
                  Get an API key
                </Link>
              </>
            }
          >
            <p>
              An identity is whoever spends tokens: a user, team, project or client. Create one here with an optional
              budget, or send usage to <code className="rounded bg-zinc-100 px-1 font-mono text-xs">POST /v2/usage</code>{' '}
              with an <code className="rounded bg-zinc-100 px-1 font-mono text-xs">external_id</code> and it is created
              for you.
            </p>
          </EmptyState>
        </Card>
      ) : (
        <Card>
          <IdentitiesToolbar params={view} tags={tags} />
          {result.rows.length === 0 ? (
            <EmptyState
              icon={<SearchX />}
              title="No identities match"
              actions={
                <Link href={listHref(view, { q: '', tags: [], page: 1 })} className={buttonClasses('secondary')}>
                  Clear filters
                </Link>
              }
            >
              <p>
                Nothing matches {params.q && <>“{params.q}”</>}
                {params.q && params.tags.length > 0 && ' with '}
                {params.tags.length > 0 && <>the tag “{params.tags.join('”, “')}”</>}. Try another search or clear the filters.
              </p>
            </EmptyState>
          ) : (
            <>
              <IdentitiesTable rows={result.rows} params={view} />
              <div className="border-t border-zinc-100">
                <Pagination
                  page={result.page}
                  pageCount={result.pageCount}
                  pageSize={params.size}
                  total={result.total}
                  noun={result.total === 1 ? 'identity' : 'identities'}
                  hrefFor={(page) => listHref(view, { page })}
                  pageSizes={PAGE_SIZES}
                  hrefForSize={(size) => listHref(view, { size, page: 1 })}
                />
              </div>
            </>
          )}
        </Card>
      )}
    </>
  );
}
