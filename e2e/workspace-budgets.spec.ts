import { E2E_ENV } from '../playwright.config';
import { expect, shot, startHeldProvider, test, uid } from './fixtures';

// Budgets of every scope and the workspace's prices, clicked through the Studio.
// Workspace, provider and model budgets limit every other test on this server: each test deletes them again.

const SHARED_SCOPES = ['WORKSPACE', 'API_KEY', 'PROVIDER', 'MODEL'].map((k) => `scope_kind=BUDGET_SCOPE_KIND_${k}`).join('&');

test.afterEach(async ({ api }) => {
  const list = await api.get(`/v2/budgets?${SHARED_SCOPES}&limit=200`);
  for (const budget of (list.body.data as { budgetId: string }[] | undefined) ?? []) {
    expect((await api.del(`/v2/budgets/${budget.budgetId}`)).status).toBe(200);
  }
});

test('budgets: create workspace and model budgets, filter, edit, reset, delete', async ({ page, api }) => {
  // One walk through the whole page (each step builds on the last): longer than the default 30 s on 2 cores.
  test.setTimeout(120_000);
  const id = uid();
  const ext = `budget_${id}`;
  const modelId = `e2e/model-${id}`;
  const workspaceRow = page.locator('[data-scope^="workspace:"]');
  const modelRow = page.locator(`[data-scope="model:${modelId}"]`);
  const identityRow = page.locator(`[data-scope="identity:${ext}"]`);

  await test.step('the nav leads to Budgets', async () => {
    await page.goto('/identities');
    await page.getByRole('navigation', { name: 'Studio' }).getByRole('link', { name: 'Budgets' }).first().click();
    await expect(page).toHaveURL(/\/budgets$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Budgets' })).toBeVisible();
  });

  await test.step('an identity budget with usage shows in the list', async () => {
    expect((await api.post('/v2/identities', { external_id: ext, display_name: 'Budget user' })).status).toBe(201);
    const budget = await api.post('/v2/budgets', { scope: { identity: { identity_external_id: ext } }, limits: { period: 'BUDGET_PERIOD_DAILY', amount: 0.2 } });
    expect(budget.status).toBe(200);
    const usage = await api.post('/v2/usage', { events: [{ event_id: `${ext}-1`, external_id: ext, model: 'gpt-4o', provider: 'openai', input_tokens: 1000, output_tokens: 500, cost: 0.08 }] });
    expect(usage.status).toBeLessThan(300);
    await page.reload();
    await expect(identityRow).toContainText('Budget user');
    await expect(identityRow.getByRole('meter')).toHaveAttribute('aria-valuenow', '40');
    await expect(identityRow.getByTestId('budget-remaining')).toHaveText('$0.12');
  });

  await test.step('create a workspace budget through the dialog', async () => {
    await page.getByRole('button', { name: 'New budget' }).click();
    const panel = page.getByRole('dialog', { name: 'New budget' });
    await expect(panel.getByLabel('Applies to')).toBeFocused();
    await expect(panel.getByLabel('Applies to')).toHaveValue('workspace');
    await panel.getByLabel('Period').selectOption('monthly');
    // Huge limits: while it exists, every call of every test counts against it.
    await panel.getByLabel('Amount (USD)').fill('100000');
    await panel.getByLabel('Token limit').fill('1,000,000,000');
    await panel.getByLabel('Requests per minute').fill('100000');
    await shot(page, '31-budget-create-workspace');
    await panel.getByRole('button', { name: 'Create budget' }).click();
    await expect(page.getByText('Created a budget for the workspace')).toBeVisible();
    await expect(panel).toBeHidden();
    await expect(workspaceRow).toContainText('Whole workspace');
    await expect(workspaceRow).toContainText('$100,000.00');
    // Big limits are compacted; the exact figure is in the title.
    await expect(workspaceRow.getByText('1B tokens')).toHaveAttribute('title', '1,000,000,000 tokens');
    await expect(workspaceRow).toContainText('100K req/min');
    await expect(workspaceRow).toContainText('Monthly');
    await expect(workspaceRow).toContainText('Active');
  });

  await test.step('create a model budget through the dialog; usage fills its gauge', async () => {
    await page.getByRole('button', { name: 'New budget' }).click();
    const panel = page.getByRole('dialog', { name: 'New budget' });
    await panel.getByLabel('Applies to').selectOption('model');
    await panel.getByLabel('Model', { exact: true }).fill(modelId);
    await panel.getByLabel('Period').selectOption('daily');
    await panel.getByLabel('Amount (USD)').fill('5');
    await panel.getByRole('button', { name: 'Create budget' }).click();
    await expect(page.getByText(`Created a budget for model “${modelId}”`)).toBeVisible();
    await expect(modelRow).toContainText('$5.00');
    await expect(modelRow).toContainText('Daily');
    await expect(modelRow.getByRole('meter')).toHaveAttribute('aria-valuenow', '0');

    const usage = await api.post('/v2/usage', {
      events: [{ event_id: `${id}-model-1`, external_id: ext, provider: 'e2e', model: `model-${id}`, input_tokens: 2000, output_tokens: 1000, cost: 1.25 }],
    });
    expect(usage.status).toBeLessThan(300);
    await page.reload();
    await expect(modelRow.getByRole('meter')).toHaveAttribute('aria-valuenow', '25');
    await expect(modelRow).toContainText('$1.25 of $5.00');
    await expect(modelRow.getByTestId('budget-remaining')).toHaveText('$3.75');
    await expect(modelRow).toContainText(/resets [A-Z][a-z]{2} \d+, 00:00 UTC/);
    await shot(page, '32-budgets-list');
  });

  await test.step('field errors: a scope that has a budget, an unknown identity, no limit', async () => {
    await page.getByRole('button', { name: 'New budget' }).click();
    const panel = page.getByRole('dialog', { name: 'New budget' });
    await panel.getByLabel('Amount (USD)').fill('10');
    await panel.getByRole('button', { name: 'Create budget' }).click();
    await expect(panel.getByText('The workspace already has a budget: edit that one in the list.')).toBeVisible();
    await expect(panel.getByLabel('Applies to')).toHaveAttribute('aria-invalid', 'true');
    await expect(panel.getByLabel('Amount (USD)')).toHaveValue('10');
    await shot(page, '33-budget-duplicate-scope');

    await panel.getByLabel('Applies to').selectOption('identity');
    await panel.getByLabel('External ID').fill(`nobody_${id}`);
    await panel.getByRole('button', { name: 'Create budget' }).click();
    await expect(panel.getByText(`No identity with external id "nobody_${id}". Create the identity first, or send usage with that external ID.`)).toBeVisible();
    await expect(panel.getByLabel('External ID')).toBeFocused();

    await panel.getByLabel('Applies to').selectOption('provider');
    await panel.getByLabel('Amount (USD)').fill('');
    await panel.getByRole('button', { name: 'Create budget' }).click();
    await expect(panel.getByText('Provider is required, e.g. "openai".')).toBeVisible();
    await expect(panel.getByText('Set a USD amount, a token limit or a requests-per-minute limit.')).toBeVisible();
    await shot(page, '34-budget-validation-errors');
    await page.keyboard.press('Escape');
    await expect(panel).toBeHidden();
  });

  await test.step('filter by scope kind and search, kept in the URL', async () => {
    await page.getByLabel('Filter by scope').selectOption('model');
    await expect(page).toHaveURL(/[?&]scope=model/);
    await expect(modelRow).toBeVisible();
    await expect(workspaceRow).toHaveCount(0);
    await expect(identityRow).toHaveCount(0);
    for (const scope of await page.locator('[data-budget-row]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-scope')))) {
      expect(scope).toMatch(/^model:/);
    }
    await shot(page, '35-budgets-filter-model');

    await page.getByLabel('Filter by scope').selectOption('identity');
    await expect(identityRow).toBeVisible();
    await expect(modelRow).toHaveCount(0);
    await page.getByLabel('Search budgets').fill(ext);
    await expect(page).toHaveURL(new RegExp(`q=${ext}`));
    await expect(page.locator('[data-budget-row]')).toHaveCount(1);
    // The shared URL reproduces the view.
    const shared = page.url();
    await page.goto('/budgets');
    await page.goto(shared);
    await expect(page.locator('[data-budget-row]')).toHaveCount(1);
    await expect(page.getByLabel('Filter by scope')).toHaveValue('identity');
    await expect(page.getByLabel('Search budgets')).toHaveValue(ext);
    await page.getByLabel('Filter by period').selectOption('weekly');
    await expect(page.getByRole('heading', { name: 'No budgets match' })).toBeVisible();
    await page.getByRole('link', { name: 'Clear filters' }).click();
    await expect(page).toHaveURL(/\/budgets$/);
    await expect(modelRow).toBeVisible();
    await expect(workspaceRow).toBeVisible();
  });

  await test.step('edit a budget: limits, rate limit, pause', async () => {
    await modelRow.getByRole('button', { name: /^Edit/ }).click();
    const panel = page.getByRole('dialog', { name: 'Edit budget' });
    await expect(panel.getByLabel('Period')).toBeFocused();
    await expect(panel.getByLabel('Amount (USD)')).toHaveValue('5');
    await expect(panel).toContainText(modelId);
    await panel.getByLabel('Amount (USD)').fill('');
    await panel.getByRole('button', { name: 'Save changes' }).click();
    await expect(panel.getByText('The USD limit cannot be removed from a budget; set another value, or delete the budget and create a new one.')).toBeVisible();
    await panel.getByLabel('Amount (USD)').fill('10');
    await panel.getByLabel('Requests per minute').fill('120');
    await shot(page, '36-budget-edit-panel');
    await panel.getByRole('button', { name: 'Save changes' }).click();
    await expect(page.getByText(`Saved the budget for model “${modelId}”`)).toBeVisible();
    await expect(panel).toBeHidden();
    await expect(modelRow).toContainText('$10.00');
    await expect(modelRow).toContainText('120 req/min');
    await expect(modelRow.getByRole('meter')).toHaveAttribute('aria-valuenow', '12.5');

    await modelRow.getByRole('button', { name: /^Edit/ }).click();
    await panel.getByRole('switch', { name: 'Active' }).click();
    await panel.getByRole('button', { name: 'Save changes' }).click();
    await expect(panel).toBeHidden();
    await expect(modelRow).toContainText('Paused');
    await page.getByLabel('Filter by state').selectOption('paused');
    await expect(page).toHaveURL(/state=paused/);
    await expect(modelRow).toBeVisible();
    await expect(workspaceRow).toHaveCount(0);
    await page.getByLabel('Filter by state').selectOption('');
    await expect(workspaceRow).toBeVisible();
    await shot(page, '37-budgets-after-edit');
  });

  await test.step('reset a budget, with confirmation', async () => {
    await modelRow.getByRole('button', { name: /^Reset/ }).click();
    const confirm = page.getByRole('dialog', { name: 'Reset budget consumption?' });
    await expect(confirm).toHaveAccessibleDescription(new RegExp(`model “${modelId}”`));
    await shot(page, '38-budget-reset-confirm');
    await confirm.getByRole('button', { name: 'Reset budget' }).click();
    await expect(confirm).toBeHidden();
    await expect(page.getByText(`Reset the budget for model “${modelId}”: consumption starts again from zero`)).toBeVisible();
    await expect(modelRow.getByRole('meter')).toHaveAttribute('aria-valuenow', '0');
    await expect(modelRow.getByTestId('budget-remaining')).toHaveText('$10.00');
  });

  await test.step('delete budgets, with confirmation', async () => {
    await modelRow.getByRole('button', { name: /^Delete/ }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete this budget?' });
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await expect(confirm).toBeHidden();
    await expect(modelRow).toBeVisible();
    await modelRow.getByRole('button', { name: /^Delete/ }).click();
    await confirm.getByRole('button', { name: 'Delete budget' }).click();
    await expect(page.getByText(`Deleted the budget for model “${modelId}”`)).toBeVisible();
    await expect(modelRow).toHaveCount(0);

    await workspaceRow.getByRole('button', { name: /^Delete/ }).click();
    await confirm.getByRole('button', { name: 'Delete budget' }).click();
    await expect(page.getByText('Deleted the budget for the workspace')).toBeVisible();
    await expect(workspaceRow).toHaveCount(0);
    const left = await api.get(`/v2/budgets?${SHARED_SCOPES}`);
    expect(left.body.data).toEqual([]);
    await shot(page, '39-budgets-after-delete');
  });

  await test.step('identity budgets link to the identity', async () => {
    await identityRow.getByRole('link', { name: 'Budget user' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Budget user' })).toBeVisible();
  });
});

test('identity page: what calls in flight reserve, next to what is spent', async ({ page, api }) => {
  const ext = `inflight_${uid()}`;
  const provider = await startHeldProvider(E2E_ENV.heldProviderPort);
  let detailUrl = '';
  try {
    await test.step('an identity with a $0.20 daily budget, $0.08 spent, and a priced model', async () => {
      const created = await api.post('/v2/identities', { external_id: ext, display_name: 'In-flight user' });
      expect(created.status).toBe(201);
      detailUrl = `/identities/${(created.body.identity as { _id: string })._id}`;
      expect((await api.post('/v2/budgets', { scope: { identity: { identity_external_id: ext } }, limits: { period: 'BUDGET_PERIOD_DAILY', amount: 0.2 } })).status).toBe(200);
      expect((await api.post('/v2/usage', { events: [{ event_id: `${ext}-1`, external_id: ext, model: 'gpt-4o', provider: 'openai', input_tokens: 100, output_tokens: 100, cost: 0.08 }] })).status).toBeLessThan(300);
      const prices = await api.get('/v2/prices');
      if (!(prices.body.data as { provider: string; model: string }[]).some((p) => p.provider === 'e2ehold' && p.model === 'slow-model')) {
        expect((await api.post('/v2/prices', { provider: 'e2ehold', model: 'slow-model', input_per_million: 10, output_per_million: 10 })).status).toBe(201);
      }
    });

    const card = page.getByTestId('budget-card');
    const breakdown = page.getByTestId('budget-breakdown');
    const gauge = page.getByRole('meter', { name: 'Daily budget used' });

    await test.step('nothing in flight: spent and remaining', async () => {
      await page.goto(`/identities?q=${ext}`);
      await page.getByRole('link', { name: 'In-flight user' }).click();
      await expect(page).toHaveURL(new RegExp(`${detailUrl}$`));
      await expect(breakdown).toHaveText('$0.08 spent · nothing in flight · $0.12 remaining');
      await expect(card.locator('[data-gauge-part="reserved"]')).toHaveCount(0);
    });

    // The call waits at the provider, holding its estimate (1,000 output tokens at $10 per million) on the budget.
    const call = api.post('/v2/router/chat/completions', {
      model: 'e2ehold/slow-model',
      max_tokens: 1000,
      messages: [{ role: 'user', content: 'Hello' }],
      orq: { identity: { id: ext } },
    });
    await provider.received;

    await test.step('a call in flight: its reservation shows beside what is spent', async () => {
      await page.reload();
      // Spent, reserved and remaining at one precision: the estimate's fractions of a cent show on all three.
      await expect(breakdown).toHaveText(/^\$0\.08(00)? spent · \$0\.01\d* reserved by 1 call in flight · \$0\.1\d+ remaining$/);
      await expect(page.getByTestId('budget-consumed')).toHaveText(/^\$0\.08(00)?$/);
      await expect(gauge).toHaveAttribute('aria-valuenow', '40');
      await expect(gauge).toHaveAttribute('aria-valuetext', /reserved by 1 call in flight/);
      await expect(card.locator('[data-gauge-part="reserved"]')).toHaveCount(1);
      await expect(gauge).toContainText('reserved');
      await shot(page, '40-identity-reserved-in-flight');
    });

    await test.step('the Budgets page shows the reservation too', async () => {
      await page.goto(`/budgets?q=${ext}`);
      const row = page.locator(`[data-scope="identity:${ext}"]`);
      await expect(row).toContainText('1 in flight');
      await expect(row.getByTestId('budget-reserved')).toContainText(/\$0\.01\d* reserved/);
      await expect(row.locator('[data-bar-part="reserved"]')).toHaveCount(1);
      await shot(page, '41-budgets-reserved-in-flight');
    });

    await test.step('once the call finishes, its real cost is spent and nothing is reserved', async () => {
      provider.release();
      expect((await call).status).toBe(200);
      await page.goto(detailUrl);
      // Settlement is recorded just after the answer: reload until it shows.
      await expect(async () => {
        await page.reload();
        await expect(breakdown).toContainText('nothing in flight', { timeout: 1_000 });
      }).toPass({ timeout: 10_000 });
      await expect(card.locator('[data-gauge-part="reserved"]')).toHaveCount(0);
    });
  } finally {
    provider.release();
    await provider.close();
  }
});

test('prices: add for an unknown model, re-price, edit, the unpriced setting, delete', async ({ page, api }) => {
  // One walk through the whole page (each step builds on the last): longer than the default 30 s on 2 cores.
  test.setTimeout(90_000);
  const ext = `acme_${uid()}`;
  const row = page.locator('[data-price-row="acme/acme-llm"]');
  const card = page.getByTestId('unpriced-card');
  const before = ((await api.get('/v2/settings')).body.settings as { allow_unpriced_calls: boolean }).allow_unpriced_calls;
  try {
    await test.step('usage of a model without a price is counted as unpriced', async () => {
      const usage = await api.post('/v2/usage', {
        events: [{ event_id: `${ext}-1`, external_id: ext, model: 'acme-llm', provider: 'acme', input_tokens: 1000, output_tokens: 1000 }],
      });
      expect(usage.status).toBeLessThan(300);
      await page.goto('/identities');
      await page.getByRole('navigation', { name: 'Studio' }).getByRole('link', { name: 'Prices' }).first().click();
      await expect(page).toHaveURL(/\/prices$/);
      await expect(page.getByText('They override the bundled @pydantic/genai-prices table')).toBeVisible();
      await expect(card.getByRole('heading', { name: /usage events? (has|have) no price/ })).toBeVisible();
      await expect(card.locator('[data-unpriced-model="acme/acme-llm"]')).toContainText('1 event');
      await shot(page, '42-prices-unpriced');
    });

    await test.step('add a price from the unpriced model: prefilled, validated', async () => {
      await card.locator('[data-unpriced-model="acme/acme-llm"]').getByRole('button', { name: 'Add price' }).click();
      const panel = page.getByRole('dialog', { name: 'Add a price' });
      await expect(panel.getByLabel('Provider')).toHaveValue('acme');
      await expect(panel.getByLabel('Model')).toHaveValue('acme-llm');
      await expect(panel.getByLabel('Input', { exact: true })).toBeFocused();
      await panel.getByRole('button', { name: 'Add price' }).click();
      await expect(panel.getByText('Enter the input price in USD per million tokens, e.g. 2.50.')).toBeVisible();
      await expect(panel.getByText('Enter the output price in USD per million tokens, e.g. 2.50.')).toBeVisible();
      await panel.getByLabel('Input', { exact: true }).fill('1');
      await panel.getByLabel('Output', { exact: true }).fill('-2');
      await panel.getByRole('button', { name: 'Add price' }).click();
      await expect(panel.getByText('Output price cannot be negative.')).toBeVisible();
      await panel.getByLabel('Output', { exact: true }).fill('2');
      await shot(page, '43-price-add-panel');
      await panel.getByRole('button', { name: 'Add price' }).click();
      await expect(page.getByText('Added a price for acme/acme-llm')).toBeVisible();
      await expect(panel).toBeHidden();
      await expect(row).toContainText('$1.00');
      await expect(row).toContainText('$2.00');
      await expect(row).toContainText('as input');
      await expect(card.locator('[data-unpriced-model="acme/acme-llm"]')).toContainText('Has a price now');
    });

    await test.step('a second price for the same model is refused inline', async () => {
      await page.getByRole('button', { name: 'Add price' }).first().click();
      const panel = page.getByRole('dialog', { name: 'Add a price' });
      await panel.getByLabel('Provider').fill('ACME');
      await panel.getByLabel('Model').fill('acme-llm');
      await panel.getByLabel('Input', { exact: true }).fill('3');
      await panel.getByLabel('Output', { exact: true }).fill('4');
      await panel.getByRole('button', { name: 'Add price' }).click();
      await expect(panel.getByText('acme/acme-llm already has a price: edit that one in the list.')).toBeVisible();
      await shot(page, '44-price-duplicate');
      await page.keyboard.press('Escape');
      await expect(panel).toBeHidden();
    });

    await test.step('re-price the unpriced events', async () => {
      await card.getByRole('button', { name: 'Re-price unpriced events' }).click();
      await expect(page.getByText(/^1 event re-priced, \d+ still without a price$/)).toBeVisible();
      await expect(card.locator('[data-unpriced-model="acme/acme-llm"]')).toHaveCount(0);
      // 1,000 input tokens at $1 and 1,000 output tokens at $2 per million.
      const identity = await api.get(`/v2/identities/${ext}?include_metrics=true`);
      expect((identity.body.identity as { metrics: { total_cost: number } }).metrics.total_cost).toBeCloseTo(0.003, 6);
      await shot(page, '45-prices-after-reprice');
    });

    await test.step('edit a price', async () => {
      await row.getByRole('button', { name: /^Edit/ }).click();
      const panel = page.getByRole('dialog', { name: 'Edit the price of acme/acme-llm' });
      await expect(panel.getByLabel('Input', { exact: true })).toHaveValue('1');
      await panel.getByLabel('Input', { exact: true }).fill('1.5');
      await panel.getByLabel('Cache read').fill('0.075');
      await panel.getByLabel('Default max output tokens').fill('8,192');
      await panel.getByRole('button', { name: 'Save changes' }).click();
      await expect(page.getByText('Saved the price of acme/acme-llm')).toBeVisible();
      await expect(panel).toBeHidden();
      await expect(row).toContainText('$1.50');
      await expect(row).toContainText('$0.075');
      await expect(row).toContainText('8,192');
    });

    await test.step('the unpriced-calls setting is a switch', async () => {
      const toggle = page.getByRole('switch', { name: 'Allow calls to unpriced models under USD budgets' });
      await expect(toggle).toHaveAttribute('aria-checked', String(before));
      await toggle.click();
      await expect(toggle).toHaveAttribute('aria-checked', String(!before));
      await expect(page.getByText(`Calls to unpriced models are ${before ? 'refused' : 'allowed'} under USD budgets`)).toBeVisible();
      expect(((await api.get('/v2/settings')).body.settings as { allow_unpriced_calls: boolean }).allow_unpriced_calls).toBe(!before);
      await page.reload();
      await expect(toggle).toHaveAttribute('aria-checked', String(!before));
      await shot(page, '46-prices-list');
      await toggle.click();
      await expect(toggle).toHaveAttribute('aria-checked', String(before));
      await expect(page.getByText(`Calls to unpriced models are ${before ? 'allowed' : 'refused'} under USD budgets`)).toBeVisible();
    });

    await test.step('delete a price, with confirmation', async () => {
      await row.getByRole('button', { name: /^Delete/ }).click();
      const confirm = page.getByRole('dialog', { name: 'Delete the price of acme/acme-llm?' });
      await expect(confirm).toHaveAccessibleDescription(/bundled table/);
      await confirm.getByRole('button', { name: 'Delete price' }).click();
      await expect(page.getByText('Deleted the price of acme/acme-llm')).toBeVisible();
      await expect(row).toHaveCount(0);
    });
  } finally {
    await api.patch('/v2/settings', { allow_unpriced_calls: before });
    const prices = await api.get('/v2/prices');
    for (const p of (prices.body.data as { price_id: string; provider: string }[] | undefined) ?? []) {
      if (p.provider === 'acme') await api.del(`/v2/prices/${p.price_id}`);
    }
  }
});

test('narrow screens: the budgets table scrolls inside its card', async ({ page, api }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  const ext = `mobile_budget_${uid()}`;
  await api.post('/v2/identities', { external_id: ext, display_name: 'Mobile budget' });
  await api.post('/v2/budgets', { scope: { identity: { identity_external_id: ext } }, limits: { period: 'BUDGET_PERIOD_WEEKLY', amount: 50, token_limit: 200000 } });
  await page.goto(`/budgets?q=${ext}`);
  await expect(page.locator(`[data-scope="identity:${ext}"]`)).toBeVisible();
  // The page itself never scrolls sideways.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await shot(page, '47-mobile-budgets');
  await page.goto('/prices');
  // The page streams in after its skeleton: measured and shot once its content is there.
  await expect(page.getByText('Allow calls to unpriced models under USD budgets')).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await shot(page, '48-mobile-prices');
});
