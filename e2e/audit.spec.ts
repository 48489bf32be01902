import { E2E_ENV } from '../playwright.config';
import { expect as baseExpect, shot, test, uid } from './fixtures';

// Each step waits on a server action and its re-render; on a shared, busy 2-core machine that can take a while.
const expect = baseExpect.configure({ timeout: 15_000 });

// The audit log as an admin sees it: changes made in the Studio (create, edit, budget set, reset) are listed with
// the admin's email, filters narrow them, and the identity's own history names who pressed Reset.
test('Studio changes show in the audit log and in the identity history', async ({ page, api }) => {
  // Eight Studio round trips and a dozen filter navigations, on a shared 2-core machine.
  test.setTimeout(120_000);
  const ext = `audit_${uid()}`;

  await test.step('create, edit, set a budget and reset it in the Studio', async () => {
    await page.goto('/identities');
    await page.getByRole('button', { name: 'Create identity' }).first().click();
    const create = page.getByRole('dialog', { name: 'Create an identity' });
    await create.getByLabel('External ID').fill(ext);
    await create.getByLabel('Display name').fill('Audit Ann');
    await create.getByRole('button', { name: 'Create identity' }).click();
    await expect(page.getByText('Created identity “Audit Ann”')).toBeVisible();
    const created = await api.get(`/v2/identities/${ext}`);
    await page.goto(`/identities/${(created.body.identity as { _id: string })._id}`);
    await expect(page.getByRole('heading', { level: 1, name: 'Audit Ann' })).toBeVisible();

    const edit = page.getByRole('dialog', { name: 'Edit identity' });
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    await edit.getByLabel('Display name').fill('Audit Anne');
    await edit.getByLabel('Email').fill('anne@example.com');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await expect(page.getByText('Saved “Audit Anne”')).toBeVisible();
    await expect(edit).toBeHidden();

    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    await edit.getByRole('switch', { name: 'Budget' }).click();
    await edit.getByLabel('Period').selectOption('monthly');
    await edit.getByLabel('Amount (USD)').fill('30');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await expect(edit).toBeHidden();
    await expect(page.getByTestId('budget-limit')).toHaveText('$30.00');

    await page.getByRole('button', { name: 'Reset' }).click();
    await page.getByRole('dialog', { name: 'Reset budget consumption?' }).getByRole('button', { name: 'Reset budget' }).click();
    await expect(page.getByText('Budget reset: consumption starts again from $0.00')).toBeVisible();
  });

  // A change through the API, by the root key, beside the admin's.
  const viaApi = await api.post('/v2/identities', { external_id: `${ext}_api`, display_name: 'By the key' });
  expect(viaApi.status).toBe(201);

  await test.step('the identity history says who did what, newest first', async () => {
    await page.reload();
    const history = page.getByTestId('identity-history');
    const items = history.getByRole('listitem');
    await expect(items).toHaveCount(4);
    await expect(items.nth(0)).toContainText(`Budget reset by ${E2E_ENV.adminEmail}`);
    await expect(items.nth(1)).toContainText(`Budget set by ${E2E_ENV.adminEmail}`);
    await expect(items.nth(1)).toContainText('amount usd: $30.00');
    await expect(items.nth(2)).toContainText(`Edited by ${E2E_ENV.adminEmail}`);
    await expect(items.nth(2)).toContainText('display name: Audit Ann → Audit Anne');
    await expect(items.nth(3)).toContainText(`Created by ${E2E_ENV.adminEmail}`);
    await history.scrollIntoViewIfNeeded();
    await shot(page, 'identity-history');
  });

  await test.step('the audit log lists the entries; filters narrow them', async () => {
    await page.getByTestId('identity-history').getByRole('link', { name: 'Open in the audit log' }).click();
    await expect(page).toHaveURL(/\/audit\?identity=/);
    const rows = page.locator('[data-audit-id]');
    await expect(rows).toHaveCount(4);
    await expect(rows.nth(0)).toContainText('Budget reset');
    await expect(rows.nth(0)).toContainText(E2E_ENV.adminEmail);
    await expect(rows.nth(0)).toContainText('User');
    await expect(rows.nth(3)).toContainText('Identity created');
    // The target links to the identity while it exists.
    await expect(rows.nth(3).getByRole('link', { name: ext })).toHaveAttribute('href', /\/identities\//);

    // Every identity's entries: the key's create is there too, with its badge.
    await page.getByRole('link', { name: 'Show every identity' }).click();
    await expect(page).toHaveURL(/\/audit$/);
    const keyRow = page.locator('[data-audit-id]').filter({ hasText: `${ext}_api` });
    await expect(keyRow).toContainText('API key');
    await expect(keyRow).toContainText('Root key (TOLLBOOTH_API_KEY)');

    await page.getByLabel('Filter by actor').selectOption({ label: `${E2E_ENV.adminEmail} (user)` });
    await expect(page).toHaveURL(/actor=user%3A/);
    await expect(page.locator('[data-audit-id]').filter({ hasText: `${ext}_api` })).toHaveCount(0);
    await expect(page.getByRole('link', { name: 'Audit log' })).toHaveAttribute('aria-current', 'page');
    // A row's change expands to every field, before → after.
    await rows.first().getByTestId('audit-diff').locator('summary').click();
    await expect(rows.first()).toContainText('Hide details');
    await shot(page, 'audit');

    await page.getByLabel('Filter by action').selectOption({ label: 'Budget reset' });
    await expect(page).toHaveURL(/action=budget.reset/);
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText('Budget reset');
    await page.getByLabel('Filter by target kind').selectOption({ label: 'Identities' });
    await expect(page.getByText('No entries match')).toBeVisible();
    await expect(page.getByRole('link', { name: 'Clear filters' })).toHaveAttribute('href', '/audit');
  });
});
