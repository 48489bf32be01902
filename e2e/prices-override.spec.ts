import { expect, shot, test } from './fixtures';

// A custom price for a model the bundled table knows replaces the table's price: its row says which.

test('a custom price that overrides the bundled table is marked with the price it replaces', async ({ page, api }) => {
  const created = await api.post('/v2/prices', { provider: 'openai', model: 'gpt-4o-mini', input_per_million: 0.1, output_per_million: 0.4 });
  expect(created.status).toBe(201);
  const own = await api.post('/v2/prices', { provider: 'acme', model: `own-${Date.now().toString(36)}`, input_per_million: 1, output_per_million: 2 });
  expect(own.status).toBe(201);
  try {
    await page.goto('/prices');
    const overriding = page.locator('[data-price-row="openai/gpt-4o-mini"]');
    // gpt-4o-mini is $0.15 / $0.60 per million tokens in the bundled table.
    await expect(overriding.getByTestId('price-overrides')).toHaveText('overrides bundled $0.15 / $0.60 per 1M');
    const ownName = (own.body.price as { provider: string; model: string }).model;
    await expect(page.locator(`[data-price-row="acme/${ownName}"]`).getByTestId('price-overrides')).toHaveCount(0);
    await shot(page, '88-prices-override-marked');
  } finally {
    for (const body of [created.body, own.body]) await api.del(`/v2/prices/${(body.price as { price_id: string }).price_id}`);
  }
});
