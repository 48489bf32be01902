import type { Browser, BrowserContext, Page } from '@playwright/test';
import { E2E_ENV } from '../playwright.config';
import { expect, shot, test, uid } from './fixtures';

const noSession = { cookies: [], origins: [] };
const PASSWORD = 'a-long-enough-password';
const SESSION_COOKIE = 'tollbooth_session';

/** Invites `email` as `role` on the Users page and returns the one-time link shown in the dialog. */
async function invite(page: Page, email: string, role: 'Admin' | 'Member' | 'Viewer'): Promise<string> {
  await page.getByRole('button', { name: 'Invite user' }).click();
  const form = page.getByRole('dialog', { name: 'Invite a user' });
  await form.getByLabel('Email').fill(email);
  await form.getByLabel('Role').selectOption(role.toLowerCase());
  await form.getByRole('button', { name: 'Create invite link' }).click();
  const shown = page.getByRole('dialog', { name: 'Send this invite link' });
  await expect(shown).toContainText('only time the link is shown');
  const link = await shown.getByLabel('Invite link').inputValue();
  expect(link).toMatch(new RegExp(`^${E2E_ENV.baseURL}/invite/[A-Za-z0-9_-]{43}$`));
  await shown.getByRole('button', { name: 'Done' }).click();
  await expect(page.locator(`[data-invite-row="${email}"]`)).toContainText(role);
  return link;
}

/** Opens the link in a fresh browser (no session), chooses a password and lands in the Studio. */
async function accept(browser: Browser, link: string, email: string, role: string, screenshot?: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: E2E_ENV.baseURL, storageState: noSession });
  const page = await context.newPage();
  await page.goto(link);
  await expect(page.getByTestId('invite-email')).toHaveText(email);
  await expect(page.getByTestId('invite-role')).toContainText(role);
  await page.getByLabel('Your name').fill(`${role} Person`);
  if (screenshot) {
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Confirm password').fill(PASSWORD);
    await shot(page, screenshot);
    // Bad input: the field is named, the link is not used up.
    await page.getByLabel('Password', { exact: true }).fill('too short');
    await page.getByLabel('Confirm password').fill('too short');
    await page.getByRole('button', { name: 'Join and sign in' }).click();
    await expect(page.getByText('Password must be at least 12 characters.')).toBeVisible();
  }
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByLabel('Confirm password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Join and sign in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/invite') && !url.pathname.startsWith('/sign-in'));
  await expect(page.getByTestId('user-role').first()).toHaveText(role);
  return { context, page };
}

const sessionCookie = async (context: BrowserContext) => (await context.cookies()).find((c) => c.name === SESSION_COOKIE)!;
/** The same session cookie, to set in another browser context. */
const asCookie = (cookie: { value: string }) => ({ name: SESSION_COOKIE, value: cookie.value, url: E2E_ENV.baseURL, httpOnly: true, sameSite: 'Lax' as const });

test('roles: invite, accept, what each role may do (checked on the server), change a role, remove a user', async ({ page, context, browser, api }) => {
  // One walk through many pages; a loaded CI machine needs the room.
  test.setTimeout(180_000);
  const id = uid();
  const memberEmail = `member-${id}@example.test`;
  const viewerEmail = `viewer-${id}@example.test`;
  // Something to look at: an identity with a budget.
  const ext = `roles_${id}`;
  expect((await api.post('/v2/identities', { external_id: ext, display_name: 'Roles target' })).status).toBe(201);
  const budget = await api.post('/v2/budgets', { scope: { identity: { identity_external_id: ext } }, limits: { period: 'BUDGET_PERIOD_MONTHLY', amount: 25 } });
  expect(budget.status).toBe(200);
  const identityId = ((await api.get(`/v2/identities/${ext}`)).body.identity as { _id: string })._id;

  // The env admin invites a member and a viewer; each link is shown once.
  await page.goto('/users');
  await expect(page.locator(`[data-user-row="${E2E_ENV.adminEmail}"]`)).toContainText('Bootstrap admin');
  await expect(page.locator(`[data-user-row="${E2E_ENV.adminEmail}"]`)).toContainText('You');
  const memberLink = await invite(page, memberEmail, 'Member');
  const viewerLink = await invite(page, viewerEmail, 'Viewer');
  await page.reload();
  await expect(page.getByText(memberLink)).toHaveCount(0);
  await expect(page.locator('input[value*="/invite/"]')).toHaveCount(0);
  // An email that already has an account is refused, naming the field.
  await page.getByRole('button', { name: 'Invite user' }).click();
  const form = page.getByRole('dialog', { name: 'Invite a user' });
  await form.getByLabel('Email').fill(E2E_ENV.adminEmail);
  await form.getByRole('button', { name: 'Create invite link' }).click();
  await expect(form.getByText(`${E2E_ENV.adminEmail} already has an account.`)).toBeVisible();
  await form.getByRole('button', { name: 'Cancel' }).click();

  // Each accepts in a fresh browser and lands in the Studio; a link works once.
  const member = await accept(browser, memberLink, memberEmail, 'Member', 'invite-accept');
  const viewer = await accept(browser, viewerLink, viewerEmail, 'Viewer');
  await member.page.goto(memberLink);
  await expect(member.page.getByTestId('invite-problem')).toContainText('already been used');

  await page.reload();
  await expect(page.locator(`[data-user-row="${memberEmail}"]`)).toContainText('Member Person');
  await expect(page.locator(`[data-user-row="${memberEmail}"]`).getByLabel(`Role of ${memberEmail}`)).toHaveValue('member');
  await expect(page.locator(`[data-user-row="${viewerEmail}"]`).getByLabel(`Role of ${viewerEmail}`)).toHaveValue('viewer');
  // The environment's admin keeps the admin role: no select, no remove button.
  await expect(page.locator(`[data-user-row="${E2E_ENV.adminEmail}"]`).getByRole('combobox')).toHaveCount(0);
  await expect(page.locator(`[data-user-row="${E2E_ENV.adminEmail}"]`).getByRole('button')).toHaveCount(0);
  await expect(page.locator('[data-invite-row]')).toHaveCount(0);
  const pendingEmail = `pending-${id}@example.test`;
  await invite(page, pendingEmail, 'Admin');
  await shot(page, 'users');
  await page.locator(`[data-invite-row="${pendingEmail}"]`).getByRole('button', { name: `Revoke the invite for ${pendingEmail}` }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Revoke invite' }).click();
  await expect(page.getByText(`Revoked the invite for ${pendingEmail}`)).toBeVisible();
  await expect(page.locator(`[data-invite-row="${pendingEmail}"]`)).toHaveCount(0);

  // A viewer reads everything and sees no create, edit, delete or reset control; /users is a 403 page and not in the nav.
  const v = viewer.page;
  await v.goto('/identities');
  await expect(v.locator(`[data-identity-row="${ext}"]`)).toBeVisible();
  await expect(v.getByRole('button', { name: 'Create identity' })).toHaveCount(0);
  await shot(v, 'identities-viewer');
  await v.goto(`/identities/${identityId}`);
  await expect(v.getByTestId('budget-card')).toBeVisible();
  await expect(v.locator('main').getByRole('button', { name: /^(Edit|Delete|Reset|Set a budget)/ })).toHaveCount(0);
  await v.goto('/budgets');
  await expect(v.locator(`[data-scope="identity:${ext}"]`)).toBeVisible();
  await expect(v.getByRole('button', { name: /Create budget/ })).toHaveCount(0);
  await expect(v.locator('[data-budget-row]').getByRole('button')).toHaveCount(0);
  await v.goto('/api-keys');
  await expect(v.getByRole('heading', { name: 'API keys' })).toBeVisible();
  await expect(v.getByRole('button', { name: /Create API key|Revoke|Owner|Set the owner/ })).toHaveCount(0);
  await expect(v.getByRole('navigation', { name: 'Studio' }).first().getByRole('link', { name: 'Users' })).toHaveCount(0);
  await v.goto('/users');
  await expect(v.getByTestId('forbidden')).toContainText('403');
  await expect(v.getByTestId('forbidden')).toContainText('for an admin');
  await expect(v.locator('[data-user-row]')).toHaveCount(0);

  // A member creates identities but has no provider or price controls.
  const m = member.page;
  const memberExt = `member_${id}`;
  await m.goto('/identities');
  await m.getByRole('button', { name: 'Create identity' }).first().click();
  const memberPanel = m.getByRole('dialog', { name: 'Create an identity' });
  await memberPanel.getByLabel('External ID').fill(memberExt);
  await memberPanel.getByRole('button', { name: 'Create identity' }).click();
  await expect(m.getByText(`Created identity “${memberExt}”`)).toBeVisible();
  expect((await api.get(`/v2/identities/${memberExt}`)).status).toBe(200);
  await m.goto('/providers');
  await expect(m.locator('[data-provider-row="e2ehold"]')).toBeVisible();
  await expect(m.getByRole('button', { name: /Add provider|Test connection|Edit|Delete/ })).toHaveCount(0);
  await m.goto('/prices');
  await expect(m.getByTestId('unpriced-card')).toBeVisible();
  await expect(m.getByRole('button', { name: /Add price|Re-price/ })).toHaveCount(0);
  await expect(m.getByRole('switch')).toBeDisabled();
  await expect(m.getByRole('navigation', { name: 'Studio' }).first().getByRole('link', { name: 'Users' })).toHaveCount(0);

  // On the server, not just hidden buttons: the admin's open form submitted with the viewer's session is refused.
  const adminCookie = await sessionCookie(context);
  const forgedExt = `forged_${id}`;
  await page.goto('/identities');
  await page.getByRole('button', { name: 'Create identity' }).first().click();
  const panel = page.getByRole('dialog', { name: 'Create an identity' });
  await panel.getByLabel('External ID').fill(forgedExt);
  await context.addCookies([asCookie(await sessionCookie(viewer.context))]);
  await panel.getByRole('button', { name: 'Create identity' }).click();
  await expect(panel.getByRole('alert')).toContainText('Your role (viewer) cannot do this');
  await expect(panel.getByLabel('External ID')).toHaveValue(forgedExt);
  expect((await api.get(`/v2/identities/${forgedExt}`)).status).toBe(404);
  await context.addCookies([asCookie(adminCookie)]);

  // The admin makes the viewer a member: their next page shows the create button.
  await page.goto('/users');
  await page.getByLabel(`Role of ${viewerEmail}`).selectOption('member');
  await expect(page.getByText(`${viewerEmail} is now member`)).toBeVisible();
  await v.goto('/identities');
  await expect(v.getByTestId('user-role').first()).toHaveText('Member');
  await expect(v.getByRole('button', { name: 'Create identity' }).first()).toBeVisible();

  // The admin removes the member: their next page load goes to sign-in.
  await page.locator(`[data-user-row="${memberEmail}"]`).getByRole('button', { name: `Remove ${memberEmail}` }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Remove user' }).click();
  await expect(page.getByText(`Removed ${memberEmail}`)).toBeVisible();
  await expect(page.locator(`[data-user-row="${memberEmail}"]`)).toHaveCount(0);
  await m.goto('/identities');
  await expect(m).toHaveURL(/\/sign-in/);

  await member.context.close();
  await viewer.context.close();
});
