'use client';

import { useState, useTransition } from 'react';
import { RefreshCw } from 'lucide-react';
import { toast } from 'sonner';
import type { ActionResult } from '../../lib/actions/result';
import { Button } from '../ui/button';
import { Switch } from '../ui/switch';
import { toastResult } from '../ui/toast-result';

/** "Re-price unpriced events": prices what has a price now, then says how many are left. */
export function RepriceButton({ action, disabled }: { action: () => Promise<ActionResult>; disabled?: boolean }) {
  const [pending, startTransition] = useTransition();
  return (
    <Button
      variant="secondary"
      pending={pending}
      disabled={disabled}
      onClick={() =>
        startTransition(async () => {
          toastResult(await action());
        })
      }
    >
      {!pending && <RefreshCw aria-hidden="true" />}
      Re-price unpriced events
    </Button>
  );
}

/** The workspace setting as a switch: it flips at once and flips back if saving fails; without `action` (not an admin), disabled. */
export function AllowUnpricedSwitch({ checked, action }: { checked: boolean; action?: (allow: boolean) => Promise<ActionResult> }) {
  const [on, setOn] = useState(checked);
  const [saved, setSaved] = useState(checked);
  const [pending, startTransition] = useTransition();
  // A re-render with a new saved value (another tab, a refresh) wins.
  if (checked !== saved) {
    setSaved(checked);
    setOn(checked);
  }
  return (
    <div className="flex items-start justify-between gap-6">
      <div>
        <label htmlFor="allow_unpriced_calls" className="text-sm font-medium text-zinc-800">
          Allow calls to unpriced models under USD budgets
        </label>
        <p id="allow_unpriced_calls-hint" className="mt-0.5 max-w-2xl text-sm text-zinc-500">
          Off: when a USD budget applies, the gateway refuses (422) a call to a model it cannot price, since its cost could not
          be counted. On: the call goes through and is recorded as unpriced until you add a price and re-price it.
        </p>
      </div>
      <div className="flex items-center gap-2 pt-0.5">
        <span className="w-6 text-right text-xs font-medium text-zinc-500" aria-hidden="true">
          {on ? 'On' : 'Off'}
        </span>
        <Switch
          id="allow_unpriced_calls"
          checked={on}
          aria-describedby="allow_unpriced_calls-hint"
          disabled={!action}
          onCheckedChange={(next) => {
            if (pending || !action) return;
            setOn(next);
            startTransition(async () => {
              const result = await action(next);
              if (result.ok) toast.success(result.message);
              else {
                setOn(!next);
                toast.error(result.message);
              }
            });
          }}
        />
      </div>
    </div>
  );
}
