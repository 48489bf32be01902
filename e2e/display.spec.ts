import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, shot, test, uid } from './fixtures';

// What API callers write is shown safely: a long unbroken name cannot push the metrics out of view, a
// right-to-left override cannot disguise a name, a long metadata key cannot cover its value, and
// avatar URLs (which point anywhere) are not loaded by the admin's browser unless the operator opts in.

test('user text: long names truncate, direction overrides are shown, metadata keys keep to their column', async ({ page, api }) => {
  const run = uid();
  const longName = `Unbroken${'W'.repeat(190)}`;
  const spoof = `rtl-${run}-\u202Egnp.exe`;
  const longKey = `${'k'.repeat(40)}-${run}`;
  expect((await api.post('/v2/identities', { external_id: `long-${run}`, display_name: longName, metadata: { [longKey]: 'the value stays readable' } })).status).toBe(201);
  expect((await api.post('/v2/identities', { external_id: spoof })).status).toBe(201);

  await page.goto(`/identities?q=${run}`);
  const longRow = page.locator(`[data-identity-row="long-${run}"]`);
  await expect(longRow).toBeVisible();
  // Every column of the row stays within the page: the name is cut off, not the metrics.
  const viewport = page.viewportSize() as { width: number };
  const budgetCell = longRow.locator('td').last();
  const box = await budgetCell.boundingBox();
  expect(box && box.x + box.width).toBeLessThanOrEqual(viewport.width);
  await expect(longRow.getByRole('link').first()).toHaveAttribute('href', /\/identities\//);
  // The override is written out, so the name cannot read as "…exe.png".
  const spoofRow = page.locator(`[data-identity-row="${spoof}"]`);
  await expect(spoofRow).toContainText('⟨U+202E⟩gnp.exe');
  await shot(page, '80-identities-hostile-names');

  await longRow.getByRole('link').first().click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Unbroken');
  const entry = page.getByTestId('identity-metadata').locator('div').first();
  const key = await entry.locator('dt').boundingBox();
  const value = await entry.locator('dd').boundingBox();
  expect(key && value).toBeTruthy();
  // Key and value sit side by side without overlapping.
  expect((key as { x: number; width: number }).x + (key as { width: number }).width).toBeLessThanOrEqual((value as { x: number }).x);
  await expect(entry.locator('dd')).toContainText('the value stays readable');
  await shot(page, '81-identity-long-name-and-key');
});

test('avatar URLs are not loaded by the admin\'s browser unless remote avatars are turned on', async ({ page, api }) => {
  let hits = 0;
  const tracker = http.createServer((_req, res) => {
    hits += 1;
    res.writeHead(200, { 'content-type': 'image/gif' }).end(Buffer.from('R0lGODlhAQABAAAAACw=', 'base64'));
  });
  await new Promise<void>((resolve) => tracker.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = tracker.address() as AddressInfo;
    const externalId = `pixel-${uid()}`;
    expect((await api.post('/v2/identities', { external_id: externalId, display_name: 'Pixel Target', avatar_url: `http://127.0.0.1:${port}/pixel.gif` })).status).toBe(201);
    await page.goto(`/identities?q=${externalId}`);
    await expect(page.locator(`[data-identity-row="${externalId}"]`)).toContainText('PT');
    await page.locator(`[data-identity-row="${externalId}"]`).getByRole('link').first().click();
    await expect(page.getByRole('heading', { level: 1, name: 'Pixel Target' })).toBeVisible();
    await page.waitForLoadState('networkidle');
    expect(hits).toBe(0);
  } finally {
    await new Promise((resolve) => tracker.close(resolve));
  }
});
