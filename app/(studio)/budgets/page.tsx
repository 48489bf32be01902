import type { Metadata } from 'next';
import Link from 'next/link';
import { SearchX, Wallet } from 'lucide-react';
import { requireSession } from '@/lib/auth/session';
import { allows } from '@/lib/auth/roles';
import { listApiKeys } from '@/lib/api-keys/service';
import { listAllNotifiers } from '@/lib/notifiers/service';
import { hasAnyBudget, listBudgetsByPage } from '@/lib/budgets/views';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { LiveRefresh } from '@/components/ui/live-refresh';
import { PageHeader } from '@/components/ui/page-header';
import { Pagination } from '@/components/ui/pagination';
import { buttonClasses } from '@/components/ui/button';
import { CreateBudgetButton } from '@/components/budgets/budget-dialogs';
import type { ApiKeyOption } from '@/components/budgets/budget-form-state';
import { BudgetsTable } from '@/components/budgets/budgets-table';
import { BudgetsToolbar } from '@/components/budgets/budgets-toolbar';
import { budgetListHref, hasBudgetFilters, PAGE_SIZES, parseBudgetListParams } from '@/components/budgets/list-params';
import { createBudgetAction, deleteBudgetAction, resetBudgetAction, updateBudgetAction } from './actions';

export const metadata: Metadata = { title: 'Budgets' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const rowActions = { update: updateBudgetAction, reset: resetBudgetAction, remove: deleteBudgetAction };

export default async function BudgetsPage({ searchParams }: { searchParams: SearchParams }) {
  const session = await requireSession();
  const params = parseBudgetListParams(await searchParams);
  const now = new Date();
  const [result, any, keys, notifiers] = await Promise.all([
    listBudgetsByPage(
      session.workspaceId,
      { scopeKind: params.scope || undefined, period: params.period || undefined, state: params.state || undefined, query: params.q || undefined },
      { page: params.page, pageSize: params.size },
      now,
    ),
    hasAnyBudget(session.workspaceId),
    listApiKeys(session.workspaceId),
    listAllNotifiers(session.workspaceId),
  ]);
  const notifierNames = Object.fromEntries(notifiers.map((n) => [n.id, n.name]));
  const apiKeys: ApiKeyOption[] = keys.filter((k) => !k.revokedAt).map((k) => ({ id: k.id, name: k.name, prefix: k.prefix }));
  const view = { ...params, page: result.page };
  // Viewers read; creating, editing, resetting and deleting are for members and admins (the actions check too).
  const canManage = allows(session.role, 'manage');
  const create = canManage ? <CreateBudgetButton action={createBudgetAction} apiKeys={apiKeys} notifiers={notifiers.map((n) => ({ id: n.id, name: n.name }))} /> : null;

  return (
    <>
      {/* Spend and what calls in flight reserve move while the page is open. */}
      {any && <LiveRefresh />}
      <PageHeader
        title="Budgets"
        description="Spend, token and rate limits for every scope. A call must fit every budget that applies to it."
        actions={any ? create : null}
      />
      {!any ? (
        <Card>
          <EmptyState icon={<Wallet />} title="No budgets yet" actions={create}>
            <p>
              A budget caps what a scope may spend per day, week, month or year, in USD or tokens, and how many requests it may
              make per minute. The gateway holds each call’s estimated cost while it runs and refuses calls that would go over
              with <code className="rounded bg-zinc-100 px-1 font-mono text-xs">429</code>.
            </p>
          </EmptyState>
        </Card>
      ) : (
        <Card>
          <BudgetsToolbar params={view} />
          {result.rows.length === 0 ? (
            <EmptyState
              icon={<SearchX />}
              title="No budgets match"
              actions={
                <Link href="/budgets" className={buttonClasses('secondary')}>
                  Clear filters
                </Link>
              }
            >
              <p>{hasBudgetFilters(params) ? 'Nothing matches these filters. Try another search or clear the filters.' : 'There are no budgets on this page.'}</p>
            </EmptyState>
          ) : (
            <>
              <BudgetsTable rows={result.rows} now={now} actions={canManage ? rowActions : undefined} notifierNames={notifierNames} />
              <div className="border-t border-zinc-100">
                <Pagination
                  label="Budget pages"
                  page={result.page}
                  pageCount={result.pageCount}
                  pageSize={params.size}
                  total={result.total}
                  noun={result.total === 1 ? 'budget' : 'budgets'}
                  hrefFor={(page) => budgetListHref(view, { page })}
                  pageSizes={PAGE_SIZES}
                  hrefForSize={(size) => budgetListHref(view, { size, page: 1 })}
                />
              </div>
            </>
          )}
        </Card>
      )}
      <p className="mt-4 text-xs text-zinc-500">
        Spent is what finished calls cost; reserved (striped) is what calls in flight hold until they finish. Windows follow the
        UTC calendar, and Reset starts a window again from zero.
      </p>
    </>
  );
}
