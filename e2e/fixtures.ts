import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base, expect, request as playwrightRequest, type APIRequestContext, type Page } from '@playwright/test';
import { E2E_ENV } from '../playwright.config';

export { expect };

const SCREENSHOT_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'screenshots');

/** Full-page screenshot for review: e2e/screenshots/<name>.png */
export async function shot(page: Page, name: string) {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  // Charts draw after the client measures them: wait, so the picture shows them.
  const charts = page.locator('[role="img"][aria-label*="per day over"], [role="img"][data-chart]');
  const count = await charts.count();
  if (count > 0) await expect(page.locator('.recharts-surface')).toHaveCount(count);
  // An open dialog's overlay is fixed to the viewport, so capture just the viewport then.
  const dialogOpen = (await page.getByRole('dialog').count()) > 0;
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: !dialogOpen, animations: 'disabled' });
}

export async function signIn(page: Page, email = E2E_ENV.adminEmail, password = E2E_ENV.adminPassword) {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** A short unique suffix, so tests never depend on each other's data. */
export const uid = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

type ApiResponse = { status: number; body: Record<string, unknown> };

type Api = {
  post: (path: string, body: unknown) => Promise<ApiResponse>;
  patch: (path: string, body: unknown) => Promise<ApiResponse>;
  get: (path: string, key?: string) => Promise<ApiResponse>;
  del: (path: string) => Promise<ApiResponse>;
};

export const test = base.extend<{ api: Api }, { workerStorageState: string; apiContext: APIRequestContext }>({
  // Sign in once per worker through the real form; tests start signed in unless they opt out.
  workerStorageState: [
    async ({ browser }, provide, workerInfo) => {
      const file = path.join(workerInfo.project.outputDir, `.auth/worker-${workerInfo.parallelIndex}.json`);
      const context = await browser.newContext({ baseURL: E2E_ENV.baseURL, storageState: undefined });
      const page = await context.newPage();
      await signIn(page);
      // Signed in once the Studio's landing page (whichever it is) replaces the sign-in form.
      await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
      fs.mkdirSync(path.dirname(file), { recursive: true });
      await context.storageState({ path: file });
      await context.close();
      await provide(file);
    },
    { scope: 'worker' },
  ],
  storageState: ({ workerStorageState }, provide) => provide(workerStorageState),

  apiContext: [
    async ({}, provide) => {
      const ctx = await playwrightRequest.newContext({ baseURL: E2E_ENV.baseURL });
      await provide(ctx);
      await ctx.dispose();
    },
    { scope: 'worker' },
  ],
  api: async ({ apiContext }, provide) => {
    const headers = (key = E2E_ENV.apiKey) => ({ authorization: `Bearer ${key}`, 'content-type': 'application/json' });
    const send = async (method: string, p: string, body?: unknown, key?: string): Promise<ApiResponse> => {
      const res = await apiContext.fetch(p, { method, headers: headers(key), ...(body === undefined ? {} : { data: body }) });
      return { status: res.status(), body: (await res.json().catch(() => ({}))) as Record<string, unknown> };
    };
    await provide({
      post: (p, body) => send('POST', p, body),
      patch: (p, body) => send('PATCH', p, body),
      get: (p, key) => send('GET', p, undefined, key),
      del: (p) => send('DELETE', p),
    });
  },
});

/** An OpenAI-compatible provider that holds each call open until the test releases it. */
export async function startHeldProvider(port: number) {
  let arrived!: () => void;
  const received = new Promise<void>((resolve) => (arrived = resolve));
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      arrived();
      void released.then(() =>
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            id: 'chatcmpl-e2e',
            object: 'chat.completion',
            created: 1_700_000_000,
            model: 'slow-model',
            choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'Done.' } }],
            usage: { prompt_tokens: 9, completion_tokens: 20, total_tokens: 29 },
          }),
        ),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { received, release, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
