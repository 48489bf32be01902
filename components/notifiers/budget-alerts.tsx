import { Bell } from 'lucide-react';
import { alertsOf } from '../../lib/alerts/rules';

/** A budget's alerts in one line: "Alerts at 50 %, 100 % → Finance hook" (notifiers by name; deleted ones say so). */
export function BudgetAlertsLine({ budget, notifierNames }: { budget: { alerts: unknown; amountMicros: bigint | null; tokenLimit: bigint | null }; notifierNames: Record<string, string> }) {
  const alerts = alertsOf(budget);
  if (alerts.length === 0) return null;
  const thresholds = alerts.map((a) => `${a.thresholdPercent} %${a.dimension === 'tokens' ? ' tokens' : ''}`).join(', ');
  const names = [...new Set(alerts.flatMap((a) => a.notifierIds))].map((id) => notifierNames[id] ?? 'deleted notifier');
  return (
    <p className="mt-1 flex max-w-48 items-center gap-1 text-xs whitespace-nowrap text-zinc-500" data-budget-alerts>
      <Bell className="size-3 shrink-0" aria-hidden="true" />
      <span className="min-w-0 truncate" title={`Alerts at ${thresholds}, sent to ${names.join(', ')}`}>
        {thresholds} → {names.join(', ')}
      </span>
    </p>
  );
}
