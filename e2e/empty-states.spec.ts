import { expect, shot, test } from './fixtures';

// What an empty workspace says on each page: run by the "fresh" project before every other test file (see
// playwright.config.ts), so the database is the server's fresh one and each page's empty state must show.

test('an empty workspace explains each page', async ({ page }) => {
  await test.step('Overview: no usage yet', async () => {
    await page.goto('/');
    await expect(page).toHaveURL(/\/overview$/);
    await expect(page.getByRole('heading', { name: 'No usage yet' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Get an API key' })).toBeVisible();
    await shot(page, 'overview-empty');
  });

  await test.step('Identities: create the first one, or send usage', async () => {
    await page.goto('/identities');
    await expect(page.locator('[data-identity-row]')).toHaveCount(0);
    await expect(page.getByRole('heading', { name: 'Create your first identity' })).toBeVisible();
    await expect(page.getByText('POST /v2/usage')).toBeVisible();
    await shot(page, '03-identities-empty');
  });

  await test.step('Budgets: none yet', async () => {
    await page.goto('/budgets');
    await expect(page.locator('[data-budget-row]')).toHaveCount(0);
    await expect(page.getByRole('heading', { name: 'No budgets yet' })).toBeVisible();
    await shot(page, '30-budgets-empty');
  });

  await test.step('Deployments: none yet', async () => {
    await page.goto('/deployments');
    await expect(page.locator('[data-deployment-row]')).toHaveCount(0);
    await expect(page.getByRole('heading', { name: 'No deployments yet' })).toBeVisible();
    await shot(page, '60-deployments-empty');
  });
});
