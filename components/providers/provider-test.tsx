'use client';

import { useState, useTransition } from 'react';
import { CircleCheck, CircleX, PlugZap } from 'lucide-react';
import { toast } from 'sonner';
import { Button } from '../ui/button';
import { formatShortDateTime } from '../format';

export type ProviderTestView = { ok: boolean; message: string; testedAt: Date };
export type ProviderTestActionResult = { ok: true; test: ProviderTestView } | { ok: false; message: string };

/** The last "Test connection" result and the button that runs a new one (toast and cell both say how it went). */
export function ProviderTestCell({
  name,
  initial,
  stored,
  action,
}: {
  name: string;
  initial: ProviderTestView | null;
  /** Database providers keep their last result (a re-render shows it, or none after an edit); environment ones do not. */
  stored: boolean;
  /** Absent for a role that cannot test (not an admin): the last result shows, no Test button. */
  action?: () => Promise<ProviderTestActionResult>;
}) {
  const [test, setTest] = useState(initial);
  const [shown, setShown] = useState(initial);
  const [pending, startTransition] = useTransition();
  if (initial !== shown) {
    setShown(initial);
    if (stored) setTest(initial);
  }

  const run = (test: () => Promise<ProviderTestActionResult>) =>
    startTransition(async () => {
      const result = await test();
      if (!result.ok) {
        toast.error(result.message);
        return;
      }
      setTest(result.test);
      if (result.test.ok) toast.success(`${name}: connected (${result.test.message})`);
      else toast.error(`${name}: ${result.test.message}`);
    });

  return (
    <div className="flex items-center justify-between gap-3">
      <div className="min-w-0" data-testid="provider-test-result" aria-live="polite">
        {test ? (
          <>
            <p className={`flex items-center gap-1.5 text-sm font-medium ${test.ok ? 'text-emerald-700' : 'text-red-700'}`}>
              {test.ok ? <CircleCheck className="size-4 shrink-0" aria-hidden="true" /> : <CircleX className="size-4 shrink-0" aria-hidden="true" />}
              <span className="sr-only">{test.ok ? 'Connected:' : 'Failed:'}</span>
              <span className="max-w-52 truncate" title={test.message}>
                {test.message}
              </span>
            </p>
            <p className="mt-0.5 text-xs whitespace-nowrap text-zinc-500">{formatShortDateTime(test.testedAt)} UTC</p>
          </>
        ) : (
          <span className="text-sm text-zinc-500">Not tested</span>
        )}
      </div>
      {action && (
        <Button size="sm" pending={pending} onClick={() => run(action)} aria-label={`Test connection to ${name}`} title="GET base URL/models with the key">
          {!pending && <PlugZap aria-hidden="true" />}
          Test
        </Button>
      )}
    </div>
  );
}
