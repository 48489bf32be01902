import type { Page } from '@playwright/test';
import { startFakeOpenAi, type FakeOpenAi } from '../tests/support/fake-openai';
import { expect, shot, test, uid } from './fixtures';

// What the identity page says about the budgets its calls meet: calls its own budget could not count in dollars (no
// price for their model), and the workspace, API-key, provider and model budgets that can refuse them, through real
// gateway calls to a fake provider added for each test. Those budgets limit every other test on this server: they are
// deleted before and after each test.

const SHARED_SCOPES = ['WORKSPACE', 'API_KEY', 'PROVIDER', 'MODEL'].map((k) => `scope_kind=BUDGET_SCOPE_KIND_${k}`).join('&');

type Api = Parameters<Parameters<typeof test>[2]>[0]['api'];

async function deleteSharedBudgets(api: Api) {
  const list = await api.get(`/v2/budgets?${SHARED_SCOPES}&limit=200`);
  for (const budget of (list.body.data as { budgetId: string }[] | undefined) ?? []) {
    expect((await api.del(`/v2/budgets/${budget.budgetId}`)).status).toBe(200);
  }
}

test.beforeEach(async ({ api }) => deleteSharedBudgets(api));
test.afterEach(async ({ api }) => deleteSharedBudgets(api));

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1440, height: 900 };

/** A fake OpenAI-compatible provider added to the workspace under a fresh name; `remove` deletes it and stops it. */
async function addFakeProvider(api: Api) {
  const apiKey = `sk-ib-${uid()}`;
  const fake: FakeOpenAi = await startFakeOpenAi({ apiKey });
  const name = `ib-${uid()}`;
  const created = await api.post('/v2/providers', { name, base_url: fake.url, api_key: apiKey });
  expect(created.status).toBe(201);
  const providerId = (created.body.provider as { provider_id: string }).provider_id;
  return {
    name,
    remove: async () => {
      await api.del(`/v2/providers/${providerId}`);
      await fake.close();
    },
  };
}

/** One chat completion through the gateway for identity `ext`; its status and error body. */
async function call(api: Api, model: string, ext: string) {
  return api.post('/v2/router/chat/completions', { model, max_tokens: 100, messages: [{ role: 'user', content: 'Hello' }], orq: { identity: { id: ext } } });
}

/** The identity's Studio page, found by its external id. */
async function identityPath(api: Api, ext: string): Promise<string> {
  const found = await api.get(`/v2/identities/${encodeURIComponent(ext)}`);
  expect(found.status).toBe(200);
  return `/identities/${(found.body.identity as { _id: string })._id}`;
}

/** Screenshots at a desktop's and a phone's size, the page reloaded at each. */
async function shotBoth(page: Page, name: string) {
  await page.setViewportSize(DESKTOP);
  await page.reload();
  await shot(page, `${name}-desktop`);
  await page.setViewportSize(PHONE);
  await page.reload();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
  await shot(page, `${name}-phone`);
  await page.setViewportSize(DESKTOP);
}

test('the budget card counts the calls of its window that had no price, and links to Prices', async ({ page, api }) => {
  test.setTimeout(90_000);
  const ext = `unpriced_${uid()}`;
  const settled = `priced_${uid()}`;
  const provider = await addFakeProvider(api);
  const unpricedModel = `${provider.name}/mystery-llm-${uid()}`;
  const before = ((await api.get('/v2/settings')).body.settings as { allow_unpriced_calls: boolean }).allow_unpriced_calls;
  try {
    expect((await api.patch('/v2/settings', { allow_unpriced_calls: true })).status).toBe(200);
    for (const id of [ext, settled]) {
      expect((await api.post('/v2/identities', { external_id: id, display_name: `Display ${id}` })).status).toBe(201);
      expect((await api.post('/v2/budgets', { scope: { identity: { identity_external_id: id } }, limits: { period: 'BUDGET_PERIOD_DAILY', amount: 1 } })).status).toBe(200);
    }
    // Yesterday's unpriced call is outside today's window: not counted.
    const yesterday = new Date(Date.now() - 86_400_000).toISOString();
    const old = await api.post('/v2/usage', { events: [{ event_id: `${ext}-old`, external_id: ext, provider: provider.name, model: 'mystery-llm-old', input_tokens: 10, output_tokens: 10, timestamp: yesterday }] });
    expect(old.status).toBeLessThan(300);

    await test.step('two calls to a model without a price and one to gpt-4o go through the gateway', async () => {
      expect((await call(api, unpricedModel, ext)).status).toBe(200);
      expect((await call(api, unpricedModel, ext)).status).toBe(200);
      expect((await call(api, `${provider.name}/gpt-4o`, ext)).status).toBe(200);
      expect((await call(api, `${provider.name}/gpt-4o`, settled)).status).toBe(200);
    });

    const detail = await identityPath(api, ext);
    await test.step('the card says 2 calls were not counted in spend, beside the priced call’s $0.0075', async () => {
      const note = page.getByTestId('budget-unpriced');
      // Usage is written just after each answer: reload until the three calls are in.
      await expect(async () => {
        await page.goto(detail);
        await expect(page.getByTestId('budget-card')).toContainText('Requests3');
      }).toPass({ timeout: 30_000 });
      // 1,000 + 500 gpt-4o tokens (the fake provider's usage) at $2.50 / $10 per million.
      await expect(page.getByTestId('budget-consumed')).toHaveText('$0.0075');
      await expect(note).toHaveText('2 calls not counted in spend: no price for their model. Add a price');
      await expect(note.getByRole('link', { name: 'Add a price' })).toHaveAttribute('href', '/prices');
      // No workspace, key, provider or model budget: no section for them.
      await expect(page.getByTestId('shared-budgets')).toHaveCount(0);
      await shotBoth(page, '100-identity-unpriced-calls');
    });

    await test.step('an identity whose calls all had a price shows no note', async () => {
      await expect(async () => {
        await page.goto(await identityPath(api, settled));
        await expect(page.getByTestId('budget-consumed')).toHaveText('$0.0075');
      }).toPass({ timeout: 30_000 });
      await expect(page.getByTestId('budget-unpriced')).toHaveCount(0);
    });

    await test.step('the link leads to the Prices page, which lists the unpriced model', async () => {
      await page.goto(detail);
      await page.getByTestId('budget-unpriced').getByRole('link', { name: 'Add a price' }).click();
      await expect(page).toHaveURL(/\/prices$/);
      await expect(page.getByTestId('unpriced-card').locator(`[data-unpriced-model="${unpricedModel}"]`)).toContainText('2 events');
    });
  } finally {
    await api.patch('/v2/settings', { allow_unpriced_calls: before });
    await provider.remove();
  }
});

test('the identity page lists the other budgets its calls must fit; a spent model budget stands out', async ({ page, api }) => {
  test.setTimeout(90_000);
  const ext = `shared_${uid()}`;
  const provider = await addFakeProvider(api);
  const model = `${provider.name}/gpt-4o`;
  try {
    expect((await api.post('/v2/identities', { external_id: ext, display_name: 'Shared budgets' })).status).toBe(201);
    expect((await api.post('/v2/budgets', { scope: { identity: { identity_external_id: ext } }, limits: { period: 'BUDGET_PERIOD_DAILY', amount: 1 } })).status).toBe(200);

    const rootKeyId = await test.step('the root key’s id, as the budget form offers it', async () => {
      await page.goto('/budgets');
      await page.getByRole('button', { name: 'New budget' }).first().click();
      const panel = page.getByRole('dialog', { name: 'New budget' });
      await panel.getByLabel('Applies to').selectOption('api_key');
      const id = await panel.locator('option', { hasText: 'Root key (TOLLBOOTH_API_KEY)' }).getAttribute('value');
      await page.keyboard.press('Escape');
      return id as string;
    });

    const limits = (l: Record<string, unknown>) => ({ limits: { period: 'BUDGET_PERIOD_DAILY', ...l } });
    const budgets = [
      { scope: { workspace: {} }, ...limits({ period: 'BUDGET_PERIOD_MONTHLY', amount: 100000 }) },
      { scope: { api_key: { api_key_id: rootKeyId } }, ...limits({ amount: 1000 }) },
      { scope: { provider: { provider: provider.name } }, ...limits({ token_limit: 1_000_000 }) },
      { scope: { model: { model_id: model } }, ...limits({ amount: 0.005 }) },
      // Paused: it refuses nothing, so it is not listed.
      { scope: { model: { model_id: `${provider.name}/gpt-4o-mini` } }, ...limits({ amount: 0.001 }), is_active: false },
    ];
    for (const b of budgets) expect((await api.post('/v2/budgets', b)).status).toBe(200);

    await test.step('a call spends the model budget ($0.0075 of $0.005); the next is refused by it', async () => {
      expect((await call(api, model, ext)).status).toBe(200);
      const refused = await call(api, model, ext);
      expect(refused.status).toBe(429);
      const error = refused.body.error as { budget: { scope: { kind: string } } };
      expect(error.budget.scope.kind).toBe('model');
    });

    const section = page.getByTestId('shared-budgets');
    const rows = section.locator('[data-shared-budget]');
    const modelRow = section.locator(`[data-shared-budget="model:${model}"]`);
    await test.step('its own budget has room; the model budget says it refuses calls, first', async () => {
      await expect(async () => {
        await page.goto(await identityPath(api, ext));
        await expect(page.getByTestId('budget-consumed')).toHaveText('$0.0075');
      }).toPass({ timeout: 30_000 });
      await expect(page.getByTestId('budget-remaining')).toHaveText('$0.9925');
      await expect(section.getByRole('heading', { name: 'Other budgets that apply' })).toBeVisible();
      await expect(section).toContainText('1 budget refusing calls');
      await expect(rows).toHaveCount(4);
      await expect(rows.first()).toHaveAttribute('data-shared-budget', `model:${model}`);
      await expect(modelRow).toContainText('Refusing calls');
      await expect(modelRow).toHaveAttribute('data-tone', 'exceeded');
      await expect(modelRow.getByTestId('shared-budget-used')).toHaveText(/^\$0\.0075 of \$0\.0050\s*150%$/);
      // The others have room: no badge.
      for (const scope of ['workspace:', `api_key:${rootKeyId}`, `provider:${provider.name}`]) {
        const row = section.locator(`[data-shared-budget^="${scope}"]`);
        await expect(row).toHaveAttribute('data-tone', 'ok');
        await expect(row).not.toContainText('Refusing');
      }
      await expect(section.locator(`[data-shared-budget^="provider:"]`).getByTestId('shared-budget-used')).toHaveText(/^1,500 of 1,000,000 tokens/);
      await expect(section.locator(`[data-shared-budget^="api_key:"]`)).toContainText('Root key (TOLLBOOTH_API_KEY)');
      await expect(section.locator(`[data-shared-budget^="workspace:"]`)).toContainText('Whole workspace');
      await expect(section).not.toContainText('gpt-4o-mini');
      await shotBoth(page, '101-identity-shared-budgets');
    });

    await test.step('the model budget’s link opens the Budgets page filtered to it (live ones: not the paused gpt-4o-mini)', async () => {
      await modelRow.getByRole('link', { name: `Model budget ${model}, on the Budgets page` }).click();
      await expect(page).toHaveURL(/\/budgets\?scope=model&state=active&q=/);
      const listed = page.locator('[data-budget-row]');
      await expect(listed).toHaveCount(1);
      await expect(listed.first()).toHaveAttribute('data-scope', `model:${model}`);
      await expect(listed.first()).toContainText('Limit reached');
    });
  } finally {
    await provider.remove();
  }
});
