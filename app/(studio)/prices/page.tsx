import type { Metadata } from 'next';
import { CircleDollarSign } from 'lucide-react';
import { requireSession } from '@/lib/auth/session';
import { allows } from '@/lib/auth/roles';
import { countUnpricedEvents, getSettings, listPrices } from '@/lib/prices/service';
import { listUnpricedModels } from '@/lib/prices/views';
import { priceKey } from '@/lib/usage/pricing';
import { Card, CardHeader } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { AllowUnpricedSwitch } from '@/components/prices/price-actions';
import { AddPriceButton } from '@/components/prices/price-dialogs';
import { bundledPrice } from '@/components/prices/bundled-price';
import { PricesTable } from '@/components/prices/prices-table';
import { UnpricedCard } from '@/components/prices/unpriced-card';
import { createPriceAction, deletePriceAction, repriceUnpricedAction, setAllowUnpricedCallsAction, updatePriceAction } from './actions';

export const metadata: Metadata = { title: 'Prices' };

const rowActions = { update: updatePriceAction, remove: deletePriceAction };

export default async function PricesPage() {
  const session = await requireSession();
  const [prices, settings, unpricedCount, unpricedModels] = await Promise.all([
    listPrices(session.workspaceId),
    getSettings(session.workspaceId),
    countUnpricedEvents(session.workspaceId),
    listUnpricedModels(session.workspaceId),
  ]);
  const priced = new Set(prices.map((p) => priceKey(p.provider, p.model)));
  // Changing prices and settings is for admins (the actions check too); everyone else reads.
  const canEdit = allows(session.role, 'admin');
  const models = unpricedModels.map((m) => ({ ...m, hasPrice: m.provider !== null && priced.has(priceKey(m.provider, m.model)) }));
  // A custom price for a model the bundled table knows overrides it: the row says what it replaces.
  const now = new Date();
  const overridden = Object.fromEntries(
    prices.flatMap((p) => {
      const bundled = bundledPrice(p.provider, p.model, now);
      return bundled ? [[p.id, bundled] as const] : [];
    }),
  );

  return (
    <>
      <PageHeader
        title="Prices"
        description={
          <>
            Your own prices per million tokens. They override the bundled{' '}
            <code className="rounded bg-zinc-100 px-1 font-mono text-xs">@pydantic/genai-prices</code> table for the same provider and
            model.
          </>
        }
        actions={prices.length > 0 && canEdit ? <AddPriceButton action={createPriceAction} /> : null}
      />

      {canEdit ? (
        <UnpricedCard count={unpricedCount} models={models} createAction={createPriceAction} repriceAction={repriceUnpricedAction} />
      ) : (
        <UnpricedCard count={unpricedCount} models={models} />
      )}

      <Card aria-labelledby="prices-title">
        <CardHeader id="prices-title" title="Custom prices" description="New calls are priced with these at once; recorded events keep the price they were charged." />
        {prices.length === 0 ? (
          <EmptyState icon={<CircleDollarSign />} title="No custom prices" actions={canEdit ? <AddPriceButton action={createPriceAction} /> : null} className="py-10">
            <p>
              Add a price for a model the bundled table does not know (a fine-tune, a self-hosted model), or to use the rates
              you negotiated. Budgets and metrics use it from the next call on.
            </p>
          </EmptyState>
        ) : (
          <PricesTable rows={prices} overridden={overridden} actions={canEdit ? rowActions : undefined} />
        )}
      </Card>

      <Card className="mt-6" aria-labelledby="unpriced-setting-title">
        <CardHeader id="unpriced-setting-title" title="Unpriced models" />
        <div className="px-5 py-4">
          <AllowUnpricedSwitch checked={settings.allowUnpricedCalls} action={canEdit ? setAllowUnpricedCallsAction : undefined} />
        </div>
      </Card>
    </>
  );
}
