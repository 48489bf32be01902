import { CircleCheck, TriangleAlert } from 'lucide-react';
import type { ActionResult } from '../../lib/actions/result';
import type { UnpricedModel } from '../../lib/prices/views';
import { formatInteger, plural } from '../format';
import { Badge } from '../ui/badge';
import { Card } from '../ui/card';
import { AddPriceButton } from './price-dialogs';
import type { PriceFormAction } from './price-form';
import { RepriceButton } from './price-actions';

type UnpricedCardProps = {
  count: number;
  models: (UnpricedModel & { hasPrice: boolean })[];
  /** Both absent for a role that cannot change prices: the counts show, the buttons do not. */
  createAction?: PriceFormAction;
  repriceAction?: () => Promise<ActionResult>;
};

/** How much usage has no price, for which models, and the button that prices it once prices exist. */
export function UnpricedCard({ count, models, createAction, repriceAction }: UnpricedCardProps) {
  if (count === 0) {
    return (
      <Card className="mb-6 flex flex-col gap-3 px-5 py-4 sm:flex-row sm:items-center sm:justify-between" aria-label="Unpriced usage" data-testid="unpriced-card">
        <div className="flex min-w-0 items-start gap-3">
          <CircleCheck className="mt-0.5 size-5 shrink-0 text-emerald-600" aria-hidden="true" />
          <div className="min-w-0">
            <h2 className="text-sm font-semibold text-zinc-900">Every usage event has a price</h2>
            <p className="mt-0.5 text-sm text-zinc-600">Calls to a model without a price are recorded as unpriced, never as $0, and listed here.</p>
          </div>
        </div>
        {repriceAction && (
          <div className="shrink-0">
            <RepriceButton action={repriceAction} disabled />
          </div>
        )}
      </Card>
    );
  }
  return (
    <Card className="mb-6 overflow-hidden" aria-labelledby="unpriced-title" data-testid="unpriced-card">
      <div className="flex flex-wrap items-start justify-between gap-4 bg-amber-50/60 px-5 py-4">
        <div className="flex min-w-0 items-start gap-3">
          <TriangleAlert className="mt-0.5 size-5 shrink-0 text-amber-600" aria-hidden="true" />
          <div className="min-w-0">
            <h2 id="unpriced-title" className="text-sm font-semibold text-zinc-900">
              <span data-testid="unpriced-count">{formatInteger(count)}</span> usage {count === 1 ? 'event has' : 'events have'} no price
            </h2>
            <p className="mt-0.5 text-sm text-zinc-600">
              Their cost is not counted in metrics or budgets yet. Add a price for their model, then re-price them.
            </p>
          </div>
        </div>
        {repriceAction && <RepriceButton action={repriceAction} />}
      </div>
      <ul className="divide-y divide-zinc-100 border-t border-amber-100" aria-label="Models without a price">
        {models.map((m) => {
          const name = m.provider ? `${m.provider}/${m.model}` : m.model;
          return (
            <li key={name} className="flex flex-wrap items-center justify-between gap-3 px-5 py-2.5" data-unpriced-model={name}>
              <div className="flex min-w-0 items-center gap-3">
                <span className="truncate font-mono text-[13px] text-zinc-900">
                  {m.provider ? <span className="text-zinc-500">{m.provider}/</span> : null}
                  {m.model}
                </span>
                {!m.provider && <Badge>no provider</Badge>}
                <span className="text-sm whitespace-nowrap text-zinc-500 tabular-nums">{plural(m.events, 'event')}</span>
              </div>
              {m.hasPrice ? (
                <Badge tone="green">Has a price now: re-price</Badge>
              ) : createAction ? (
                <AddPriceButton
                  action={createAction}
                  initialValues={{ provider: m.provider ?? '', model: m.model }}
                  label="Add price"
                  variant="secondary"
                  size="sm"
                />
              ) : null}
            </li>
          );
        })}
      </ul>
    </Card>
  );
}
