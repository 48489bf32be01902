'use client';

import { useEffect, useRef } from 'react';
import { TriangleAlert } from 'lucide-react';
import { CopyButton } from './copy-button';
import { Input } from './input';

/**
 * A secret (API key, signing secret, invite link) shown once after it is created: the warning, the value selected
 * for copying, and a copy button.
 */
export function ShownOnce({ id, label, value, warning, copyLabel }: { id: string; label: string; value: string; warning: React.ReactNode; copyLabel?: string }) {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => ref.current?.select(), []);
  return (
    <>
      <div className="flex items-start gap-2 rounded-lg bg-amber-50 px-3 py-2.5 text-sm text-amber-900 ring-1 ring-amber-200" role="note">
        <TriangleAlert className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
        <p>{warning}</p>
      </div>
      <div className="space-y-1.5">
        <label htmlFor={id} className="text-sm font-medium text-zinc-800">
          {label}
        </label>
        <div className="flex gap-2">
          <Input id={id} ref={ref} readOnly value={value} className="font-mono text-xs" onFocus={(e) => e.currentTarget.select()} />
          <CopyButton value={value} {...(copyLabel ? { label: copyLabel } : {})} />
        </div>
      </div>
    </>
  );
}
