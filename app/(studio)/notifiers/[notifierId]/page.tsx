import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { Inbox } from 'lucide-react';
import { requireSession } from '@/lib/auth/session';
import { allows } from '@/lib/auth/roles';
import { ApiError } from '@/lib/api/errors';
import { getNotifierOrThrow, listDeliveries, type NotifierRow } from '@/lib/notifiers/service';
import { Badge } from '@/components/ui/badge';
import { Breadcrumb } from '@/components/ui/breadcrumb';
import { Card, CardHeader } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { formatEventTime } from '@/components/format';
import { UserText } from '@/components/ui/user-text';
import { SendTestButton } from '@/components/notifiers/notifier-dialogs';
import { AttemptOutcome, DeliveryStatus } from '@/components/notifiers/delivery-status';
import { RefreshWhilePending } from '@/components/notifiers/refresh-while-pending';
import { sendTestNotifierAction } from '../actions';

export const metadata: Metadata = { title: 'Notifier deliveries' };

const DELIVERIES_SHOWN = 50;

async function findNotifier(workspaceId: string, id: string): Promise<NotifierRow | null> {
  try {
    return await getNotifierOrThrow(workspaceId, id);
  } catch (err) {
    if (err instanceof ApiError && err.code === 'not_found') return null;
    throw err;
  }
}

/** What a message said, in a few words: "budget.alert · 80 % of cost (refused)". */
function summary(eventType: string, payload: string): string {
  if (eventType !== 'budget.alert') return 'Test message';
  try {
    const { data } = JSON.parse(payload) as { data: { threshold_percent: number; dimension: string; scope: { kind: string; target_id: string }; refused: boolean } };
    return `${data.threshold_percent} % of ${data.dimension} · ${data.scope.kind.replace('_', ' ')} ${data.scope.target_id}${data.refused ? ' · a call was refused' : ''}`;
  } catch {
    return 'Budget alert';
  }
}

export default async function NotifierDeliveriesPage({ params }: { params: Promise<{ notifierId: string }> }) {
  const session = await requireSession();
  const notifier = await findNotifier(session.workspaceId, (await params).notifierId);
  if (!notifier) notFound();
  const { rows } = await listDeliveries(session.workspaceId, notifier.id, { limit: DELIVERIES_SHOWN });
  const canManage = allows(session.role, 'admin');

  return (
    <>
      <Breadcrumb parent={{ href: '/notifiers', label: 'Notifiers' }} current={<UserText text={notifier.name} truncate />} />
      <PageHeader
        title={<UserText text={notifier.name} />}
        description={
          <>
            <span className="font-mono text-xs">{notifier.url}</span> · {notifier.isActive ? 'active' : 'inactive'}
          </>
        }
        actions={canManage ? <SendTestButton action={sendTestNotifierAction.bind(null, notifier.id)} name={notifier.name} disabled={!notifier.isActive} /> : undefined}
      />
      <RefreshWhilePending pending={rows.some((r) => r.status === 'pending')} />
      <Card aria-labelledby="deliveries-title">
        <CardHeader
          id="deliveries-title"
          title="Deliveries"
          description={`The last ${DELIVERIES_SHOWN} messages, newest first. Each is retried with backoff until it is answered with 2xx, up to 8 attempts.`}
        />
        {rows.length === 0 ? (
          <EmptyState icon={<Inbox />} title="No messages yet" className="py-10">
            <p>Budget alerts naming this notifier, and test messages, show here with every attempt.</p>
          </EmptyState>
        ) : (
          <Table label="Deliveries">
            <THead>
              <tr>
                <TH>Queued (UTC)</TH>
                <TH>Event</TH>
                <TH>Status</TH>
                <TH align="right">Attempts</TH>
                <TH>Attempt log (UTC)</TH>
              </tr>
            </THead>
            <TBody>
              {rows.map((d) => (
                <TR key={d.id} data-delivery={d.id} data-event={d.eventType}>
                  <TD className="align-top whitespace-nowrap text-zinc-700">
                    {formatEventTime(d.createdAt)}
                    <span className="block font-mono text-[11px] text-zinc-400">{d.id}</span>
                  </TD>
                  <TD className="align-top">
                    <Badge tone={d.eventType === 'test' ? 'neutral' : 'brand'}>{d.eventType}</Badge>
                    <span className="mt-1 block text-xs text-zinc-500">{summary(d.eventType, d.payload)}</span>
                  </TD>
                  <TD className="align-top">
                    <DeliveryStatus status={d.status} attempts={d.attempts} />
                    {d.status === 'pending' && d.attempts > 0 && <span className="mt-1 block text-xs text-zinc-500">next try {formatEventTime(d.nextAttemptAt)}</span>}
                  </TD>
                  <TD align="right" className="align-top tabular-nums">
                    {d.attempts}
                  </TD>
                  <TD className="align-top">
                    {d.attemptsLog.length === 0 ? (
                      <span className="text-zinc-500">Not tried yet</span>
                    ) : (
                      <ol className="space-y-1" aria-label="Attempts">
                        {d.attemptsLog.map((a) => (
                          <li key={a.id} className="flex items-center gap-2 text-xs whitespace-nowrap text-zinc-600" data-attempt-status={a.statusCode ?? 'error'}>
                            <span className="tabular-nums">{formatEventTime(a.attemptedAt)}</span>
                            <AttemptOutcome statusCode={a.statusCode} error={a.error} />
                            <span className="text-zinc-400 tabular-nums">{a.durationMs} ms</span>
                          </li>
                        ))}
                      </ol>
                    )}
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
        )}
      </Card>
    </>
  );
}
