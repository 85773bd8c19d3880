// Driving the console in a real browser the way a person does: through its forms, by label and role.
import type { Page } from 'playwright-core';
import { uniqueSlug } from './http';

export interface BrowserSignup {
  slug: string;
  email: string;
  password: string;
  tenantId: string;
}

/** Signs up through the wizard (organization → plan → account), waits for the workspace and returns it. */
export async function signUpInBrowser(page: Page, baseUrl: string, opts: { organization: string; plan?: string; prefix?: string }): Promise<BrowserSignup> {
  const slug = uniqueSlug(opts.prefix ?? 'web');
  const email = `${slug}@example.com`;
  const password = 'a-long-enough-password';
  await page.goto(`${baseUrl}/signup`);
  await page.getByLabel('Organization name').fill(opts.organization);
  await page.getByLabel('Subdomain').fill(slug);
  await page.getByTestId('subdomain-availability').getByText('is available').waitFor();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('radio', { name: opts.plan ?? 'Standard' }).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('Your name').fill('Wendy');
  await page.getByRole('textbox', { name: /^Email/ }).fill(email);
  await page.locator('input[type=password]').fill(password);
  await page.getByRole('button', { name: 'Create organization' }).click();
  await page.waitForURL(/\/t\/[0-9a-f-]{36}$/, { timeout: 60_000 });
  await page.getByRole('heading', { name: opts.organization, level: 1 }).waitFor({ timeout: 15_000 });
  const tenantId = new URL(page.url()).pathname.split('/')[2];
  return { slug, email, password, tenantId };
}

/** Signs in through the sign-in page and waits until the console left it. */
export async function signInInBrowser(page: Page, baseUrl: string, who: { email: string; password: string }, next = '/') {
  await page.goto(`${baseUrl}/signin?next=${encodeURIComponent(next)}`);
  await page.getByRole('textbox', { name: /^Email/ }).fill(who.email);
  await page.locator('input[type=password]').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/signin'), { timeout: 15_000 });
}

/** Confirms the open confirmation dialog with its (non-cancel) button, after checking it names `what`. */
export async function confirmDialog(page: Page, confirmLabel: string | RegExp) {
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  await dialog.getByRole('button', { name: confirmLabel }).click();
  await dialog.waitFor({ state: 'detached' });
}
