import type { Metadata } from 'next';
import Link from 'next/link';
import { Webhook } from 'lucide-react';
import { requireSession } from '@/lib/auth/session';
import { allows } from '@/lib/auth/roles';
import { lastDeliveries, listAllNotifiers } from '@/lib/notifiers/service';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Table, TBody, TD, TH, THActions, THead, TR } from '@/components/ui/table';
import { formatDateTime, formatRelative } from '@/components/format';
import { UserText } from '@/components/ui/user-text';
import { AddNotifierButton, DeleteNotifierButton, EditNotifierButton, SendTestButton } from '@/components/notifiers/notifier-dialogs';
import { AttemptOutcome, DeliveryStatus } from '@/components/notifiers/delivery-status';
import { createNotifierAction, deleteNotifierAction, sendTestNotifierAction, updateNotifierAction } from './actions';

export const metadata: Metadata = { title: 'Notifiers' };

export default async function NotifiersPage() {
  const session = await requireSession();
  const canManage = allows(session.role, 'admin');
  const notifiers = await listAllNotifiers(session.workspaceId);
  const last = await lastDeliveries(notifiers.map((n) => n.id));
  const now = new Date();
  const code = 'rounded bg-zinc-100 px-1 font-mono text-xs';

  return (
    <>
      <PageHeader
        title="Notifiers"
        description={
          <>
            Webhook endpoints that budget alerts are sent to. Name one in a budget alert (<code className={code}>notifier_ids</code>) and it is told once per
            threshold per budget window. Messages are signed (Standard Webhooks) and retried with backoff until the endpoint answers 2xx.
          </>
        }
        actions={canManage ? <AddNotifierButton action={createNotifierAction} /> : undefined}
      />
      <Card>
        {notifiers.length === 0 ? (
          <EmptyState icon={<Webhook />} title="No notifiers yet" actions={canManage ? <AddNotifierButton action={createNotifierAction} /> : undefined}>
            <p>Add the URL of a service that should hear when a budget reaches 80 % or 100 %: a chat bridge, an incident tool, your own endpoint.</p>
          </EmptyState>
        ) : (
          <Table label="Notifiers">
            <THead>
              <tr>
                <TH>Name</TH>
                <TH>URL</TH>
                <TH>Status</TH>
                <TH>Last delivery</TH>
                <THActions />
              </tr>
            </THead>
            <TBody>
              {notifiers.map((n) => {
                const delivery = last.get(n.id);
                const attempt = delivery?.attemptsLog.at(-1);
                return (
                  <TR key={n.id} data-notifier={n.name}>
                    <TD className="font-medium text-zinc-900">
                      <Link href={`/notifiers/${n.id}`} className="text-brand-700 hover:underline">
                        <UserText text={n.name} truncate />
                      </Link>
                    </TD>
                    <TD className="max-w-72 truncate font-mono text-xs text-zinc-700" title={n.url}>
                      {n.url}
                    </TD>
                    <TD>{n.isActive ? <Badge tone="green">Active</Badge> : <Badge tone="neutral">Inactive</Badge>}</TD>
                    <TD className="whitespace-nowrap">
                      {delivery ? (
                        <div className="flex items-center gap-2">
                          <DeliveryStatus status={delivery.status} attempts={delivery.attempts} />
                          {attempt && <AttemptOutcome statusCode={attempt.statusCode} error={attempt.error} />}
                          <span className="text-xs text-zinc-500" title={formatDateTime(delivery.createdAt)}>
                            {delivery.eventType === 'test' ? 'test' : 'alert'} · {formatRelative(delivery.createdAt, now)}
                          </span>
                        </div>
                      ) : (
                        <span className="text-zinc-500">Never</span>
                      )}
                    </TD>
                    <TD align="right">
                      <div className="flex items-center justify-end gap-1">
                        {canManage && (
                          <>
                            <SendTestButton action={sendTestNotifierAction.bind(null, n.id)} name={n.name} disabled={!n.isActive} />
                            <EditNotifierButton action={updateNotifierAction.bind(null, n.id)} name={n.name} values={{ name: n.name, url: n.url, is_active: n.isActive ? 'on' : '' }} />
                            <DeleteNotifierButton action={deleteNotifierAction.bind(null, n.id)} name={n.name} />
                          </>
                        )}
                      </div>
                    </TD>
                  </TR>
                );
              })}
            </TBody>
          </Table>
        )}
      </Card>
    </>
  );
}
