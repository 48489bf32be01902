import { E2E_ENV } from '../playwright.config';
import { expect, shot, signIn, test } from './fixtures';

// Sign-in hardening on the shared e2e server: `?next=` stays on the Studio, sign-out revokes copied cookies.
const noSession = { cookies: [], origins: [] };
test.use({ storageState: noSession });

test('a tab in ?next= (/%09/evil.example) cannot send the admin to another origin', async ({ page }) => {
  const answer = await page.goto('/sign-in?next=/%09/evil.example');
  expect(answer?.status()).toBe(200);
  await page.getByLabel('Email').fill(E2E_ENV.adminEmail);
  await page.getByLabel('Password').fill(E2E_ENV.adminPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(`${E2E_ENV.baseURL}/overview`);
  expect(new URL(page.url()).origin).toBe(E2E_ENV.baseURL);
});

test('a newline in ?next= is refused, not a server error', async ({ page }) => {
  for (const next of ['/%0a/evil.example', '/identities%0d%0aSet-Cookie:%20x=1', '%2F%2Fevil.example']) {
    const answer = await page.goto(`/sign-in?next=${next}`);
    expect(answer?.status(), next).toBe(200);
    await expect(page.getByRole('heading', { name: 'Sign in to Tollbooth' })).toBeVisible();
  }
  await page.getByLabel('Email').fill(E2E_ENV.adminEmail);
  await page.getByLabel('Password').fill(E2E_ENV.adminPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(`${E2E_ENV.baseURL}/overview`);
});

test('a copied session cookie stops working once its session signs out', async ({ page, browser }) => {
  await signIn(page);
  await expect(page).toHaveURL(/\/overview$/);
  const cookie = (await page.context().cookies()).find((c) => c.name === 'tollbooth_session');
  expect(cookie).toBeDefined();
  await shot(page, 'auth-01-user-menu');

  // The copy works while the session lives…
  const thief = await browser.newContext({ baseURL: E2E_ENV.baseURL, storageState: noSession });
  await thief.addCookies([cookie!]);
  const stolen = await thief.newPage();
  await stolen.goto('/identities');
  await expect(stolen).toHaveURL(/\/identities$/);

  // …and not after the admin signs out.
  await page.getByRole('button', { name: 'Sign out', exact: true }).first().click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await stolen.goto('/identities');
  await expect(stolen).toHaveURL(/\/sign-in/);
  await thief.close();
});
