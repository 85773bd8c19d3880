// The console in a real browser: sign up through the form, watch the workspace being prepared until
// the organization is active, open it.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot } from '../helpers/browser';
import { uniqueSlug } from '../helpers/http';
import { startStack, type TestStack } from '../helpers/stack';

let stack: TestStack;
let browser: Browser;
beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack('e2e_signup'), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

describe('console signup', () => {
  it('signs up through the wizard, shows progress until active, and lands in the workspace', async () => {
    const page = await browser.newPage();
    const slug = uniqueSlug('web');
    await page.goto(`${stack.baseUrl}/signup`);
    await page.getByLabel('Organization name').fill('Web Org');
    await page.getByLabel('Subdomain').fill(slug);
    await expect.poll(() => page.getByTestId('subdomain-availability').textContent()).toContain('is available');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('radio', { name: 'Standard' }).check();
    await screenshot(page, 'signup-plan');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel('Your name').fill('Wendy');
    await page.getByRole('textbox', { name: /^Email/ }).fill(`${slug}@example.com`);
    await page.locator('input[type=password]').fill('short');
    await page.getByRole('button', { name: 'Create organization' }).click();
    // The rule's error under the field (its description says the same, so look in the error slot).
    await page.locator('.mantine-InputWrapper-error', { hasText: 'At least 10 characters' }).waitFor();
    await screenshot(page, 'signup-field-error');

    await page.locator('input[type=password]').fill('a-long-enough-password');
    await page.getByRole('button', { name: 'Create organization' }).click();
    await page.getByRole('heading', { name: 'Preparing your workspace' }).waitFor();
    // Once active the wizard signs in and opens the organization's dashboard by itself.
    await page.waitForURL(/\/t\/[0-9a-f-]{36}$/, { timeout: 30_000 });
    await page.getByRole('heading', { name: 'Web Org' }).waitFor({ timeout: 15_000 });
    await screenshot(page, 'workspace');
  });
});
