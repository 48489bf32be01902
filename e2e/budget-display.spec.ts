import { E2E_ENV } from '../playwright.config';
import { expect, shot, startHeldProvider, test, uid } from './fixtures';

// What the Budgets page and the identity budget card say: every limit a budget has, one precision for the amounts
// shown together, when a budget expired, the search, long ids, and numbers that move while calls run.
// Workspace and API-key budgets limit other tests on this server: each test deletes them again.

const SHARED_SCOPES = ['WORKSPACE', 'API_KEY'].map((k) => `scope_kind=BUDGET_SCOPE_KIND_${k}`).join('&');

test.afterEach(async ({ api }) => {
  const list = await api.get(`/v2/budgets?${SHARED_SCOPES}&limit=200`);
  for (const budget of (list.body.data as { budgetId: string }[] | undefined) ?? []) {
    expect((await api.del(`/v2/budgets/${budget.budgetId}`)).status).toBe(200);
  }
});

type Api = Parameters<Parameters<typeof test>[2]>[0]['api'];

/** An identity with a budget and one usage event; the identity's Studio path. */
async function identityWithUsage(api: Api, ext: string, limits: Record<string, unknown>, usage: { tokens: [number, number]; cost: number }, extra: Record<string, unknown> = {}) {
  const created = await api.post('/v2/identities', { external_id: ext, display_name: `Display ${ext}` });
  expect(created.status).toBe(201);
  expect((await api.post('/v2/budgets', { scope: { identity: { identity_external_id: ext } }, limits, ...extra })).status).toBe(200);
  const [input, output] = usage.tokens;
  const events = [{ event_id: `${ext}-1`, external_id: ext, model: 'gpt-4o', provider: 'openai', input_tokens: input, output_tokens: output, cost: usage.cost }];
  expect((await api.post('/v2/usage', { events })).status).toBeLessThan(300);
  return `/identities/${(created.body.identity as { _id: string })._id}`;
}

/** An identity budget of $5, 100,000 tokens and 30 requests a minute. */
async function budgetWithEveryLimit(api: Api, ext: string) {
  expect((await api.post('/v2/identities', { external_id: ext })).status).toBe(201);
  const limits = { period: 'BUDGET_PERIOD_DAILY', amount: 5, token_limit: 100000 };
  expect((await api.post('/v2/budgets', { scope: { identity: { identity_external_id: ext } }, limits, rate_limit: { requests_per_minute: 30 } })).status).toBe(200);
}

test('a budget with a USD, a token and a rate limit shows each; the gauge follows the most used one', async ({ page, api }) => {
  const ext = `both_${uid()}`;
  const detail = await identityWithUsage(
    api,
    ext,
    { period: 'BUDGET_PERIOD_DAILY', amount: 100, token_limit: 2000 },
    { tokens: [2500, 500], cost: 0.0113 },
    { rate_limit: { requests_per_minute: 60 } },
  );
  const apiBudget = (await api.get(`/v2/budgets?scope_kind=BUDGET_SCOPE_KIND_IDENTITY&scope_target_id=${ext}`)).body.data as { usage: { tokens: number } }[];
  expect(apiBudget[0].usage.tokens).toBe(3000);

  await test.step('the row: 3,000 of 2,000 tokens (150%) beside "Limit reached", the USD limit below', async () => {
    await page.goto(`/budgets?q=${ext}`);
    const row = page.locator(`[data-scope="identity:${ext}"]`);
    await expect(row.getByTestId('budget-used')).toHaveText('3,000 of 2,000 tokens');
    await expect(row.getByRole('meter')).toHaveAttribute('aria-valuenow', '150');
    await expect(row.getByRole('meter')).toHaveAttribute('data-tone', 'exceeded');
    await expect(row.getByTestId('budget-remaining')).toHaveText('0 tokens');
    await expect(row.getByTestId('budget-other-limit')).toHaveText(/^\$0\.0113 of \$100\.0000\s*<0\.1%$/);
    await expect(row).toContainText('150%');
    await expect(row).toContainText('60 req/min');
    await expect(row).toContainText('Limit reached');
    await shot(page, '90-budget-usd-and-tokens-row');
  });

  await test.step('the identity card: the same, with the USD and rate limits listed', async () => {
    await page.goto(detail);
    const card = page.getByTestId('budget-card');
    await expect(card.getByRole('meter', { name: 'Daily budget used' })).toHaveAttribute('aria-valuenow', '150');
    await expect(page.getByTestId('budget-limit')).toHaveText('2,000 tokens');
    await expect(page.getByTestId('budget-consumed')).toHaveText('3,000 tokens');
    await expect(page.getByTestId('budget-remaining')).toHaveText('0 tokens');
    const others = card.getByTestId('budget-other-limit');
    await expect(others).toHaveCount(2);
    await expect(others.nth(0)).toHaveText(/\$0\.0113 of \$100\.0000 · <0\.1% used · \$99\.9887 left/);
    await expect(others.nth(1)).toHaveText(/60 requests\/min · rate limit/);
    await expect(card).toContainText('Limit reached');
    await shot(page, '91-identity-usd-and-tokens-card');
  });
});

test('spent, limit and what is left share one precision', async ({ page, api }) => {
  const over = `precise_over_${uid()}`;
  const small = `precise_small_${uid()}`;
  await identityWithUsage(api, over, { period: 'BUDGET_PERIOD_DAILY', amount: 0.02 }, { tokens: [10, 10], cost: 0.0225 });
  await identityWithUsage(api, small, { period: 'BUDGET_PERIOD_DAILY', amount: 2 }, { tokens: [10, 10], cost: 0.0075 });
  await page.goto(`/budgets?q=precise_`);
  const overRow = page.locator(`[data-scope="identity:${over}"]`);
  await expect(overRow.getByTestId('budget-used')).toHaveText('$0.0225 of $0.0200');
  await expect(overRow).toContainText('113%');
  const smallRow = page.locator(`[data-scope="identity:${small}"]`);
  await expect(smallRow.getByTestId('budget-used')).toHaveText('$0.0075 of $2.0000');
  await expect(smallRow.getByTestId('budget-remaining')).toHaveText('$1.9925');
  await shot(page, '92-budget-precision');
});

test('an expired budget says when it expired, not when it resets', async ({ page, api }) => {
  const ext = `expired_${uid()}`;
  expect((await api.post('/v2/identities', { external_id: ext, display_name: 'Expired budget' })).status).toBe(201);
  // Created on a pinned clock two days ago, expiring a day ago.
  const day = 86_400_000;
  const created = await page.request.post('/v2/budgets', {
    headers: { authorization: `Bearer ${E2E_ENV.apiKey}`, 'x-tollbooth-now': new Date(Date.now() - 2 * day).toISOString() },
    data: { scope: { identity: { identity_external_id: ext } }, limits: { period: 'BUDGET_PERIOD_DAILY', amount: 5 }, expires_at: new Date(Date.now() - day).toISOString() },
  });
  expect(created.status()).toBe(200);
  await page.goto(`/budgets?q=${ext}`);
  const row = page.locator(`[data-scope="identity:${ext}"]`);
  await expect(row).toContainText('Expired');
  await expect(row.getByTestId('budget-expired')).toHaveText(/^expired [A-Z][a-z]{2} \d+, \d\d:\d\d UTC$/);
  await expect(row).not.toContainText('resets');
  await shot(page, '93-budget-expired-row');
});

test('search finds what the row shows: an API key by name or prefix, the workspace', async ({ page, api }) => {
  const keyName = `Batch ${uid()}`;
  await page.goto('/api-keys');
  await page.getByRole('button', { name: 'Create API key' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create an API key' });
  await dialog.getByLabel('Name').fill(keyName);
  await dialog.getByRole('button', { name: 'Create key' }).click();
  const shown = page.getByRole('dialog', { name: 'Copy your new API key' });
  const secret = await shown.getByLabel('API key').inputValue();
  await shown.getByRole('button', { name: 'Done' }).click();

  await page.goto('/budgets');
  await page.getByRole('button', { name: 'New budget' }).click();
  const panel = page.getByRole('dialog', { name: 'New budget' });
  await panel.getByLabel('Applies to').selectOption('api_key');
  const keyId = await panel.locator('option', { hasText: keyName }).getAttribute('value');
  await panel.getByLabel('API key', { exact: true }).selectOption(keyId as string);
  await panel.getByLabel('Amount (USD)').fill('1000');
  await panel.getByRole('button', { name: 'Create budget' }).click();
  await expect(panel).toBeHidden();
  expect((await api.post('/v2/budgets', { scope: { workspace: {} }, limits: { period: 'BUDGET_PERIOD_MONTHLY', amount: 100000 } })).status).toBe(200);

  const rows = page.locator('[data-budget-row]');
  const search = page.getByLabel('Search budgets');
  // Each search is waited for in the address bar before the next: the rows before it would pass the counts as well.
  const searched = (q: string) => expect(page).toHaveURL((url) => url.searchParams.get('q') === q);
  await search.fill(keyName.split(' ')[1]);
  await search.press('Enter');
  await searched(keyName.split(' ')[1]);
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute('data-scope', /^api_key:/);
  await expect(rows.first()).toContainText(keyName);
  // The prefix as the row shows it, "…" included.
  const prefix = (await rows.first().locator('td').first().getByText(/…$/).textContent()) ?? '';
  expect(secret.startsWith(prefix.replace('…', ''))).toBe(true);
  await search.fill(prefix);
  await search.press('Enter');
  await searched(prefix);
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(keyName);
  await search.fill('workspace');
  await search.press('Enter');
  await searched('workspace');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute('data-scope', /^workspace:/);
  await shot(page, '94-budget-search-workspace');
});

test('a long external id ends in "…" inside its column, on a desktop and a phone', async ({ page, api }) => {
  const ext = `client_${'verylongexternalidentifier'.repeat(3)}_${uid()}`;
  expect((await api.post('/v2/identities', { external_id: ext, display_name: `Internationale Handelsgesellschaft ${ext}` })).status).toBe(201);
  expect((await api.post('/v2/budgets', { scope: { identity: { identity_external_id: ext } }, limits: { period: 'BUDGET_PERIOD_WEEKLY', amount: 100 } })).status).toBe(200);
  for (const viewport of [{ width: 1360, height: 900 }, { width: 390, height: 844 }]) {
    await page.setViewportSize(viewport);
    await page.goto(`/budgets?q=${ext}`);
    const row = page.locator(`[data-scope="identity:${ext}"]`);
    const id = row.locator('td').first().getByTitle(ext, { exact: true });
    await expect(id).toBeVisible();
    // The id's box ends before the Period column starts.
    const idBox = await id.boundingBox();
    const periodBox = await row.locator('td').nth(1).boundingBox();
    expect(idBox && periodBox && idBox.x + idBox.width).toBeLessThanOrEqual((periodBox as { x: number }).x);
    expect(await id.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
    await shot(page, viewport.width < 500 ? '96-budget-long-id-phone' : '95-budget-long-id');
  }
});

test('the app has an icon: no favicon 404', async ({ page }) => {
  const failures: string[] = [];
  page.on('response', (res) => {
    if (res.status() >= 400) failures.push(`${res.status()} ${res.url()}`);
  });
  page.on('console', (msg) => {
    if (msg.type() === 'error') failures.push(msg.text());
  });
  await page.goto('/budgets');
  await expect(page.getByRole('heading', { level: 1, name: 'Budgets' })).toBeVisible();
  const href = await page.locator('link[rel="icon"]').first().getAttribute('href');
  expect(href).toMatch(/^\/icon\.svg/);
  const icon = await page.request.get(href as string);
  expect(icon.status()).toBe(200);
  expect(icon.headers()['content-type']).toContain('image/svg+xml');
  await page.waitForLoadState('networkidle');
  expect(failures).toEqual([]);
});

test('deleting a budget moves focus to the next row, not <body>', async ({ page, api }) => {
  const run = uid();
  const [first, second] = [`focus_a_${run}`, `focus_b_${run}`];
  for (const ext of [first, second]) {
    expect((await api.post('/v2/identities', { external_id: ext })).status).toBe(201);
    expect((await api.post('/v2/budgets', { scope: { identity: { identity_external_id: ext } }, limits: { period: 'BUDGET_PERIOD_DAILY', amount: 1 } })).status).toBe(200);
  }
  await page.goto(`/budgets?q=${run}`);
  // Newest first: the second budget's row comes first.
  const [top, next] = [page.locator(`[data-scope="identity:${second}"]`), page.locator(`[data-scope="identity:${first}"]`)];
  await top.getByRole('button', { name: /^Delete/ }).click();
  await page.getByRole('dialog', { name: 'Delete this budget?' }).getByRole('button', { name: 'Delete budget' }).click();
  await expect(top).toHaveCount(0);
  await expect(next.getByRole('button', { name: /^Delete/ })).toBeFocused();

  await next.getByRole('button', { name: /^Delete/ }).press('Enter');
  await page.getByRole('dialog', { name: 'Delete this budget?' }).getByRole('button', { name: 'Delete budget' }).click();
  await expect(next).toHaveCount(0);
  await expect(page.getByLabel('Search budgets')).toBeFocused();
});

test('editing a budget: the limits it has are not "Optional", and an error keeps the inputs level', async ({ page, api }) => {
  const ext = `form_${uid()}`;
  await budgetWithEveryLimit(api, ext);
  await page.goto(`/budgets?q=${ext}`);
  await page.locator(`[data-scope="identity:${ext}"]`).getByRole('button', { name: /^Edit/ }).click();
  const panel = page.getByRole('dialog', { name: 'Edit budget' });
  const tokens = panel.getByLabel('Token limit');
  const rpm = panel.getByLabel('Requests per minute');
  await expect(panel.getByText('Optional')).toHaveCount(1); // the alert thresholds only
  await expect(tokens).toHaveAccessibleDescription('Can be changed, not removed.');
  await tokens.fill('');
  await panel.getByRole('button', { name: 'Save changes' }).click();
  await expect(panel.getByText(/^The token limit cannot be removed/)).toBeVisible();
  const [a, b] = [await tokens.boundingBox(), await rpm.boundingBox()];
  expect(a && b && Math.abs(a.y - b.y)).toBeLessThan(1);
  await shot(page, '97-budget-edit-kept-limits');
});

test('budget forms refuse a provider name with a slash and amounts in scientific notation', async ({ page, api }) => {
  const ext = `notation_${uid()}`;
  await budgetWithEveryLimit(api, ext);
  await page.goto(`/budgets?q=${ext}`);

  await test.step('edit: "1e5" tokens is refused by name', async () => {
    await page.locator(`[data-scope="identity:${ext}"]`).getByRole('button', { name: /^Edit/ }).click();
    const panel = page.getByRole('dialog', { name: 'Edit budget' });
    await panel.getByLabel('Token limit').fill('1e5');
    await panel.getByRole('button', { name: 'Save changes' }).click();
    await expect(panel.getByText('Token limit must be written out in digits, e.g. 1000 or 2.50 (not “1e5”).')).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(panel).toBeHidden();
  });

  await test.step('create: a provider scope takes a provider name; "1e3" is not $1,000', async () => {
    await page.getByRole('button', { name: 'New budget' }).click();
    const panel = page.getByRole('dialog', { name: 'New budget' });
    await panel.getByLabel('Applies to').selectOption('provider');
    await panel.getByLabel('Provider').fill('openai/gpt-4o');
    await panel.getByLabel('Amount (USD)').fill('1e3');
    await panel.getByRole('button', { name: 'Create budget' }).click();
    await expect(panel.getByText(/^Provider must be a provider’s name as in model ids, e\.g\. "openai"/)).toBeVisible();
    await expect(panel.getByText('Amount (USD) must be written out in digits, e.g. 1000 or 2.50 (not “1e3”).')).toBeVisible();
    await expect(panel.getByLabel('Provider')).toHaveAttribute('aria-invalid', 'true');
    await shot(page, '98-budget-create-refused');
    await page.keyboard.press('Escape');
  });

  await test.step('prices: "1e3" per million is refused by name', async () => {
    await page.goto('/prices');
    await page.getByRole('button', { name: 'Add price' }).first().click();
    const panel = page.getByRole('dialog', { name: 'Add a price' });
    await panel.getByLabel('Provider').fill('acme');
    await panel.getByLabel('Model').fill(`notation-${ext}`);
    await panel.getByLabel('Input', { exact: true }).fill('1e3');
    await panel.getByLabel('Output', { exact: true }).fill('2');
    await panel.getByRole('button', { name: 'Add price' }).click();
    await expect(panel.getByText('Input price must be written out in digits, e.g. 1000 or 2.50 (not “1e3”).')).toBeVisible();
    await page.keyboard.press('Escape');
  });
});

test('the Budgets page and the identity card follow calls in flight without a reload', async ({ page, api }) => {
  test.setTimeout(60_000);
  const ext = `live_${uid()}`;
  const provider = await startHeldProvider(E2E_ENV.heldProviderPort);
  try {
    const detail = await identityWithUsage(api, ext, { period: 'BUDGET_PERIOD_DAILY', amount: 0.2 }, { tokens: [100, 100], cost: 0.08 });
    const prices = await api.get('/v2/prices');
    if (!(prices.body.data as { provider: string; model: string }[]).some((p) => p.provider === 'e2ehold' && p.model === 'slow-model')) {
      expect((await api.post('/v2/prices', { provider: 'e2ehold', model: 'slow-model', input_per_million: 10, output_per_million: 10 })).status).toBe(201);
    }
    const row = page.locator(`[data-scope="identity:${ext}"]`);
    await page.goto(`/budgets?q=${ext}`);
    await expect(row.getByTestId('budget-used')).toHaveText('$0.08 of $0.20');
    await expect(row.getByTestId('budget-reserved')).toHaveCount(0);

    // The call waits at the provider, holding its estimate (1,000 output tokens at $10 per million).
    const call = api.post('/v2/router/chat/completions', { model: 'e2ehold/slow-model', max_tokens: 1000, messages: [{ role: 'user', content: 'Hello' }], orq: { identity: { id: ext } } });
    await provider.received;
    // No reload: the page re-reads itself.
    await expect(row.getByTestId('budget-reserved')).toContainText('reserved by 1 in flight', { timeout: 15_000 });
    await expect(row.locator('[data-bar-part="reserved"]')).toHaveCount(1);
    await shot(page, '99-budgets-live-in-flight');

    await page.goto(detail);
    const breakdown = page.getByTestId('budget-breakdown');
    await expect(breakdown).toContainText('reserved by 1 call in flight');
    provider.release();
    expect((await call).status).toBe(200);
    await expect(breakdown).toContainText('nothing in flight', { timeout: 15_000 });
    await expect(page.getByTestId('budget-card').locator('[data-gauge-part="reserved"]')).toHaveCount(0);
  } finally {
    provider.release();
    await provider.close();
  }
});
