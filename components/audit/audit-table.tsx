import type { AuditEntryRow } from '../../lib/audit/views';
import { formatEventTime } from '../format';
import { Table, TBody, TD, TH, THead, TR } from '../ui/table';
import { ActorBadge } from './actor-badge';
import { AuditDiff } from './audit-diff';
import { actionLabel } from './audit-params';
import { AuditTarget } from './audit-target';

/** Audit entries, newest first: when, who, what, on which object, and the change. */
export function AuditTable({ rows, existing }: { rows: AuditEntryRow[]; existing: Set<string> }) {
  return (
    <Table label="Audit log">
      <THead>
        <tr>
          <TH>When (UTC)</TH>
          <TH>Who</TH>
          <TH>Action</TH>
          <TH>Target</TH>
          <TH className="w-[40%]">Change</TH>
        </tr>
      </THead>
      <TBody>
        {rows.map((entry) => (
          <TR key={entry.id} data-audit-id={entry.id} data-action={entry.action}>
            <TD className="align-top whitespace-nowrap text-zinc-600 tabular-nums">
              <time dateTime={entry.at.toISOString()}>{formatEventTime(entry.at)}</time>
            </TD>
            <TD className="max-w-64 align-top">
              <ActorBadge kind={entry.actorKind} label={entry.actorLabel} />
            </TD>
            <TD className="align-top whitespace-nowrap font-medium text-zinc-900">{actionLabel(entry.action)}</TD>
            <TD className="max-w-56 align-top">
              <AuditTarget entry={entry} exists={existing.has(entry.targetId)} />
            </TD>
            <TD className="max-w-[28rem] align-top">
              <AuditDiff before={entry.before} after={entry.after} />
            </TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
