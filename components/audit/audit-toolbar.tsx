'use client';

import { useTransition } from 'react';
import { useRouter } from 'next/navigation';
import { Input } from '../ui/input';
import { ListFilter, ListPending } from '../ui/list-toolbar';
import { actionLabel, auditHref, TARGET_KIND_LABELS, type AuditParams, type AuditTargetKindFilter } from './audit-params';

export type ActorOption = { value: string; label: string };

/** Target kind, action, actor and date filters; every change is a navigation (back to the newest entries), so the URL is the state. */
export function AuditToolbar({ params, actions, actors }: { params: AuditParams; actions: string[]; actors: ActorOption[] }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const go = (overrides: Partial<AuditParams>) =>
    startTransition(() => router.push(auditHref(params, { ...overrides, older: '', newer: '' }), { scroll: false }));
  const actionOptions = [...new Set([...actions, ...(params.action ? [params.action] : [])])].map((a) => ({ value: a, label: actionLabel(a) }));

  return (
    <div className="flex flex-col gap-3 border-b border-zinc-100 px-4 py-3 xl:flex-row xl:items-center">
      <div className="grid grid-cols-1 gap-2 sm:grid-cols-3 xl:flex xl:flex-none">
        <ListFilter
          id="audit-kind"
          label="Filter by target kind"
          value={params.kind}
          onChange={(kind) => go({ kind: kind as AuditTargetKindFilter | '' })}
          all="All targets"
          options={(Object.keys(TARGET_KIND_LABELS) as AuditTargetKindFilter[]).map((kind) => ({ value: kind, label: TARGET_KIND_LABELS[kind] }))}
          className="xl:w-36"
        />
        <ListFilter id="audit-action" label="Filter by action" value={params.action} onChange={(action) => go({ action })} all="All actions" options={actionOptions} className="xl:w-44" />
        <ListFilter id="audit-actor" label="Filter by actor" value={params.actor} onChange={(actor) => go({ actor })} all="Anyone" options={actors} className="xl:w-64" />
      </div>
      <div className="flex items-center gap-2">
        <label htmlFor="audit-from" className="text-sm text-zinc-500">
          From
        </label>
        <Input id="audit-from" type="date" value={params.from} max={params.to || undefined} onChange={(e) => go({ from: e.target.value })} className="w-auto" />
        <label htmlFor="audit-to" className="text-sm text-zinc-500">
          to
        </label>
        <Input id="audit-to" type="date" value={params.to} min={params.from || undefined} onChange={(e) => go({ to: e.target.value })} className="w-auto" />
        <ListPending pending={pending} className="flex shrink-0" />
      </div>
    </div>
  );
}
