import { E2E_ENV } from '../playwright.config';
import { expect, shot, signIn, test, uid } from './fixtures';

const noSession = { cookies: [], origins: [] };

test.describe('signed out', () => {
  test.use({ storageState: noSession });

  test('Studio pages redirect to sign-in, remembering the page', async ({ page }) => {
    await page.goto('/identities?sort=cost');
    await expect(page).toHaveURL(/\/sign-in\?next=%2Fidentities%3Fsort%3Dcost$/);
    await expect(page.getByRole('heading', { name: 'Sign in to Tollbooth' })).toBeVisible();
    await shot(page, '01-sign-in');

    for (const path of ['/api-keys', '/identities/01NOPE', '/']) {
      await page.goto(path);
      await expect(page).toHaveURL(/\/sign-in/);
    }
  });

  test('a forged session cookie is not enough', async ({ page, context }) => {
    await context.addCookies([{ name: 'tollbooth_session', value: 'forged', url: E2E_ENV.baseURL }]);
    await page.goto('/identities');
    await expect(page).toHaveURL(/\/sign-in$/);
  });

  test('wrong password is rejected; the right one signs in, sign-out signs out', async ({ page }) => {
    await signIn(page, E2E_ENV.adminEmail, 'not-the-password');
    const error = page.locator('form [role="alert"]');
    await expect(error).toHaveText('That email and password do not match an admin account.');
    await expect(page.getByLabel('Email')).toHaveValue(E2E_ENV.adminEmail);
    await expect(page).toHaveURL(/\/sign-in/);
    await shot(page, '02-sign-in-wrong-password');

    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByLabel('Password')).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByText('Enter your password')).toBeVisible();

    await page.goto('/sign-in?next=%2Fapi-keys');
    await page.getByLabel('Email').fill(E2E_ENV.adminEmail.toUpperCase());
    await page.getByLabel('Password').fill(E2E_ENV.adminPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(/\/api-keys$/);
    const cookie = (await page.context().cookies()).find((c) => c.name === 'tollbooth_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: false });

    await page.getByRole('button', { name: 'Sign out' }).first().click();
    await expect(page).toHaveURL(/\/sign-in$/);
    await page.goto('/identities');
    await expect(page).toHaveURL(/\/sign-in\?next=/);
  });
});

test('create an identity without a budget', async ({ page }) => {
  const ext = `user_${uid()}`;
  await page.goto('/identities');
  // Keyboard: Enter opens the panel with focus in the first field, Escape closes it and focus returns.
  const trigger = page.getByRole('button', { name: 'Create identity' }).first();
  const panel = page.getByRole('dialog', { name: 'Create an identity' });
  await trigger.focus();
  await page.keyboard.press('Enter');
  await expect(panel).toBeVisible();
  await expect(panel.getByLabel('External ID')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(panel).toBeHidden();
  await expect(trigger).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(panel.getByLabel('External ID')).toBeFocused();
  await panel.getByLabel('External ID').fill(ext);
  await panel.getByLabel('Display name').fill('Jane Smith');
  await panel.getByLabel('Email').fill('jane@example.com');
  await panel.getByLabel('Tags').fill('engineering, beta');
  await shot(page, '04-create-panel-filled');
  await panel.getByRole('button', { name: 'Create identity' }).click();

  await expect(page.getByText('Created identity “Jane Smith”')).toBeVisible();
  await expect(panel).toBeHidden();
  const row = page.locator(`[data-identity-row="${ext}"]`);
  await expect(row).toContainText('Jane Smith');
  await expect(row).toContainText('Studio');
  await expect(row).toContainText('No budget');
  await shot(page, '05-identities-after-create');
});

test('create an identity with a budget', async ({ page }) => {
  const ext = `team_${uid()}`;
  await page.goto('/identities');
  await page.getByRole('button', { name: 'Create identity' }).first().click();
  const panel = page.getByRole('dialog', { name: 'Create an identity' });
  await panel.getByLabel('External ID').fill(ext);
  await panel.getByLabel('Display name').fill('Growth team');
  await expect(panel.getByLabel('Amount (USD)')).toBeHidden();
  await panel.getByRole('switch', { name: 'Budget' }).focus();
  await page.keyboard.press('Space');
  await expect(panel.getByRole('switch', { name: 'Budget' })).toHaveAttribute('aria-checked', 'true');
  await panel.getByLabel('Period').selectOption('daily');
  await panel.getByLabel('Amount (USD)').fill('0.20');
  await shot(page, '06-create-panel-budget');
  await panel.getByRole('button', { name: 'Create identity' }).click();
  await expect(page.getByText('Created identity “Growth team”')).toBeVisible();
  await expect(page.locator(`[data-identity-row="${ext}"]`)).toContainText('$0.00 of $0.20 daily');
});

test('validation errors show inline and keep what was typed', async ({ page, api }) => {
  const taken = `taken_${uid()}`;
  expect((await api.post('/v2/identities', { external_id: taken })).status).toBe(201);

  await page.goto('/identities');
  await page.getByRole('button', { name: 'Create identity' }).first().click();
  const panel = page.getByRole('dialog', { name: 'Create an identity' });
  await panel.getByLabel('Display name').fill('Keep me');
  await panel.getByLabel('Email').fill('not-an-email');
  await panel.getByRole('switch', { name: 'Budget' }).click();
  await panel.getByLabel('Amount (USD)').fill('-5');
  await panel.getByRole('button', { name: 'Create identity' }).click();

  await expect(panel.getByText('External ID is required.')).toBeVisible();
  await expect(panel.getByText('Email must be a valid email address.')).toBeVisible();
  await expect(panel.getByText('Amount must be greater than 0.')).toBeVisible();
  await expect(panel.getByLabel('External ID')).toHaveAttribute('aria-invalid', 'true');
  await expect(panel.getByLabel('External ID')).toBeFocused();
  await expect(panel.getByLabel('Display name')).toHaveValue('Keep me');
  await expect(panel.getByLabel('Email')).toHaveValue('not-an-email');
  await expect(panel.getByLabel('Amount (USD)')).toHaveValue('-5');
  await expect(panel.getByRole('switch', { name: 'Budget' })).toHaveAttribute('aria-checked', 'true');
  await shot(page, '07-create-validation-errors');

  await panel.getByLabel('External ID').fill(taken);
  await panel.getByLabel('Email').fill('ok@example.com');
  // An edited field drops its stale error at once.
  await expect(panel.getByText('Email must be a valid email address.')).toBeHidden();
  await expect(panel.getByText('Amount must be greater than 0.')).toBeVisible();
  await panel.getByLabel('Amount (USD)').fill('0');
  await panel.getByRole('button', { name: 'Create identity' }).click();
  await expect(panel.getByText('Amount must be greater than 0.')).toBeVisible();
  await panel.getByLabel('Amount (USD)').fill('5');
  await panel.getByRole('button', { name: 'Create identity' }).click();
  await expect(panel.getByText(`An identity with external id "${taken}" already exists.`)).toBeVisible();
  await expect(panel.getByLabel('External ID')).toHaveValue(taken);
  await shot(page, '08-create-duplicate-external-id');
});

test('list search, tag filter, sort and pagination live in the URL', async ({ page, api }) => {
  // One long walk (25 identities, 56 events, a dozen page loads): more than the default 30 s on a busy 2-core machine.
  test.setTimeout(60_000);
  const tag = `bulk-${uid()}`;
  for (let i = 1; i <= 25; i++) {
    const n = String(i).padStart(2, '0');
    expect((await api.post('/v2/identities', { external_id: `${tag}-${n}`, display_name: `Bulk ${n}`, tags: [tag] })).status).toBe(201);
  }
  // Costs rise with the number; #07 gets the most requests, #03 errors.
  const events = Array.from({ length: 25 }, (_, i) => ({
    event_id: `${tag}-ev-${i}`,
    external_id: `${tag}-${String(i + 1).padStart(2, '0')}`,
    model: 'gpt-4o',
    provider: 'openai',
    input_tokens: 100 * (i + 1),
    output_tokens: 10,
    cost: 0.01 * (i + 1),
  }));
  events.push(
    ...Array.from({ length: 30 }, (_, i) => ({ event_id: `${tag}-ev7-${i}`, external_id: `${tag}-07`, model: 'gpt-4o', provider: 'openai', input_tokens: 1, output_tokens: 1, cost: 0 })),
    { event_id: `${tag}-err`, external_id: `${tag}-03`, model: 'gpt-4o', provider: 'openai', input_tokens: 1, output_tokens: 0, cost: 0, status: 'error', error_code: 'rate_limit' } as never,
  );
  expect((await api.post('/v2/usage', { events })).status).toBeLessThan(300);

  await page.goto('/identities');
  await page.getByLabel('Filter by tag').selectOption(tag);
  await expect(page).toHaveURL(new RegExp(`[?&]tag=${tag}`));
  await expect(page.locator('[data-identity-row]')).toHaveCount(20);
  await expect(page.getByText('Showing 1–20 of 25 identities')).toBeVisible();
  await shot(page, '09-identities-tag-filter');

  await page.getByRole('link', { name: 'Next' }).click();
  await expect(page).toHaveURL(/page=2/);
  await expect(page.locator('[data-identity-row]')).toHaveCount(5);
  await expect(page.getByText('Showing 21–25 of 25 identities')).toBeVisible();
  await page.goBack();
  await expect(page.locator('[data-identity-row]')).toHaveCount(20);

  // Rows per page is part of the URL too.
  await page.getByRole('link', { name: '50 rows per page' }).click();
  await expect(page).toHaveURL(/size=50/);
  await expect(page.locator('[data-identity-row]')).toHaveCount(25);
  await expect(page.getByText('Showing 1–25 of 25 identities')).toBeVisible();
  await expect(page.getByRole('link', { name: '50 rows per page' })).toHaveAttribute('aria-current', 'true');
  await page.goBack();
  await expect(page.locator('[data-identity-row]')).toHaveCount(20);

  // Sort by cost: highest first, then flip.
  await page.getByRole('link', { name: /^Cost/ }).click();
  await expect(page).toHaveURL(/sort=cost/);
  await expect(page.locator('[data-identity-row]').first()).toHaveAttribute('data-identity-row', `${tag}-25`);
  await expect(page.getByRole('columnheader', { name: /Cost/ })).toHaveAttribute('aria-sort', 'descending');
  await shot(page, '10-identities-sorted-by-cost');
  await page.getByRole('link', { name: /^Cost/ }).click();
  await expect(page).toHaveURL(/order=asc/);
  await expect(page.locator('[data-identity-row]').first()).toHaveAttribute('data-identity-row', `${tag}-01`);

  await page.getByRole('link', { name: /^Requests/ }).click();
  await expect(page.locator('[data-identity-row]').first()).toHaveAttribute('data-identity-row', `${tag}-07`);
  await page.getByRole('link', { name: /^Error rate/ }).click();
  await expect(page.locator('[data-identity-row]').first()).toHaveAttribute('data-identity-row', `${tag}-03`);
  await expect(page.locator(`[data-identity-row="${tag}-03"]`)).toContainText('50%');
  await page.getByRole('link', { name: /^Identity/ }).click();
  await expect(page.locator('[data-identity-row]').first()).toHaveAttribute('data-identity-row', `${tag}-01`);

  // Search narrows within the filter; the shared URL reproduces the view.
  await page.getByLabel('Search identities').fill('Bulk 17');
  await expect(page).toHaveURL(/q=Bulk\+17/);
  await expect(page.locator('[data-identity-row]')).toHaveCount(1);
  const shared = page.url();
  await page.goto('/identities');
  await page.goto(shared);
  await expect(page.locator('[data-identity-row]')).toHaveCount(1);
  await expect(page.getByLabel('Search identities')).toHaveValue('Bulk 17');

  await page.getByLabel('Search identities').fill('no such identity');
  await expect(page.getByRole('heading', { name: 'No identities match' })).toBeVisible();
  await shot(page, '11-identities-no-match');
  await page.getByRole('link', { name: 'Clear filters' }).click();
  await expect(page).toHaveURL(/\/identities(\?sort=name)?$/);
});

test('detail: gauge after usage, reset to 0, limit reached', async ({ page, api }) => {
  const ext = `client_${uid()}`;
  expect((await api.post('/v2/identities', { external_id: ext, display_name: 'Client A', email: 'client-a@example.com', tags: ['enterprise'], metadata: { role: 'admin' }, avatar_url: `${E2E_ENV.baseURL}/missing-avatar.png` })).status).toBe(201);
  const budget = await api.post('/v2/budgets', {
    scope: { identity: { identity_external_id: ext } },
    limits: { period: 'BUDGET_PERIOD_DAILY', amount: 0.2 },
  });
  expect(budget.status).toBeLessThan(300);
  const ingest = await api.post('/v2/usage', {
    events: [{ event_id: `${ext}-e1`, external_id: ext, model: 'gpt-4o', provider: 'openai', input_tokens: 1000, output_tokens: 500, cost: 0.08 }],
  });
  expect(ingest.status).toBeLessThan(300);

  await page.goto(`/identities?q=${ext}`);
  await expect(page.locator(`[data-identity-row="${ext}"]`)).toContainText('$0.08 of $0.20 daily');
  await page.getByRole('link', { name: 'Client A' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Client A' })).toBeVisible();
  await expect(page.getByTestId('external-id')).toHaveText(ext);
  await expect(page.getByTestId('identity-email')).toHaveText('client-a@example.com');
  await expect(page.getByRole('list', { name: 'Tags' })).toContainText('enterprise');
  await expect(page.getByTestId('identity-metadata')).toContainText('role');
  // A broken avatar URL falls back to the initials.
  await expect(page.locator('main img')).toHaveCount(0);
  await expect(page.locator('main header').getByText('CA', { exact: true })).toBeVisible();

  const gauge = page.getByRole('meter', { name: 'Daily budget used' });
  await expect(gauge).toHaveAttribute('aria-valuenow', '40');
  await expect(gauge).toHaveAttribute('data-tone', 'ok');
  await expect(gauge).toContainText('40%');
  await expect(page.getByTestId('budget-limit')).toHaveText('$0.20');
  await expect(page.getByTestId('budget-consumed')).toHaveText('$0.08');
  await expect(page.getByTestId('budget-card')).toContainText(/Daily · resets in/);
  const eventRow = page.locator(`[data-event-id="${ext}-e1"]`);
  await expect(eventRow).toContainText('gpt-4o');
  await expect(eventRow).toContainText('1,500');
  await expect(eventRow).toContainText('$0.08');
  await expect(eventRow).toContainText('Success');
  await expect(page.getByRole('img', { name: /Cost per day/ })).toBeVisible();
  await expect(page.locator('.recharts-bar-rectangle').first()).toBeVisible();
  await shot(page, '12-detail-gauge-40');

  await page.getByRole('button', { name: 'Reset' }).click();
  const confirm = page.getByRole('dialog', { name: 'Reset budget consumption?' });
  await expect(confirm).toBeVisible();
  await shot(page, '13-detail-reset-confirm');
  await confirm.getByRole('button', { name: 'Reset budget' }).click();
  await expect(confirm).toBeHidden();
  await expect(gauge).toHaveAttribute('aria-valuenow', '0');
  await expect(gauge).toContainText('0%');
  await expect(page.getByTestId('budget-consumed')).toHaveText('$0.00');
  await expect(page.getByText('Budget reset: consumption starts again from $0.00')).toBeVisible();
  // History is kept.
  await expect(eventRow).toBeVisible();
  await shot(page, '14-detail-after-reset');

  // Spend after the reset counts again; past the limit the gauge turns red.
  await api.post('/v2/usage', {
    events: [
      { event_id: `${ext}-e2`, external_id: ext, model: 'gpt-4o', provider: 'openai', input_tokens: 2000, output_tokens: 800, cost: 0.17 },
      { event_id: `${ext}-e3`, external_id: ext, model: 'mystery-model-x', input_tokens: 10, output_tokens: 10 },
      { event_id: `${ext}-e4`, external_id: ext, model: 'gpt-4o', provider: 'openai', input_tokens: 5, output_tokens: 0, cost: 0.01, status: 'error', error_code: 'timeout' },
    ],
  });
  await page.reload();
  await expect(gauge).toHaveAttribute('data-tone', 'warning');
  await expect(gauge).toHaveAttribute('aria-valuenow', '90');
  await api.post('/v2/usage', { events: [{ event_id: `${ext}-e5`, external_id: ext, model: 'gpt-4o', provider: 'openai', input_tokens: 1, output_tokens: 1, cost: 0.05 }] });
  await page.reload();
  await expect(gauge).toHaveAttribute('data-tone', 'exceeded');
  await expect(page.getByText('Limit reached: new requests are refused with 429')).toBeVisible();
  await expect(page.locator(`[data-event-id="${ext}-e3"]`)).toContainText('Unpriced');
  await expect(page.locator(`[data-event-id="${ext}-e4"]`)).toContainText('Error: timeout');
  await shot(page, '15-detail-limit-reached');
});

test('detail: usage events are paginated', async ({ page, api }) => {
  const ext = `busy_${uid()}`;
  const events = Array.from({ length: 25 }, (_, i) => ({
    event_id: `${ext}-${i}`,
    external_id: ext,
    model: i % 2 ? 'claude-3-5-sonnet' : 'gpt-4o-mini',
    provider: i % 2 ? 'anthropic' : 'openai',
    input_tokens: 500 + i,
    output_tokens: 200,
    cost: 0.002,
    latency_ms: 800 + i,
    timestamp: new Date(Date.now() - (25 - i) * 60_000).toISOString(),
  }));
  expect((await api.post('/v2/usage', { events })).status).toBeLessThan(300);
  await page.goto(`/identities?q=${ext}`);
  await page.getByRole('link', { name: ext }).click();
  const pager = page.getByRole('navigation', { name: 'Usage events pages' });
  await expect(pager).toContainText('Showing 1–20 of 25 events');
  await expect(page.locator('[data-event-id]').first()).toHaveAttribute('data-event-id', `${ext}-24`);
  await pager.getByRole('link', { name: 'Next' }).click();
  await expect(page).toHaveURL(/page=2/);
  await expect(pager).toContainText('Showing 21–25 of 25 events');
  await expect(page.locator('[data-event-id]')).toHaveCount(5);
  await shot(page, '16-detail-events-page-2');
});

test('edit identity and budget', async ({ page, api }) => {
  const ext = `edit_${uid()}`;
  const created = await api.post('/v2/identities', { external_id: ext, display_name: 'Before', tags: ['old'] });
  const id = (created.body.identity as { _id: string })._id;
  await page.goto(`/identities/${id}`);
  await expect(page.getByRole('heading', { name: 'No budget' })).toBeVisible();
  await shot(page, '17-detail-no-budget');

  await page.getByRole('button', { name: 'Edit', exact: true }).click();
  const panel = page.getByRole('dialog', { name: 'Edit identity' });
  await expect(panel.getByLabel('Display name')).toHaveValue('Before');
  await expect(panel.getByLabel('Tags')).toHaveValue('old');
  await panel.getByLabel('Email').fill('broken');
  await panel.getByRole('button', { name: 'Save changes' }).click();
  await expect(panel.getByText('Email must be a valid email address.')).toBeVisible();

  await panel.getByLabel('Display name').fill('After');
  await panel.getByLabel('Email').fill('after@example.com');
  await panel.getByLabel('Tags').fill('new, vip');
  await panel.getByLabel('Metadata').fill('{"plan": "pro"}');
  await panel.getByRole('switch', { name: 'Budget' }).click();
  await panel.getByLabel('Period').selectOption('weekly');
  await panel.getByLabel('Amount (USD)').fill('25');
  await shot(page, '18-edit-panel');
  await panel.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('Saved “After”')).toBeVisible();
  await expect(panel).toBeHidden();
  await expect(page.getByRole('heading', { level: 1, name: 'After' })).toBeVisible();
  await expect(page.getByTestId('identity-email')).toHaveText('after@example.com');
  await expect(page.getByRole('list', { name: 'Tags' })).toHaveText(/new\s*vip/);
  await expect(page.getByTestId('identity-metadata')).toContainText('pro');
  await expect(page.getByTestId('budget-limit')).toHaveText('$25.00');
  await expect(page.getByTestId('budget-card')).toContainText('Weekly');

  // Turning the budget off removes it.
  await page.getByRole('button', { name: 'Edit', exact: true }).click();
  await panel.getByRole('switch', { name: 'Budget' }).click();
  await panel.getByRole('button', { name: 'Save changes' }).click();
  await expect(panel).toBeHidden();
  await expect(page.getByRole('heading', { name: 'No budget' })).toBeVisible();
  await shot(page, '19-detail-after-edit');
});

test('delete identity with confirmation', async ({ page, api }) => {
  const ext = `gone_${uid()}`;
  const created = await api.post('/v2/identities', { external_id: ext, display_name: 'Short-lived' });
  const id = (created.body.identity as { _id: string })._id;
  await page.goto(`/identities/${id}`);
  await page.getByRole('button', { name: 'Delete' }).click();
  const confirm = page.getByRole('dialog', { name: 'Delete “Short-lived”?' });
  await expect(confirm).toHaveAccessibleDescription(/cannot be undone/);
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(confirm).toBeHidden();

  await page.getByRole('button', { name: 'Delete' }).click();
  await shot(page, '20-delete-confirm');
  await confirm.getByRole('button', { name: 'Delete identity' }).click();
  await expect(page).toHaveURL(/\/identities$/);
  await expect(page.getByText('Deleted identity “Short-lived”')).toBeVisible();
  await expect(page.locator(`[data-identity-row="${ext}"]`)).toHaveCount(0);
  expect((await api.get(`/v2/identities/${id}`)).status).toBe(404);

  await page.goto(`/identities/${id}`);
  await expect(page.getByRole('heading', { name: 'Identity not found' })).toBeVisible();
  await shot(page, '21-identity-not-found');
});

test('API keys: create (secret shown once), use, revoke', async ({ page, api, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const name = `Backend ${uid()}`;
  await page.goto('/api-keys');
  await expect(page.locator('[data-api-key="Root key (TOLLBOOTH_API_KEY)"]')).toContainText('Active');
  await page.getByRole('button', { name: 'Create API key' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create an API key' });
  await dialog.getByRole('button', { name: 'Create key' }).click();
  await expect(dialog.getByText('Name the key')).toBeVisible();
  await dialog.getByLabel('Name').fill(name);
  await dialog.getByRole('button', { name: 'Create key' }).click();

  const shown = page.getByRole('dialog', { name: 'Copy your new API key' });
  const secret = await shown.getByLabel('API key').inputValue();
  expect(secret).toMatch(/^tb_/);
  await shown.getByRole('button', { name: 'Copy' }).click();
  await expect(shown.getByRole('button', { name: 'Copied' })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
  await shot(page, '22-api-key-created');
  await shown.getByRole('button', { name: 'Done' }).click();

  expect((await api.get('/v2/identities', secret)).status).toBe(200);
  const row = page.locator(`[data-api-key="${name}"]`);
  // Only "tb_" and four characters identify the key: never enough to guess the rest.
  await expect(row).toContainText(secret.slice(0, 7));
  await expect(row).not.toContainText(secret.slice(0, 8));
  await expect(row).toContainText(`by ${E2E_ENV.adminEmail}`);
  await page.reload();
  await expect(row).toContainText('just now');
  await expect(page.getByText(secret)).toHaveCount(0);
  await shot(page, '23-api-keys-list');

  await row.getByRole('button', { name: `Revoke ${name}` }).click();
  await page.getByRole('dialog', { name: `Revoke “${name}”?` }).getByRole('button', { name: 'Revoke key' }).click();
  await expect(row).toContainText('Revoked');
  await expect(row.getByRole('button', { name: /Revoke/ })).toHaveCount(0);
  expect((await api.get('/v2/identities', secret)).status).toBe(401);
  await shot(page, '24-api-key-revoked');
});

test('server actions check the session themselves', async ({ page, context }) => {
  const ext = `sneaky_${uid()}`;
  await page.goto('/identities');
  await page.getByRole('button', { name: 'Create identity' }).first().click();
  const panel = page.getByRole('dialog', { name: 'Create an identity' });
  await panel.getByLabel('External ID').fill(ext);
  await context.clearCookies();
  await panel.getByRole('button', { name: 'Create identity' }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await signIn(page);
  await expect(page).toHaveURL(/\/overview$/);
  await page.goto(`/identities?q=${ext}`);
  await expect(page.getByRole('heading', { name: 'No identities match' })).toBeVisible();
});

test('narrow screens get a compact layout', async ({ page, api }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  const ext = `mobile_${uid()}`;
  await api.post('/v2/identities', { external_id: ext, display_name: 'Mobile user' });
  await api.post('/v2/budgets', { scope: { identity: { identity_external_id: ext } }, limits: { period: 'BUDGET_PERIOD_MONTHLY', amount: 10 } });
  await api.post('/v2/usage', { events: [{ event_id: `${ext}-1`, external_id: ext, model: 'gpt-4o', provider: 'openai', input_tokens: 10, output_tokens: 5, cost: 8.5 }] });
  await page.goto('/identities');
  await expect(page.getByRole('navigation', { name: 'Studio' }).getByRole('link', { name: 'Identities' })).toBeVisible();
  await shot(page, '25-mobile-identities');
  await page.goto(`/identities?q=${ext}`);
  await page.getByRole('link', { name: 'Mobile user' }).click();
  await expect(page.getByRole('meter', { name: 'Monthly budget used' })).toHaveAttribute('data-tone', 'warning');
  await shot(page, '26-mobile-detail');
});
