import Link from 'next/link';
import { CircleAlert, Wallet } from 'lucide-react';
import type { BudgetStatus } from '../../lib/budgets/service';
import { formatDateTime, formatDuration, formatInteger, periodLabel, plural } from '../format';
import { Badge } from '../ui/badge';
import { Card, CardHeader } from '../ui/card';
import { EmptyState } from '../ui/empty-state';
import { ResetBudgetButton } from './budget-actions';
import { budgetAmounts, budgetBreakdown, reservedPhrase } from './budget-amounts';
import { BudgetGauge, shownPercent } from './budget-gauge';
import { budgetTone, TONE_STYLES } from './budget-tone';

type Result = { ok: boolean; message: string };

/** orq's budget panel: period, limit, consumed and % around a gauge, the reset time and a Reset button. */
export function BudgetCard({
  budget,
  now,
  resetAction,
  setBudgetSlot,
  unpricedCalls = 0,
}: {
  budget: BudgetStatus | null;
  now: Date;
  /** The identity's calls of the budget's current window stored unpriced: counted in requests and tokens, not in USD. */
  unpricedCalls?: number;
  /** Absent for a role that cannot reset (viewers): no Reset button. */
  resetAction?: () => Promise<Result>;
  setBudgetSlot: React.ReactNode;
}) {
  if (!budget) {
    return (
      <Card aria-labelledby="budget-title" className="h-full">
        <CardHeader id="budget-title" title="Budget" />
        <EmptyState icon={<Wallet />} title="No budget" actions={setBudgetSlot} className="py-8">
          <p>Cap this identity&apos;s spend per day, week, month or year. Requests over the limit get 429.</p>
        </EmptyState>
      </Card>
    );
  }
  const label = periodLabel(budget.period);
  const amounts = budgetAmounts(budget);
  // Past expires_at the budget gates nothing and its window no longer resets.
  const expiredAt = budget.expiresAt && budget.expiresAt <= now ? budget.expiresAt : null;
  // The gauge follows the most used limit, so it agrees with "Limit reached".
  const tone = budgetTone(amounts.percent, { exceeded: budget.exceeded, isActive: budget.isActive && !expiredAt });
  const limit = amounts.limit ?? amounts.rate ?? '—';
  // The limits the gauge does not show: the other of USD and tokens, and the rate limit beside either.
  // Only where the card counts dollars: a token limit alone counts unpriced calls in full.
  const unpricedShown = unpricedCalls > 0 && (budget.limitMicros !== null || budget.tokenLimit === null);
  const otherLimits = [
    ...amounts.meters.slice(1).map((m) => ({ key: m.measure, text: `${m.spentOf} of ${m.limit}`, note: `${shownPercent(m.percent)} used · ${m.remaining} left` })),
    ...(amounts.limit !== null && amounts.rate ? [{ key: 'rate', text: amounts.rate, note: 'rate limit' }] : []),
  ];

  return (
    <Card aria-labelledby="budget-title" className="h-full" data-testid="budget-card">
      <CardHeader
        id="budget-title"
        title="Budget"
        description={
          expiredAt ? (
            `${label} · expired ${formatDateTime(expiredAt)}`
          ) : budget.resetsAt ? (
            <>
              {label} · resets in {formatDuration(budget.resetsAt.getTime() - now.getTime())}
            </>
          ) : (
            `${label} · never resets`
          )
        }
        actions={resetAction && <ResetBudgetButton action={resetAction} periodLabel={label} />}
      />
      <div className="flex flex-col items-center gap-5 px-5 py-5 sm:flex-row sm:items-center">
        <BudgetGauge
          percent={amounts.percent}
          reservedPercent={amounts.reservedPercent}
          exceeded={budget.exceeded}
          isActive={budget.isActive && !expiredAt}
          label={`${label} budget used`}
          valueText={`${amounts.spent} of ${limit}; ${budgetBreakdown(budget)}`}
        />
        <dl className="grid w-full flex-1 grid-cols-2 gap-x-4 gap-y-3 text-sm">
          <div>
            <dt className="text-xs text-zinc-500">{label} limit</dt>
            <dd className="font-semibold tabular-nums text-zinc-900" data-testid="budget-limit">
              {limit}
            </dd>
          </div>
          <div>
            <dt className="text-xs text-zinc-500">Spent</dt>
            <dd className="font-semibold tabular-nums text-zinc-900" data-testid="budget-consumed">
              {amounts.spent}
            </dd>
          </div>
          <div>
            <dt className="text-xs text-zinc-500">Remaining</dt>
            <dd className="tabular-nums text-zinc-700" data-testid="budget-remaining">
              {amounts.remaining ?? '—'}
            </dd>
          </div>
          <div>
            <dt className="text-xs text-zinc-500">Requests</dt>
            <dd className="tabular-nums text-zinc-700">{formatInteger(budget.requests)}</dd>
          </div>
          {otherLimits.length > 0 && (
            <div className="col-span-2">
              <dt className="text-xs text-zinc-500">{otherLimits.length > 1 ? 'Other limits' : 'Also limited to'}</dt>
              {otherLimits.map((l) => (
                <dd key={l.key} className="text-zinc-700 tabular-nums" data-testid="budget-other-limit">
                  <span className="font-medium text-zinc-900">{l.text}</span> <span className="text-xs text-zinc-500">· {l.note}</span>
                </dd>
              ))}
            </div>
          )}
          <div className="col-span-2">
            <dt className="text-xs text-zinc-500">{expiredAt ? 'Expired' : budget.resetsAt ? 'Next reset' : 'Window'}</dt>
            <dd className="text-zinc-700" data-testid="budget-when">
              {expiredAt ? formatDateTime(expiredAt) : budget.resetsAt ? formatDateTime(budget.resetsAt) : `Since ${formatDateTime(budget.windowStart)}`}
            </dd>
          </div>
          {budget.lastResetAt && budget.lastResetAt >= budget.windowStart && (
            <div className="col-span-2">
              <dt className="text-xs text-zinc-500">Reset by hand</dt>
              <dd className="text-zinc-700">{formatDateTime(budget.lastResetAt)}</dd>
            </div>
          )}
        </dl>
      </div>
      {/* The gauge's legend, and what is reserved right now next to what is spent; the swatches separate the parts, the dots are for the text. */}
      <p className="flex flex-wrap items-center gap-x-4 gap-y-1 border-t border-zinc-100 px-5 py-3 text-xs text-zinc-600" data-testid="budget-breakdown">
        <span className="inline-flex items-center gap-1.5">
          <span aria-hidden="true" className={`size-2.5 rounded-full ${TONE_STYLES[tone].bar}`} />
          <span className="tabular-nums">{amounts.spent} spent</span>
        </span>
        <span aria-hidden="true" className="sr-only">
          {' · '}
        </span>
        <span className="inline-flex items-center gap-1.5">
          <span aria-hidden="true" className={`size-2.5 rounded-full ${budget.inFlight > 0 ? TONE_STYLES[tone].reservedBar : 'bg-zinc-200'}`} />
          <span className="tabular-nums">{reservedPhrase(budget)}</span>
        </span>
        {amounts.remaining !== null && (
          <>
            <span aria-hidden="true" className="sr-only">
              {' · '}
            </span>
            <span className="inline-flex items-center gap-1.5">
              <span aria-hidden="true" className="size-2.5 rounded-full bg-zinc-100 ring-1 ring-zinc-200 ring-inset" />
              <span className="tabular-nums">{amounts.remaining} remaining</span>
            </span>
          </>
        )}
      </p>
      {unpricedShown && (
        <p className="flex items-start gap-2 border-t border-zinc-100 bg-amber-50/60 px-5 py-3 text-xs text-amber-900" data-testid="budget-unpriced">
          <CircleAlert className="mt-px size-3.5 shrink-0 text-amber-600" aria-hidden="true" />
          <span>
            {plural(unpricedCalls, 'call')} not counted in spend: no price for {unpricedCalls === 1 ? 'its' : 'their'} model.{' '}
            <Link href="/prices" className="font-medium whitespace-nowrap text-amber-900 underline decoration-amber-400 underline-offset-2 hover:decoration-amber-700">
              Add a price
            </Link>
          </span>
        </p>
      )}
      {(tone === 'exceeded' || tone === 'inactive' || tone === 'warning') && (
        <div className="border-t border-zinc-100 px-5 py-3">
          {tone === 'exceeded' && <Badge tone="red">Limit reached: new requests are refused with 429</Badge>}
          {tone === 'warning' && <Badge tone="amber">Nearing the limit</Badge>}
          {tone === 'inactive' && <Badge tone="neutral">{expiredAt ? 'Expired' : 'Paused'}: this budget is not enforced</Badge>}
        </div>
      )}
    </Card>
  );
}
