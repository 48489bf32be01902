import { test, type Browser, type BrowserContext } from '@playwright/test';
import { startServer, type TestServer } from '../tests/support/server';
import { expect, shot, signIn } from './fixtures';

// Sessions and the sign-in throttle against servers this file starts itself (so revoking every session of the
// admin, restarting, and changing the password cannot disturb the shared e2e server). Honours
// TOLLBOOTH_TEST_POSTGRES_URL like the integration tests: SQLite by default, PostgreSQL when it is set.
const ADMIN = { email: 'admin@example.test', password: 'itest-password-1234' };
const SESSION_SECRET = 'e2e-auth-sessions-secret-0123456789abcdefghijkl';
const noSession = { cookies: [], origins: [] };

test.describe.configure({ mode: 'serial', timeout: 180_000 });

const started: TestServer[] = [];
async function serve(options: Parameters<typeof startServer>[0] = {}): Promise<TestServer> {
  const server = await startServer({ ...options, env: { SESSION_SECRET, ...options.env } });
  started.push(server);
  return server;
}

test.afterAll(async () => {
  // Later servers reuse the first one's database; it is dropped when the first one stops.
  for (const server of started.reverse()) await server.stop();
});

const contextAt = (browser: Browser, server: TestServer, ip?: string) =>
  browser.newContext({
    baseURL: server.baseUrl,
    storageState: noSession,
    ...(ip ? { extraHTTPHeaders: { 'x-forwarded-for': ip } } : {}),
  });

async function signedIn(browser: Browser, server: TestServer, ip?: string): Promise<BrowserContext> {
  const context = await contextAt(browser, server, ip);
  const page = await context.newPage();
  await signIn(page, ADMIN.email, ADMIN.password);
  await expect(page).toHaveURL(/\/overview$/);
  return context;
}

/** Whether a cookie header still opens a Studio page, asked over plain HTTP (no browser state involved). */
async function opensStudio(server: TestServer, cookieHeader: string): Promise<boolean> {
  const res = await fetch(`${server.baseUrl}/identities`, { headers: { cookie: cookieHeader }, redirect: 'manual' });
  await res.arrayBuffer();
  if (res.status === 200) return true;
  expect(res.status).toBeGreaterThanOrEqual(300);
  expect(res.status).toBeLessThan(400);
  expect(res.headers.get('location')).toContain('/sign-in');
  return false;
}

async function cookieHeaderOf(context: BrowserContext): Promise<string> {
  const cookie = (await context.cookies()).find((c) => c.name === 'tollbooth_session');
  expect(cookie).toBeDefined();
  return `${cookie!.name}=${cookie!.value}`;
}

test('"Sign out everywhere" ends the sessions of other browsers', async ({ browser }) => {
  const server = await serve();
  const laptop = await signedIn(browser, server);
  const phone = await signedIn(browser, server);
  const phonePage = await phone.newPage();
  await phonePage.goto('/identities');
  await expect(phonePage).toHaveURL(/\/identities$/);

  const laptopPage = laptop.pages()[0];
  await shot(laptopPage, 'auth-02-sign-out-everywhere');
  await laptopPage.getByRole('button', { name: 'Sign out everywhere' }).first().click();
  await expect(laptopPage).toHaveURL(/\/sign-in$/);

  await phonePage.goto('/identities');
  await expect(phonePage).toHaveURL(/\/sign-in/);
  await laptop.close();
  await phone.close();
});

test('a session survives a restart but not a password change', async ({ browser }) => {
  const first = await serve();
  const context = await signedIn(browser, first);
  const cookie = await cookieHeaderOf(context);
  await context.close();
  expect(await opensStudio(first, cookie)).toBe(true);

  await first.kill();
  const restarted = await serve({ databaseUrl: first.databaseUrl, apiKey: first.apiKey });
  expect(await opensStudio(restarted, cookie)).toBe(true);

  await restarted.kill();
  const newPassword = 'a-brand-new-password-5678';
  const changed = await serve({ databaseUrl: first.databaseUrl, apiKey: first.apiKey, env: { TOLLBOOTH_ADMIN_PASSWORD: newPassword } });
  expect(await opensStudio(changed, cookie)).toBe(false);

  const again = await contextAt(browser, changed);
  const page = await again.newPage();
  await signIn(page, ADMIN.email, newPassword);
  await expect(page).toHaveURL(/\/overview$/);
  expect(await opensStudio(changed, await cookieHeaderOf(again))).toBe(true);
  await again.close();
});

/** One no-JavaScript sign-in form post (the form's own hidden fields), as a browser without JS would send it. */
async function postSignIn(server: TestServer, ip: string, password: string, now?: string): Promise<{ status: number; html: string }> {
  const page = await fetch(`${server.baseUrl}/sign-in`, { headers: { 'x-forwarded-for': ip } });
  const form = (await page.text()).match(/<form[\s\S]*?<\/form>/)?.[0] ?? '';
  const unescape = (v: string) => v.replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  const body = new FormData();
  for (const [, name, value] of form.matchAll(/<input type="hidden" name="([^"]+)"(?: value="([^"]*)")?\/>/g)) {
    body.append(unescape(name), unescape(value ?? ''));
  }
  expect([...body.keys()]).toContain('$ACTION_KEY');
  body.append('email', ADMIN.email);
  body.append('password', password);
  const res = await fetch(`${server.baseUrl}/sign-in`, {
    method: 'POST',
    body,
    headers: { 'x-forwarded-for': ip, origin: server.baseUrl, ...(now ? { 'x-tollbooth-now': now } : {}) },
    redirect: 'manual',
  });
  return { status: res.status, html: await res.text() };
}

test.describe('sign-in throttle (TOLLBOOTH_TRUST_PROXY=1)', () => {
  let throttled: TestServer | undefined;
  const throttledServer = async () => (throttled ??= await serve({ env: { TOLLBOOTH_TRUST_PROXY: '1' } }));

  test('40 parallel wrong guesses are each counted: only the free ones reach the password check', async () => {
    const server = await throttledServer();
    // All at one pinned instant (TOLLBOOTH_TEST_CLOCK=1), so no backoff delay runs out while they are served.
    const now = new Date().toISOString();
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => postSignIn(server, '198.51.100.40', `parallel-guess-${i}`, now)));
    expect(answers.map((a) => a.status)).toEqual(Array(40).fill(200));
    const checked = answers.filter((a) => a.html.includes('do not match an admin account')).length;
    const refused = answers.filter((a) => a.html.includes('Too many failed attempts')).length;
    expect({ checked, refused }).toEqual({ checked: 5, refused: 35 });
    // The right password from that address is refused too, while another address signs in.
    expect((await postSignIn(server, '198.51.100.40', ADMIN.password, now)).html).toContain('Too many failed attempts');
    const other = await postSignIn(server, '198.51.100.41', ADMIN.password);
    expect(other.status).toBe(303);
  });

  test("a stranger's failures from one IP do not lock out the admin on another", async ({ browser }) => {
    const server = await throttledServer();
    const stranger = await contextAt(browser, server, '198.51.100.66');
    const page = await stranger.newPage();
    await page.goto('/sign-in');
    const error = page.locator('form [role="alert"]');
    const messages: string[] = [];
    for (let i = 0; i < 12; i++) {
      await page.getByLabel('Email').fill(ADMIN.email);
      await page.getByLabel('Password').fill(`guess-${i}`);
      // Each answer replaces the last: wait for this guess's response and for the form to settle.
      const answered = page.waitForResponse((res) => res.request().method() === 'POST' && new URL(res.url()).pathname === '/sign-in');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await answered;
      await expect(page.getByRole('button', { name: 'Sign in' })).toBeEnabled();
      await expect(error).toHaveText(/do not match|Too many failed attempts/);
      messages.push((await error.textContent()) ?? '');
    }
    expect(messages.filter((m) => m.includes('Too many failed attempts')).length).toBeGreaterThan(0);
    // The stranger is still held back, even with the right password.
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(error).toContainText('Too many failed attempts');
    await shot(page, 'auth-03-stranger-throttled');
    await stranger.close();

    const admin = await signedIn(browser, server, '203.0.113.10');
    await admin.close();
  });
});
