import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import { expect, shot, test, uid } from './fixtures';

// The Overview, the Studio's landing page: numbers equal the API's, the range switches, every number leads to its
// list, a refused call shows as a recent 429, and the identities CSV downloads with the list's filters.

type ApiIdentity = { _id: string; external_id: string; metrics: { total_cost: number; total_tokens: number; total_requests: number; error_rate: number } };

const daysAgo = (days: number, hours = 0) => new Date(Date.now() - days * 86_400_000 - hours * 3_600_000).toISOString();
const money = (text: string | null) => Number((text ?? '').replace(/[$,]/g, ''));
const integer = (text: string | null) => Number((text ?? '').replace(/,/g, ''));

test('overview: totals match the API, the range switches, numbers link to their lists, CSV export', async ({ page, api }) => {
  test.setTimeout(90_000);
  const id = uid();
  const spender = `ov-spender-${id}`;
  const small = `ov-small-${id}`;
  const capped = `ov-capped-${id}`;
  const model = `ov-model-${id}`;

  await test.step('/ opens the Overview (its empty state: e2e/empty-states.spec.ts)', async () => {
    await page.goto('/');
    await expect(page).toHaveURL(/\/overview$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Studio' }).getByRole('link', { name: 'Overview' }).first()).toHaveAttribute('aria-current', 'page');
  });

  await test.step('usage over 90 days and a call refused by a budget', async () => {
    const events = [
      // The spender: $400 today on two models (one unique to this run), $50 twelve days ago, $1,000 sixty days ago.
      { event_id: `${spender}-1`, external_id: spender, display_name: 'Big Spender', provider: 'openai', model, input_tokens: 120_000, output_tokens: 30_000, cost: 300, timestamp: daysAgo(0, 1) },
      { event_id: `${spender}-2`, external_id: spender, provider: 'anthropic', model: 'claude-3-5-sonnet', input_tokens: 50_000, output_tokens: 9_000, cost: 100, timestamp: daysAgo(1) },
      { event_id: `${spender}-3`, external_id: spender, provider: 'openai', model, input_tokens: 1000, output_tokens: 100, cost: 50, status: 'error', error_code: 'timeout', timestamp: daysAgo(12) },
      { event_id: `${spender}-4`, external_id: spender, provider: 'openai', model, input_tokens: 1000, output_tokens: 100, cost: 1000, timestamp: daysAgo(60) },
      { event_id: `${small}-1`, external_id: small, display_name: 'Small One', provider: 'openai', model: 'gpt-4o-mini', input_tokens: 800, output_tokens: 200, cost: 0.25, timestamp: daysAgo(2) },
      { event_id: `${capped}-1`, external_id: capped, display_name: 'Capped', provider: 'openai', model: 'gpt-4o-mini', input_tokens: 100, output_tokens: 50, cost: 0.02, timestamp: daysAgo(0, 0.1) },
    ];
    expect((await api.post('/v2/usage', { events })).status).toBe(200);
    const budget = await api.post('/v2/budgets', { scope: { identity: { identity_external_id: capped } }, limits: { period: 'BUDGET_PERIOD_DAILY', amount: 0.01 } });
    expect(budget.status).toBe(200);
    const refused = await api.post('/v2/usage/check', { external_id: capped, provider: 'openai', model: 'gpt-4o-mini', reserve: { cost: 0.001 } });
    expect(refused.status).toBe(429);
  });

  // The API's 30-day metrics of every identity: the Overview's 30-day totals must equal their sums.
  const identities: ApiIdentity[] = [];
  for (let after = ''; ; ) {
    const res = await api.get(`/v2/identities?include_metrics=true&limit=50${after ? `&starting_after=${after}` : ''}`);
    const data = res.body.data as ApiIdentity[];
    identities.push(...data);
    if (!res.body.has_more) break;
    after = data.at(-1)?._id ?? '';
  }
  const sum = (f: (m: ApiIdentity['metrics']) => number) => identities.reduce((s, i) => s + f(i.metrics), 0);
  const requests = sum((m) => m.total_requests);
  const errors = Math.round(sum((m) => m.error_rate * m.total_requests));
  const spenderId = identities.find((i) => i.external_id === spender)?._id;

  await test.step('30 days: spend, requests, tokens and error rate equal the API’s sums', async () => {
    await page.goto('/overview');
    await expect(page.getByTestId('stat-requests')).toHaveText(requests.toLocaleString('en-US'));
    // Shown in cents: within half a cent of the exact sum (a sum of $x.xx5 may show either way after float addition).
    expect(Math.abs(money(await page.getByTestId('stat-spend').textContent()) - sum((m) => m.total_cost))).toBeLessThanOrEqual(0.005 + 1e-9);
    await expect(page.getByTestId('stat-tokens')).toHaveAttribute('title', sum((m) => m.total_tokens).toLocaleString('en-US'));
    expect(Number((await page.getByTestId('stat-error-rate').textContent())?.replace('%', ''))).toBeCloseTo((errors / requests) * 100, 0);
    // This run's model: $350 over 30 days (the $1,000 call is 60 days old), two requests.
    const modelRow = page.getByTestId('spend-by-model').locator(`[data-slice="openai/${model}"]`);
    await expect(modelRow).toContainText('$350.00');
    await expect(modelRow.locator('td').nth(3)).toHaveText('2');
    await expect(page.getByTestId('top-identities').locator('tbody tr').first()).toHaveAttribute('data-top-identity', spender);
    await expect(page.locator(`[data-top-identity="${spender}"]`)).toContainText('$450.00');
    await expect(page.locator(`[data-at-risk="identity:${capped}"]`)).toContainText('200%');
    const refusal = page.getByTestId('recent-refusals').locator('tbody tr').filter({ hasText: 'Capped' }).first();
    await expect(refusal).toContainText('openai/gpt-4o-mini');
    await expect(refusal).toContainText('Budget exceeded');
    await expect(page.locator('.recharts-bar-rectangle').first()).toBeVisible();
    await shot(page, 'overview');
  });

  await test.step('7 and 90 days: the range in the URL changes the numbers', async () => {
    await page.getByRole('navigation', { name: 'Range' }).getByRole('link', { name: '7 days' }).click();
    await expect(page).toHaveURL(/\/overview\?range=7d$/);
    await expect(page.locator(`[data-top-identity="${spender}"]`)).toContainText('$400.00');
    const seven = integer(await page.getByTestId('stat-requests').textContent());
    expect(seven).toBeLessThanOrEqual(requests - 1);
    await page.getByRole('navigation', { name: 'Range' }).getByRole('link', { name: '90 days' }).click();
    await expect(page).toHaveURL(/\/overview\?range=90d$/);
    await expect(page.locator(`[data-top-identity="${spender}"]`)).toContainText('$1,450.00');
    expect(integer(await page.getByTestId('stat-requests').textContent())).toBeGreaterThanOrEqual(requests + 1);
    // An unknown range is the default.
    await page.goto('/overview?range=365d');
    await expect(page.getByRole('navigation', { name: 'Range' }).getByRole('link', { name: '30 days' })).toHaveAttribute('aria-current', 'page');
  });

  await test.step('numbers lead to the lists behind them', async () => {
    await page.getByTestId('stat-requests').click();
    await expect(page).toHaveURL(/\/identities\?sort=requests$/);
    await expect(page.getByLabel('Sort by')).toHaveValue('requests:desc');
    await page.goBack();
    await page.locator(`[data-top-identity="${spender}"]`).getByRole('link', { name: 'Big Spender' }).click();
    await expect(page).toHaveURL(new RegExp(`/identities/${spenderId}$`));
    await expect(page.getByRole('heading', { level: 1, name: 'Big Spender' })).toBeVisible();
    await page.goBack();
    await page.locator(`[data-at-risk="identity:${capped}"]`).getByRole('link', { name: /200%/ }).click();
    await expect(page).toHaveURL(new RegExp(`/budgets\\?scope=identity&q=${capped}$`));
    await expect(page.locator('[data-budget-row]')).toHaveCount(1);
    await expect(page.locator(`[data-scope="identity:${capped}"]`)).toBeVisible();
  });

  await test.step('the identities CSV keeps the list’s filters', async () => {
    await page.goto(`/identities?q=${encodeURIComponent(`-${id}`)}&sort=cost`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^identities-\d{4}-\d{2}-\d{2}\.csv$/);
    const rows = parse(fs.readFileSync(await download.path(), 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.external_id)).toEqual([spender, small, capped]);
    const apiSpender = identities.find((i) => i.external_id === spender) as ApiIdentity;
    expect(rows[0]).toMatchObject({ id: apiSpender._id, display_name: 'Big Spender', requests_30d: String(apiSpender.metrics.total_requests), tokens_30d: String(apiSpender.metrics.total_tokens) });
    expect(Number(rows[0].cost_usd_30d)).toBe(apiSpender.metrics.total_cost);
    expect(rows[2]).toMatchObject({ budget_period: 'daily', budget_limit_usd: '0.010000', budget_spent_usd: '0.020000' });
  });
});
