import { expect, shot, test, uid } from './fixtures';

// Deployments clicked through the Studio: create with a prompt and a fallback, list, edit, detail, delete.
// Calls through a deployment come from POST /v2/deployments/invoke; until then its 30-day figures are zero.

test('deployments: create with a prompt and a fallback, edit, open, delete', async ({ page, api }) => {
  // One walk through both pages (each step builds on the last): longer than the default 30 s on 2 cores.
  test.setTimeout(120_000);
  const key = `support-bot-${uid()}`;
  const row = page.locator(`[data-deployment-row="${key}"]`);

  await test.step('the nav leads to Deployments, right after Budgets', async () => {
    await page.goto('/identities');
    const nav = page.getByRole('navigation', { name: 'Studio' }).first();
    const labels = await nav.getByRole('link').allInnerTexts();
    expect(labels.indexOf('Deployments')).toBe(labels.indexOf('Budgets') + 1);
    await nav.getByRole('link', { name: 'Deployments' }).click();
    await expect(page).toHaveURL(/\/deployments$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Deployments' })).toBeVisible();
  });

  await test.step('create a deployment with a prompt, parameters and a fallback', async () => {
    await page.getByRole('button', { name: 'Create deployment' }).first().click();
    const panel = page.getByRole('dialog', { name: 'Create a deployment' });
    await expect(panel.getByLabel('Key', { exact: true })).toBeFocused();
    await panel.getByLabel('Key', { exact: true }).fill(key);
    await panel.getByLabel('Model', { exact: true }).fill('openai/gpt-4o');
    await panel.getByLabel('Description').fill('Answers customer questions');
    await panel.getByLabel('Content of message 1').fill('You help {{customer}} of Acme. Be brief.');
    await panel.getByRole('button', { name: 'Add message' }).click();
    await expect(panel.getByLabel('Role of message 2')).toHaveValue('user');
    await panel.getByLabel('Content of message 2').fill('{{question}}');
    await expect(panel.getByText('Variables:')).toContainText('customer');
    await expect(panel.getByText('Variables:')).toContainText('question');
    await panel.getByLabel('Temperature').fill('0.3');
    await panel.getByLabel('Max tokens').fill('512');
    await panel.getByRole('button', { name: 'Add fallback' }).click();
    await panel.getByLabel('Fallback model 1').fill('anthropic/claude-3-5-haiku-latest');
    await shot(page, '61-deployment-create-panel');
    await panel.getByRole('button', { name: 'Create deployment' }).click();
    await expect(page.getByText(`Created deployment “${key}”`)).toBeVisible();
    await expect(panel).toBeHidden();

    // The Studio wrote what the API serves.
    const stored = await api.get(`/v2/deployments/${key}`);
    expect(stored.status).toBe(200);
    expect(stored.body.deployment).toMatchObject({
      key,
      model: 'openai/gpt-4o',
      description: 'Answers customer questions',
      messages: [
        { role: 'system', content: 'You help {{customer}} of Acme. Be brief.' },
        { role: 'user', content: '{{question}}' },
      ],
      parameters: { temperature: 0.3, max_tokens: 512 },
      fallbacks: ['anthropic/claude-3-5-haiku-latest'],
      version: '1',
    });
  });

  await test.step('it is listed with zero calls over 30 days', async () => {
    await expect(row).toContainText('openai/gpt-4o');
    await expect(row).toContainText('Answers customer questions');
    await expect(row.getByTestId('deployment-fallbacks').getByRole('listitem')).toHaveText([/anthropic\/claude-3-5-haiku-latest$/]);
    await expect(row.getByTestId('deployment-requests')).toHaveText('0');
    await expect(row.getByTestId('deployment-spend')).toHaveText('$0.00');
    await expect(row.getByTestId('deployment-tokens')).toHaveText('0');
    await expect(row.getByTestId('deployment-error-rate')).toHaveText('—');
    await expect(row).toContainText('version 1');
    await shot(page, '62-deployments-list');
  });

  await test.step('a taken key and a model without provider show inline', async () => {
    await page.getByRole('button', { name: 'Create deployment' }).first().click();
    const panel = page.getByRole('dialog', { name: 'Create a deployment' });
    await panel.getByLabel('Key', { exact: true }).fill(key);
    await panel.getByLabel('Model', { exact: true }).fill('gpt-4o');
    await panel.getByRole('button', { name: 'Create deployment' }).click();
    await expect(panel.getByText('Model must be "provider/model", e.g. "openai/gpt-4o".')).toBeVisible();
    await expect(panel.getByLabel('Model', { exact: true })).toBeFocused();
    await panel.getByLabel('Model', { exact: true }).fill('openai/gpt-4o');
    await panel.getByRole('button', { name: 'Create deployment' }).click();
    await expect(panel.getByText(`A deployment with key "${key}" already exists: choose another key.`)).toBeVisible();
    await expect(panel.getByLabel('Key', { exact: true })).toHaveAttribute('aria-invalid', 'true');
    await shot(page, '63-deployment-duplicate-key');
    await page.keyboard.press('Escape');
    await expect(panel).toBeHidden();
  });

  await test.step('edit: another model, a second fallback, a warmer temperature', async () => {
    await row.getByRole('button', { name: `Edit deployment ${key}` }).click();
    const panel = page.getByRole('dialog', { name: `Edit deployment ${key}` });
    await expect(panel.getByLabel('Model', { exact: true })).toBeFocused();
    await expect(panel.getByLabel('Content of message 2')).toHaveValue('{{question}}');
    await expect(panel.getByLabel('Fallback model 1')).toHaveValue('anthropic/claude-3-5-haiku-latest');
    await panel.getByLabel('Model', { exact: true }).fill('openai/gpt-4o-mini');
    await panel.getByLabel('Temperature').fill('0.7');
    await panel.getByRole('button', { name: 'Add fallback' }).click();
    await panel.getByLabel('Fallback model 2').fill('groq/llama-3.1-8b-instant');
    await shot(page, '64-deployment-edit-panel');
    await panel.getByRole('button', { name: 'Save changes' }).click();
    await expect(page.getByText(`Saved deployment “${key}” (version 2)`)).toBeVisible();
    await expect(panel).toBeHidden();
    await expect(row).toContainText('openai/gpt-4o-mini');
    await expect(row.getByTestId('deployment-fallbacks').getByRole('listitem')).toHaveText([/anthropic\/claude-3-5-haiku-latest$/, /groq\/llama-3.1-8b-instant$/]);
    await expect(row).toContainText('version 2');
    await shot(page, '65-deployments-after-edit');
  });

  await test.step('delete from the list, with confirmation', async () => {
    const other = `${key}-old`;
    expect((await api.post('/v2/deployments', { key: other, model: 'groq/llama-3.1-8b-instant' })).status).toBe(201);
    await page.reload();
    const otherRow = page.locator(`[data-deployment-row="${other}"]`);
    await otherRow.getByRole('button', { name: `Delete deployment ${other}` }).click();
    await page.getByRole('dialog', { name: `Delete deployment ${other}?` }).getByRole('button', { name: 'Delete deployment' }).click();
    await expect(page.getByText(`Deleted deployment “${other}”`)).toBeVisible();
    await expect(otherRow).toHaveCount(0);
    await expect(row).toBeVisible();
  });

  await test.step('its page: configuration, prompt, no calls yet', async () => {
    await row.getByRole('link', { name: key }).click();
    await expect(page).toHaveURL(/\/deployments\/[0-9A-Z]{26}$/);
    await expect(page.getByRole('heading', { level: 1, name: key })).toBeVisible();
    await expect(page.getByText('Version 2', { exact: true })).toBeVisible();
    const settings = page.getByTestId('deployment-settings');
    await expect(settings).toContainText('openai/gpt-4o-mini');
    await expect(settings.getByRole('listitem').filter({ hasText: '/' })).toHaveText([/^1\.\s*anthropic\/claude-3-5-haiku-latest$/, /^2\.\s*groq\/llama-3.1-8b-instant$/]);
    await expect(settings).toContainText('temperature: 0.7');
    await expect(settings).toContainText('max_tokens: 512');
    const prompt = page.getByTestId('deployment-prompt');
    await expect(prompt.getByRole('listitem')).toHaveCount(2);
    await expect(prompt.locator('mark')).toHaveText(['{{customer}}', '{{question}}']);
    const stats = page.getByTestId('deployment-stats');
    await expect(stats).toContainText('Spend$0.00');
    await expect(stats).toContainText('Requests0');
    await expect(stats).toContainText('Error rate—');
    await expect(page.getByRole('heading', { name: 'No calls yet' })).toBeVisible();
    await expect(page.getByText(`await orq.deployments.invoke({ key: "${key}", inputs: { customer: '…', question: '…' } });`)).toBeVisible();
    await expect(page.getByRole('heading', { name: 'No callers in the last 30 days' })).toBeVisible();
    await shot(page, '66-deployment-detail');
  });

  await test.step('delete from its page, with confirmation, back to the list', async () => {
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    const confirm = page.getByRole('dialog', { name: `Delete deployment ${key}?` });
    await expect(confirm).toHaveAccessibleDescription(/answered with 404/);
    await shot(page, '67-deployment-delete-confirm');
    await confirm.getByRole('button', { name: 'Delete deployment' }).click();
    await expect(page).toHaveURL(/\/deployments$/);
    await expect(page.getByText(`Deleted deployment “${key}”`)).toBeVisible();
    await expect(row).toHaveCount(0);
    expect((await api.get(`/v2/deployments/${key}`)).status).toBe(404);
    await shot(page, '68-deployments-after-delete');
  });

  await test.step('an unknown deployment is a not-found page', async () => {
    await page.goto('/deployments/no-such-deployment');
    await expect(page.getByRole('heading', { name: 'Deployment not found' })).toBeVisible();
  });
});
