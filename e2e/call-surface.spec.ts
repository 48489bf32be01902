import { randomBytes } from 'node:crypto';
import { Orq } from '@orq-ai/node';
import { startFakeOpenAi } from '../tests/support/fake-openai';
import { E2E_ENV } from '../playwright.config';
import { expect, shot, test, uid } from './fixtures';

// The call surface end to end: an admin adds a provider and a deployment in the Studio, an app invokes
// the deployment with the official SDK, and the spend appears on the deployment and on the identity;
// a key given an owner identity in the Studio charges that identity for calls that name none.

test('a provider and a deployment made in the Studio, invoked with the SDK, show their spend', async ({ page }) => {
  test.setTimeout(120_000);
  const providerKey = `sk-walk-${randomBytes(12).toString('hex')}`;
  const fake = await startFakeOpenAi({ apiKey: providerKey });
  const provider = `walk-${uid()}`;
  const key = `walk-bot-${uid()}`;
  const customer = `walker-${uid()}`;
  try {
    await test.step('add the provider', async () => {
      await page.goto('/providers');
      await page.getByRole('button', { name: 'Add provider' }).first().click();
      const panel = page.getByRole('dialog', { name: 'Add a provider' });
      await panel.getByLabel('Name').fill(provider);
      await panel.getByLabel('Base URL').fill(fake.url);
      await panel.getByLabel('API key').fill(providerKey);
      await panel.getByRole('button', { name: 'Add provider' }).click();
      await expect(page.getByText(`Added provider ${provider}`)).toBeVisible();
    });

    await test.step('create a deployment on it with a prompt variable', async () => {
      await page.goto('/deployments');
      await page.getByRole('button', { name: 'Create deployment' }).first().click();
      const panel = page.getByRole('dialog', { name: 'Create a deployment' });
      await panel.getByLabel('Key', { exact: true }).fill(key);
      await panel.getByLabel('Model', { exact: true }).fill(`${provider}/gpt-4o`);
      await panel.getByLabel('Content of message 1').fill('You help {{customer}}.');
      await panel.getByRole('button', { name: 'Create deployment' }).click();
      await expect(page.getByText(`Created deployment “${key}”`)).toBeVisible();
    });

    await test.step('invoke it with the official SDK', async () => {
      const orq = new Orq({ apiKey: E2E_ENV.apiKey, serverURL: E2E_ENV.baseURL });
      const reply = await orq.deployments.invoke({
        key,
        inputs: { customer: 'Ada' },
        messages: [{ role: 'user', content: 'Where is my invoice?' }],
        identity: { id: customer, displayName: 'Ada Walker' },
      });
      expect(reply?.choices[0]?.message).toMatchObject({ content: 'Hello there' });
      const sent = fake.requests().at(-1)?.body as { messages: unknown[] };
      expect(sent.messages[0]).toEqual({ role: 'system', content: 'You help Ada.' });
    });

    await test.step('the deployment shows the call and its spend', async () => {
      const row = page.locator(`[data-deployment-row="${key}"]`);
      // Usage is written just after the answer: reload until it is there.
      await expect(async () => {
        await page.goto('/deployments');
        await expect(row.getByTestId('deployment-requests')).toHaveText('1');
      }).toPass({ timeout: 30_000 });
      // 1,000 + 500 gpt-4o tokens (the fake provider's usage) at $2.50 / $10 per million.
      await expect(row.getByTestId('deployment-spend')).toHaveText('$0.0075');
      await row.getByRole('link', { name: key }).click();
      const stats = page.getByTestId('deployment-stats');
      await expect(stats).toContainText('Requests1');
      await expect(page.getByRole('link', { name: /Ada Walker/ })).toBeVisible();
      await shot(page, '70-deployment-with-spend');
    });

    await test.step('the identity shows the same spend', async () => {
      await page.getByRole('link', { name: /Ada Walker/ }).first().click();
      await expect(page.getByRole('heading', { level: 1, name: 'Ada Walker' })).toBeVisible();
      await expect(page.getByText('$0.0075').first()).toBeVisible();
      await shot(page, '71-identity-spend-from-deployment');
    });

    await test.step('a key with an owner identity charges it for calls without an identity', async () => {
      const name = `Owned ${uid()}`;
      await page.goto('/api-keys');
      await page.getByRole('button', { name: 'Create API key' }).click();
      const dialog = page.getByRole('dialog', { name: 'Create an API key' });
      await dialog.getByLabel('Name').fill(name);
      await dialog.getByRole('button', { name: 'Create key' }).click();
      const shown = page.getByRole('dialog', { name: 'Copy your new API key' });
      const secret = await shown.getByLabel('API key').inputValue();
      await shown.getByRole('button', { name: 'Done' }).click();

      const row = page.locator(`[data-api-key="${name}"]`);
      await row.getByRole('button', { name: `Set the owner identity of ${name}` }).click();
      const sheet = page.getByRole('dialog', { name: `Owner identity of “${name}”` });
      await sheet.getByLabel('Identity').fill('nobody-by-this-id');
      await sheet.getByRole('button', { name: 'Save owner' }).click();
      await expect(sheet.getByText('No identity “nobody-by-this-id” in this workspace.')).toBeVisible();
      await sheet.getByLabel('Identity').fill(customer);
      await shot(page, '72-api-key-owner-sheet');
      await sheet.getByRole('button', { name: 'Save owner' }).click();
      await expect(sheet).toBeHidden();
      await expect(row.getByRole('link', { name: 'Ada Walker' })).toBeVisible();
      await shot(page, '73-api-keys-with-owner');

      const orq = new Orq({ apiKey: secret, serverURL: E2E_ENV.baseURL });
      await orq.deployments.invoke({ key, inputs: { customer: 'the owner' } });
      await expect(async () => {
        await page.goto('/deployments');
        await expect(page.locator(`[data-deployment-row="${key}"]`).getByTestId('deployment-requests')).toHaveText('2');
      }).toPass({ timeout: 30_000 });
      await page.goto('/identities');
      await page.getByRole('link', { name: /Ada Walker/ }).first().click();
      // Both calls are the identity's: $0.015, shown rounded to the cent.
      await expect(page.getByRole('figure', { name: 'Requests per day 2' })).toBeVisible();
      await expect(page.getByRole('figure', { name: 'Cost per day $0.02' })).toBeVisible();
      await shot(page, '74-identity-owner-calls');
    });
  } finally {
    await fake.close();
  }
});
