import { ArrowRight } from 'lucide-react';
import { formatUsd } from '../../lib/money';
import { formatDateTime } from '../format';
import { orderedFields } from '../../lib/audit/snapshots';
import { cn } from '../ui/cn';
import { visibleText } from '../ui/user-text';

type Snapshot = Record<string, unknown> | null;

const asSnapshot = (value: unknown): Snapshot => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null);

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** A snapshot value as a person reads it: USD with a "$", empty as "—", lists and objects as compact JSON. */
export function formatAuditValue(key: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'number' && /(^|_)usd(_|$)/.test(key)) return formatUsd(value);
  // Times are stored as ISO strings: shown as the Studio shows times, in UTC.
  if (typeof value === 'string' && key.endsWith('_at') && ISO_TIME.test(value)) return formatDateTime(new Date(value));
  if (typeof value === 'string') return visibleText(value);
  if (typeof value === 'boolean' || typeof value === 'number') return String(value);
  if (Array.isArray(value) && value.length === 0) return '[]';
  return visibleText(JSON.stringify(value));
}

const fieldLabel = (key: string) => key.replace(/_/g, ' ');

type Line = { key: string; before?: unknown; after?: unknown; kind: 'changed' | 'added' | 'removed' };

function linesOf(before: Snapshot, after: Snapshot): Line[] {
  if (before && after) return orderedFields([...Object.keys(before), ...Object.keys(after)]).map((key) => ({ key, before: before[key], after: after[key], kind: 'changed' }));
  if (after) return orderedFields(Object.keys(after)).map((key) => ({ key, after: after[key], kind: 'added' }));
  if (before) return orderedFields(Object.keys(before)).map((key) => ({ key, before: before[key], kind: 'removed' }));
  return [];
}

function DiffLine({ line }: { line: Line }) {
  return (
    <li className="min-w-0 py-0.5">
      <span className="block text-zinc-500">{fieldLabel(line.key)}</span>
      <span className="flex min-w-0 flex-wrap items-center gap-1.5 wrap-anywhere">
        {line.kind !== 'added' && (
          <span className={cn('rounded px-1 font-mono text-xs', line.kind === 'removed' ? 'bg-zinc-100 text-zinc-700' : 'bg-red-50 text-red-800 line-through decoration-red-300')}>
            {formatAuditValue(line.key, line.before)}
          </span>
        )}
        {line.kind === 'changed' && <ArrowRight className="size-3 shrink-0 text-zinc-400" aria-label="changed to" />}
        {line.kind !== 'removed' && <span className="rounded bg-emerald-50 px-1 font-mono text-xs text-emerald-800">{formatAuditValue(line.key, line.after)}</span>}
      </span>
    </li>
  );
}

/**
 * The before → after of one entry: the first changed fields on one line, every field when expanded. A create
 * shows what was set, a delete what was there.
 */
export function AuditDiff({ before, after, preview = 2 }: { before: unknown; after: unknown; preview?: number }) {
  const lines = linesOf(asSnapshot(before), asSnapshot(after));
  if (lines.length === 0) return <span className="text-zinc-400">—</span>;
  const summary = lines
    .slice(0, preview)
    .map((l) =>
      l.kind === 'changed'
        ? `${fieldLabel(l.key)}: ${formatAuditValue(l.key, l.before)} → ${formatAuditValue(l.key, l.after)}`
        : `${fieldLabel(l.key)}: ${formatAuditValue(l.key, l.kind === 'added' ? l.after : l.before)}`,
    )
    .join(', ');
  const more = lines.length - preview;
  return (
    <details className="group min-w-0 text-sm" data-testid="audit-diff">
      <summary className="cursor-pointer list-none rounded text-zinc-700 marker:hidden focus-visible:outline-2 focus-visible:outline-brand-500 [&::-webkit-details-marker]:hidden">
        <span className="line-clamp-1 wrap-anywhere group-open:hidden">
          {summary}
          {more > 0 && <span className="text-zinc-500"> +{more} more</span>}
        </span>
        <span className="hidden text-xs font-medium text-brand-700 group-open:inline">Hide details</span>
      </summary>
      <ul className="mt-1.5 space-y-0.5 text-xs">
        {lines.map((line) => (
          <DiffLine key={line.key} line={line} />
        ))}
      </ul>
    </details>
  );
}
