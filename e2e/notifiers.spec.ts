import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { expect, shot, test, uid } from './fixtures';

// Notifiers in the Studio: add one pointing at a webhook receiver started here (the signing secret is shown once),
// send a test message, and see the attempt with its 200 in the notifier's deliveries; the receiver verifies the
// signature with the secret the Studio showed.

type Received = { headers: Record<string, string>; body: string };

async function startReceiver(): Promise<{ url: string; received: Received[]; close: () => Promise<void> }> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])), body });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/tollbooth`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

test('notifiers: add one (secret shown once), send a test, see the delivered attempt', async ({ page, api }) => {
  // One walk (each step builds on the last): longer than the default 30 s on a busy 2-core machine.
  test.setTimeout(90_000);
  const receiver = await startReceiver();
  const name = `Finance hook ${uid()}`;
  const row = page.locator(`[data-notifier="${name}"]`);
  let secret = '';
  try {
    await test.step('the nav leads to Notifiers; adding one validates the URL', async () => {
      await page.goto('/identities');
      await page.getByRole('navigation', { name: 'Studio' }).getByRole('link', { name: 'Notifiers' }).first().click();
      await expect(page).toHaveURL(/\/notifiers$/);
      await expect(page.getByRole('heading', { level: 1, name: 'Notifiers' })).toBeVisible();
      await page.getByRole('button', { name: 'Add notifier' }).first().click();
      const panel = page.getByRole('dialog', { name: 'Add a notifier' });
      await panel.getByLabel('Name').fill(name);
      await panel.getByLabel('Webhook URL').fill('ftp://example.com/hook');
      await panel.getByRole('button', { name: 'Add notifier' }).click();
      await expect(panel.getByText(/Webhook URL must be an http\(s\) URL/)).toBeVisible();
      await panel.getByLabel('Webhook URL').fill(receiver.url);
      await panel.getByRole('button', { name: 'Add notifier' }).click();
    });

    await test.step('the signing secret is shown once, with a copy button', async () => {
      const panel = page.getByRole('dialog', { name: 'Copy the signing secret' });
      await expect(panel.getByText('This is the only time the secret is shown.')).toBeVisible();
      secret = await panel.getByLabel('Signing secret').inputValue();
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      await expect(panel.getByRole('button', { name: /copy/i })).toBeVisible();
      await shot(page, 'notifier-secret');
      await panel.getByRole('button', { name: 'Done' }).click();
      await expect(panel).toBeHidden();
      await expect(row).toContainText(receiver.url);
      await expect(row).toContainText('Active');
      await expect(row).toContainText('Never');
      // Never shown again.
      await expect(page.getByText(secret)).toHaveCount(0);
    });

    await test.step('send test: the receiver gets a signed message; the row shows it delivered', async () => {
      await row.getByRole('button', { name: `Send test to ${name}` }).click();
      await expect(page.getByText('Test message queued')).toBeVisible();
      await expect.poll(() => receiver.received.length, { timeout: 15_000 }).toBe(1);
      const [message] = receiver.received;
      expect(new Webhook(secret).verify(message.body, message.headers)).toMatchObject({ type: 'test' });
      await expect(async () => {
        await page.reload();
        await expect(row).toContainText('Delivered', { timeout: 1_000 });
      }).toPass({ timeout: 15_000 });
      await expect(row.getByText('200')).toBeVisible();
      await shot(page, 'notifiers');
    });

    await test.step('the deliveries view lists the message with its attempt: time, 200, duration', async () => {
      await row.getByRole('link', { name }).click();
      await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
      const delivery = page.locator('[data-event="test"]');
      await expect(delivery).toHaveCount(1);
      await expect(delivery).toContainText('Delivered');
      await expect(delivery).toContainText(receiver.received[0].headers['webhook-id']);
      const attempt = delivery.locator('[data-attempt-status="200"]');
      await expect(attempt).toHaveCount(1);
      await expect(attempt).toContainText(/\d+ ms/);
      await shot(page, 'notifier-deliveries');
    });

    await test.step("a budget's alerts pick the notifier in the budget form and show it by name in the list", async () => {
      const provider = `e2ealerts${uid()}`;
      await page.goto('/budgets');
      await page.getByRole('button', { name: 'New budget' }).first().click();
      const panel = page.getByRole('dialog', { name: 'New budget' });
      await panel.getByLabel('Applies to').selectOption('provider');
      await panel.getByLabel('Provider', { exact: true }).fill(provider);
      await panel.getByLabel('Amount (USD)').fill('5');
      await panel.getByLabel('Alert at (% of the limit)').fill('100, 80');
      await panel.getByRole('button', { name: 'Create budget' }).click();
      await expect(panel.getByText('Choose at least one notifier to send the alerts to.')).toBeVisible();
      await panel.getByRole('checkbox', { name }).check();
      await shot(page, 'budget-alerts-form');
      await panel.getByRole('button', { name: 'Create budget' }).click();
      await expect(page.getByText(`Created a budget for provider “${provider}”`)).toBeVisible();
      const budgetRow = page.locator(`[data-scope="provider:${provider}"]`);
      await expect(budgetRow.locator('[data-budget-alerts]')).toHaveText(`80 %, 100 % → ${name}`);
      await shot(page, 'budget-alerts');
    });

    await test.step('delete asks first, then the notifier is gone', async () => {
      await page.goto('/notifiers');
      await row.getByRole('button', { name: `Delete notifier ${name}` }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Delete notifier' }).click();
      await expect(page.getByText(`Deleted notifier ${name}`)).toBeVisible();
      await expect(row).toHaveCount(0);
    });
  } finally {
    await receiver.close();
    // Other walks on this server expect no budgets of shared scopes (workspace, key, provider, model) but their own.
    const budgets = await api.get('/v2/budgets?scope_kind=BUDGET_SCOPE_KIND_PROVIDER&limit=200');
    for (const budget of (budgets.body.data as { budgetId: string; scope: { provider?: { provider: string } } }[] | undefined) ?? []) {
      if (budget.scope.provider?.provider.startsWith('e2ealerts')) expect((await api.del(`/v2/budgets/${budget.budgetId}`)).status).toBe(200);
    }
  }
});
