import { expect, shot, test } from './fixtures';

// A phone (390 × 844): the top nav scrolls with the current page in view and fades where there is more, and a
// wide table's actions stay on screen.

test.use({ viewport: { width: 390, height: 844 } });

test('the top nav shows the current page and fades where it scrolls on', async ({ page }) => {
  const nav = page.getByRole('navigation', { name: 'Studio' });
  const inView = async (name: string) => {
    const box = await nav.getByRole('link', { name }).boundingBox();
    const bar = await nav.boundingBox();
    return Boolean(box && bar && box.x >= bar.x - 1 && box.x + box.width <= bar.x + bar.width + 1);
  };

  await page.goto('/overview');
  await expect(nav.getByRole('link', { name: 'Overview' })).toHaveAttribute('aria-current', 'page');
  expect(await inView('Overview')).toBe(true);
  await expect(nav.locator('[data-nav-fade="end"]')).toHaveAttribute('data-shown', 'true');
  await expect(nav.locator('[data-nav-fade="start"]')).toHaveAttribute('data-shown', 'false');

  // A page far along the row: scrolled into view, with more to the left.
  await page.goto('/audit');
  await expect(nav.getByRole('link', { name: 'Audit log' })).toHaveAttribute('aria-current', 'page');
  await expect.poll(() => inView('Audit log')).toBe(true);
  await expect(nav.locator('[data-nav-fade="start"]')).toHaveAttribute('data-shown', 'true');
  await shot(page, '86-phone-nav-audit');
});

test('on Prices, Edit and Delete stay on screen beside the scrolling table', async ({ page, api }) => {
  const model = `phone-model-${Date.now().toString(36)}`;
  const created = await api.post('/v2/prices', { provider: 'acme', model, input_per_million: 1.25, output_per_million: 5, cache_read_per_million: 0.125, max_output_tokens: 4096 });
  expect(created.status).toBe(201);
  try {
    await page.goto('/prices');
    const row = page.locator(`[data-price-row="acme/${model}"]`);
    for (const name of [/^Edit/, /^Delete/]) {
      const box = await row.getByRole('button', { name }).boundingBox();
      expect(box && box.x >= 0 && box.x + box.width <= 390).toBe(true);
    }
    // The page itself never scrolls sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await row.scrollIntoViewIfNeeded();
    await shot(page, '87-phone-prices-actions');
  } finally {
    await api.del(`/v2/prices/${(created.body.price as { price_id: string }).price_id}`);
  }
});
