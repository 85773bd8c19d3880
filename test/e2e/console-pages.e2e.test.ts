// Every main page of the console in a real browser on the real stack, with real data behind it: each
// renders its heading and content without an error, fits a phone's width, and is kept as a screenshot
// (test-artifacts/page-*.png) so a reviewer sees the console without running it.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, createApiKey, createPartner, createUser, type TestUser } from '../helpers/api';
import { launchBrowser, screenshot } from '../helpers/browser';
import { signInInBrowser } from '../helpers/console';
import { call, signUpActive, type SignedUp } from '../helpers/http';
import { order, waitForPhase, waitForRecordedPhase } from '../helpers/instances';
import { startStack, type TestStack } from '../helpers/stack';

let stack: TestStack;
let browser: Browser;
let org: SignedUp;
let instanceId: string;
let operator: TestUser;
let partner: { partnerId: string; admin: TestUser };

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack('e2e_pages'), launchBrowser()]);
  org = await signUpActive(stack, { plan: 'standard' });
  // Something on every page: a running app, a teammate, an invitation, an API key.
  const o = await order(stack, org, { name: 'shop' });
  instanceId = o.instanceId;
  await waitForPhase(o.handle, 'running');
  await waitForRecordedPhase(stack, o.instanceId, 'running');
  await addMember(stack, org, 'member');
  await call(stack, 'POST', `/api/tenants/${org.tenantId}/invitations`, { token: org.token, body: { email: 'pending@example.com', role: 'viewer' } });
  await createApiKey(stack, org.token, org.tenantId, { name: 'ci-deploys' });
  // A partner that manages the organization, and an operator who sees everything.
  operator = await createUser(stack, { operator: true, name: 'Olga Operator' });
  partner = await createPartner(stack, operator, [org]);
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

async function signedIn(who: { email: string; password: string }, viewport: { width: number; height: number }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  await signInInBrowser(page, stack.baseUrl, who);
  return { context, page };
}

/** Opens `path`, waits for its h1 and for loading to finish, and fails on an error state. */
async function visit(page: Page, path: string, heading: string | RegExp) {
  await page.goto(`${stack.baseUrl}${path}`);
  await page.getByRole('heading', { level: 1, name: heading }).waitFor({ timeout: 20_000 });
  await expect.poll(() => page.getByRole('status').filter({ hasText: 'Loading' }).count(), { timeout: 20_000 }).toBe(0);
  const errors = await page.getByRole('alert').filter({ hasText: /went wrong|could not/i }).allTextContents();
  expect(errors, `error shown on ${path}`).toEqual([]);
}

/** The page does not scroll sideways: everything fits the viewport's width. */
async function fitsWidth(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(1);
}

const tenantPages = (t: string) => [
  { name: 'dashboard', path: `/t/${t}`, heading: /^Org / },
  { name: 'instances', path: `/t/${t}/instances`, heading: 'Instances' },
  { name: 'create-instance', path: `/t/${t}/instances/new`, heading: 'Create instance' },
  { name: 'instance-detail', path: `/t/${t}/instances/${instanceId}`, heading: 'shop' },
  { name: 'credentials', path: `/t/${t}/credentials`, heading: 'Cloud credentials' },
  { name: 'billing', path: `/t/${t}/billing`, heading: 'Billing & usage' },
  { name: 'team', path: `/t/${t}/team`, heading: 'Team' },
  { name: 'api-keys', path: `/t/${t}/api-keys`, heading: 'API keys' },
  { name: 'audit-log', path: `/t/${t}/audit`, heading: 'Audit log' },
];

describe('the console, page by page', () => {
  it('shows every page of an organization, on a desktop and at phone width', async () => {
    for (const viewport of [DESKTOP, PHONE]) {
      const { context, page } = await signedIn(org, viewport);
      try {
        for (const p of tenantPages(org.tenantId)) {
          await visit(page, p.path, p.heading);
          if (viewport === PHONE) await fitsWidth(page);
          await screenshot(page, `page-${p.name}${viewport === PHONE ? '-phone' : ''}`);
        }
      } finally {
        await context.close();
      }
    }
  }, 180_000);

  it('shows the partner view and every tab of the operator console, on a desktop and at phone width', async () => {
    const views = [
      { who: partner.admin, pages: [{ name: 'partner', path: `/partners/${partner.partnerId}`, heading: /An MSP/, shows: org.slug }] },
      {
        who: operator,
        pages: [
          { name: 'operator-operations', path: '/operator', heading: 'Operator console', shows: 'Stuck provisions' },
          { name: 'operator-tenants', path: '/operator/tenants', heading: 'Operator console', shows: org.slug },
          { name: 'operator-partners', path: '/operator/partners', heading: 'Operator console', shows: 'An MSP' },
          { name: 'operator-health', path: '/operator/health', heading: 'Operator console', shows: 'all healthy' },
        ],
      },
    ];
    for (const viewport of [DESKTOP, PHONE]) {
      for (const { who, pages } of views) {
        const { context, page } = await signedIn(who, viewport);
        try {
          for (const p of pages) {
            await visit(page, p.path, p.heading);
            await page.getByRole('main').getByText(p.shows).first().waitFor({ timeout: 15_000 });
            if (viewport === PHONE) await fitsWidth(page);
            await screenshot(page, `page-${p.name}${viewport === PHONE ? '-phone' : ''}`);
          }
        } finally {
          await context.close();
        }
      }
    }
  }, 180_000);

  it('signs in with the keyboard alone', async () => {
    const context = await browser.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    try {
      await page.goto(`${stack.baseUrl}/signin`);
      await page.getByRole('textbox', { name: /^Email/ }).focus();
      await page.keyboard.type(org.email);
      await page.keyboard.press('Tab');
      await page.keyboard.type(org.password);
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { level: 1, name: /^Org / }).waitFor({ timeout: 15_000 });
      await screenshot(page, 'page-signin-done');
    } finally {
      await context.close();
    }
  });
});
