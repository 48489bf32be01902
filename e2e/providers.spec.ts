import { randomBytes } from 'node:crypto';
import { FAKE_MODELS, startFakeOpenAi } from '../tests/support/fake-openai';
import { expect, shot, test, uid } from './fixtures';

// Providers in the Studio: add one pointing at a fake OpenAI-compatible provider started here, test the
// connection, rotate its key, delete it; the provider the environment configures (e2ehold) is read-only.

const secret = (label: string) => `sk-${label}-${randomBytes(12).toString('hex')}`;

test('providers: add, test connection, rotate the key, delete; environment providers are read-only', async ({ page, api }) => {
  // One walk through the whole page (each step builds on the last): longer than the default 30 s on 2 cores.
  test.setTimeout(90_000);
  const keyOne = secret('one');
  const keyTwo = secret('two');
  const fake = await startFakeOpenAi({ apiKey: keyOne });
  const name = `e2e-${uid()}`;
  const row = page.locator(`[data-provider-row="${name}"]`);
  const envRow = page.locator('[data-provider-row="e2ehold"][data-source="environment"]');
  const result = row.getByTestId('provider-test-result');
  try {
    await test.step('the nav leads to Providers; the environment provider is listed read-only', async () => {
      await page.goto('/identities');
      const nav = page.getByRole('navigation', { name: 'Studio' });
      await expect(nav.getByRole('link').filter({ hasText: /^(Prices|Providers|API keys)$/ })).toHaveText(['Prices', 'Providers', 'API keys']);
      await nav.getByRole('link', { name: 'Providers' }).first().click();
      await expect(page).toHaveURL(/\/providers$/);
      await expect(page.getByRole('heading', { level: 1, name: 'Providers' })).toBeVisible();
      await expect(envRow).toContainText('Environment');
      await expect(envRow).toContainText('/v1');
      await expect(envRow.getByText('Read-only: configured by environment variables')).toBeAttached();
      await expect(envRow.getByRole('button', { name: /^Edit|^Delete/ })).toHaveCount(0);
      // Nothing listens on e2ehold's port outside the budgets test: the test says so, as a toast and in the row.
      await envRow.getByRole('button', { name: 'Test connection to e2ehold' }).click();
      await expect(page.getByText('e2ehold: connection refused')).toBeVisible();
      await expect(envRow.getByTestId('provider-test-result')).toContainText('connection refused');
      await shot(page, '50-providers-environment');
    });

    await test.step('add a provider: validated, then listed with its key masked', async () => {
      await page.getByRole('button', { name: 'Add provider' }).first().click();
      const panel = page.getByRole('dialog', { name: 'Add a provider' });
      await expect(panel.getByLabel('Name')).toBeFocused();
      await panel.getByRole('button', { name: 'Add provider' }).click();
      await expect(panel.getByText('Name is required, e.g. "openai".')).toBeVisible();
      await expect(panel.getByText('Base URL is required for an OpenAI-compatible provider, e.g. https://api.openai.com/v1.')).toBeVisible();
      await panel.getByLabel('Name').fill(name);
      await panel.getByLabel('Base URL').fill('ftp://example.com');
      await panel.getByLabel('API key').fill(keyOne);
      await panel.getByRole('button', { name: 'Add provider' }).click();
      await expect(panel.getByText('Base URL must be an http(s) URL, e.g. https://api.openai.com/v1.')).toBeVisible();
      // The key is never sent back to the page: it has to be typed again.
      await expect(panel.getByLabel('API key')).toHaveValue('');
      await panel.getByLabel('Base URL').fill(fake.url);
      await panel.getByLabel('API key').fill(keyOne);
      await shot(page, '51-provider-add-panel');
      await panel.getByRole('button', { name: 'Add provider' }).click();
      await expect(page.getByText(`Added provider ${name}`)).toBeVisible();
      await expect(panel).toBeHidden();
      await expect(row).toContainText('OpenAI-compatible');
      await expect(row).toContainText(fake.url);
      await expect(row).toContainText(`••••${keyOne.slice(-4)}`);
      await expect(row).toContainText('Database');
      await expect(result).toHaveText('Not tested');
      expect(await page.content()).not.toContain(keyOne);
    });

    await test.step('test the connection: success as a toast and in the row', async () => {
      await row.getByRole('button', { name: `Test connection to ${name}` }).click();
      await expect(page.getByText(`${name}: connected (200 OK, ${FAKE_MODELS.length} models)`)).toBeVisible();
      await expect(result).toContainText(`200 OK, ${FAKE_MODELS.length} models`);
      await expect(result).toContainText(/UTC$/);
      await page.reload();
      await expect(result).toContainText(`200 OK, ${FAKE_MODELS.length} models`);
      await shot(page, '52-provider-tested');
    });

    await test.step('the provider now wants another key: the test fails until the key is rotated', async () => {
      fake.setApiKey(keyTwo);
      await row.getByRole('button', { name: `Test connection to ${name}` }).click();
      await expect(page.getByText(`${name}: 401 Unauthorized: bad key`)).toBeVisible();
      await expect(result).toContainText('401 Unauthorized');
      await shot(page, '53-provider-test-failed');

      await row.getByRole('button', { name: `Edit provider ${name}` }).click();
      const panel = page.getByRole('dialog', { name: `Edit provider ${name}` });
      await expect(panel.getByLabel('Base URL')).toBeFocused();
      await expect(panel.getByLabel('Base URL')).toHaveValue(fake.url);
      await expect(panel.getByLabel('API key')).toHaveValue('');
      await expect(panel.getByText(`Leave blank to keep the current key (••••${keyOne.slice(-4)})`)).toBeVisible();
      await panel.getByLabel('API key').fill(keyTwo);
      await shot(page, '54-provider-edit-panel');
      await panel.getByRole('button', { name: 'Save changes' }).click();
      await expect(page.getByText(`Saved provider ${name} and rotated its key`)).toBeVisible();
      await expect(panel).toBeHidden();
      await expect(row).toContainText(`••••${keyTwo.slice(-4)}`);
      // The last test was of the old key.
      await expect(result).toHaveText('Not tested');

      await row.getByRole('button', { name: `Test connection to ${name}` }).click();
      await expect(page.getByText(`${name}: connected (200 OK, ${FAKE_MODELS.length} models)`)).toBeVisible();
      await expect(result).toContainText('200 OK');
      // The gateway uses the new key from the next call.
      const call = await api.post('/v2/router/chat/completions', { model: `${name}/gpt-4o`, messages: [{ role: 'user', content: 'hi' }], orq: { identity: { id: `prov_${uid()}` } } });
      expect(call.status).toBe(200);
      expect(fake.requests().at(-1)?.headers.authorization).toBe(`Bearer ${keyTwo}`);
      await shot(page, '55-providers-after-rotation');
    });

    await test.step('edit without a key keeps the stored one', async () => {
      await row.getByRole('button', { name: `Edit provider ${name}` }).click();
      const panel = page.getByRole('dialog', { name: `Edit provider ${name}` });
      await panel.getByRole('button', { name: 'Save changes' }).click();
      await expect(page.getByText(`Saved provider ${name}`, { exact: true })).toBeVisible();
      await expect(row).toContainText(`••••${keyTwo.slice(-4)}`);
      expect((await api.post('/v2/router/chat/completions', { model: `${name}/gpt-4o`, messages: [{ role: 'user', content: 'hi' }], orq: { identity: { id: `prov_${uid()}` } } })).status).toBe(200);
    });

    await test.step('delete the provider, with confirmation', async () => {
      await row.getByRole('button', { name: `Delete provider ${name}` }).click();
      const confirm = page.getByRole('dialog', { name: `Delete provider ${name}?` });
      await expect(confirm).toHaveAccessibleDescription(/are refused \(400\)/);
      await shot(page, '56-provider-delete-confirm');
      await confirm.getByRole('button', { name: 'Delete provider' }).click();
      await expect(page.getByText(`Deleted provider ${name}`)).toBeVisible();
      await expect(row).toHaveCount(0);
      await expect(envRow).toBeVisible();
      const call = await api.post('/v2/router/chat/completions', { model: `${name}/gpt-4o`, messages: [{ role: 'user', content: 'hi' }], orq: { identity: { id: `prov_${uid()}` } } });
      expect(call.status).toBe(400);
      await shot(page, '57-providers-after-delete');
    });
  } finally {
    const list = await api.get('/v2/providers');
    for (const p of (list.body.data as { provider_id: string | null; name: string }[] | undefined) ?? []) {
      if (p.provider_id && p.name === name) await api.del(`/v2/providers/${p.provider_id}`);
    }
    await fake.close();
  }
});

test('narrow screens: the providers table scrolls inside its card', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/providers');
  await expect(page.locator('[data-provider-row="e2ehold"]')).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await shot(page, '58-mobile-providers');
});
