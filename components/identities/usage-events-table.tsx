import { Activity, CircleAlert } from 'lucide-react';
import type { UsageEventRow } from '../../lib/usage/service';
import { formatEventTime, formatInteger, formatMicros } from '../format';
import { Badge } from '../ui/badge';
import { EmptyState } from '../ui/empty-state';
import { Table, TBody, TD, TH, THead, TR } from '../ui/table';

/** Recent usage events, newest first: time, model, tokens, cost (or unpriced), status. */
export function UsageEventsTable({ rows }: { rows: UsageEventRow[] }) {
  if (rows.length === 0) {
    return (
      <EmptyState icon={<Activity />} title="No usage yet" className="py-10">
        <p>
          Calls through the gateway and events sent to{' '}
          <code className="rounded bg-zinc-100 px-1 font-mono text-xs">POST /v2/usage</code> for this identity&apos;s external ID show up
          here.
        </p>
      </EmptyState>
    );
  }
  return (
    <Table label="Recent usage events">
      <THead>
        <tr>
          <TH>Time (UTC)</TH>
          <TH>Model</TH>
          <TH align="right">Input</TH>
          <TH align="right">Output</TH>
          <TH align="right">Total tokens</TH>
          <TH align="right">Cost</TH>
          <TH>Status</TH>
          <TH align="right">Latency</TH>
        </tr>
      </THead>
      <TBody>
        {rows.map((e) => (
          <TR key={e.id} data-event-id={e.eventKey}>
            <TD className="whitespace-nowrap text-zinc-600 tabular-nums">
              <time dateTime={e.occurredAt.toISOString()}>{formatEventTime(e.occurredAt)}</time>
            </TD>
            <TD className="min-w-40">
              <span className="font-medium text-zinc-900">{e.model ?? 'Unknown model'}</span>
              {e.provider && <span className="ml-1.5 text-xs text-zinc-500">{e.provider}</span>}
            </TD>
            <TD align="right">{formatInteger(e.inputTokens)}</TD>
            <TD align="right">{formatInteger(e.outputTokens)}</TD>
            <TD align="right" className="font-medium">
              {formatInteger(e.totalTokens)}
            </TD>
            <TD align="right">
              {e.priced && e.costMicros !== null ? (
                formatMicros(e.costMicros, 'call')
              ) : (
                <span title="No price is known for this model and no cost was sent, so it adds $0 to spend.">
                  <Badge tone="amber">
                    <CircleAlert className="size-3" aria-hidden="true" />
                    Unpriced
                  </Badge>
                </span>
              )}
            </TD>
            <TD>
              {e.status === 'success' ? (
                <Badge tone="green">Success</Badge>
              ) : (
                <Badge tone="red">Error{e.errorCode ? `: ${e.errorCode}` : ''}</Badge>
              )}
            </TD>
            <TD align="right" className="text-zinc-600">
              {e.latencyMs !== null ? `${formatInteger(e.latencyMs)} ms` : '—'}
            </TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
