// The customer's whole journey in a real browser on the real stack, for every provider the platform
// offers: sign up → active → create an instance → watch it reach running → open it → stop → start →
// destroy. Docker apps run on the real engine behind the real proxy; Orka and Azure are the project's
// simulators behind the real clients, serving their SSH banner / guest app on loopback.
import { connect } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot } from '../helpers/browser';
import { confirmDialog, signUpInBrowser } from '../helpers/console';
import { startStack, type TestStack } from '../helpers/stack';

let stack: TestStack;
let browser: Browser;
beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack('e2e_journeys'), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

const PHASE_TIMEOUT = 120_000;

/** Waits until the detail page's phase badge shows `phase`. */
async function waitForPhase(page: Page, phase: string) {
  await page.locator(`[data-testid="phase-badge"][data-phase="${phase}"]`).first().waitFor({ timeout: PHASE_TIMEOUT });
}

/** Reads the first line a TCP server sends (the SSH banner of a Mac). */
function firstLine(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    socket.setTimeout(5000, () => socket.destroy(new Error('no banner within 5 s')));
    socket.once('data', (d) => {
      resolve(d.toString().split('\r\n')[0]);
      socket.destroy();
    });
    socket.once('error', reject);
  });
}

interface Journey {
  provider: string;
  label: string;
  organization: string;
  /** Opens what the instance serves, from its connection details, and checks it answers. */
  open(page: Page, name: string): Promise<void>;
}

const journeys: Journey[] = [
  {
    provider: 'docker',
    label: 'Docker app',
    organization: 'Docker Journey',
    async open(page, name) {
      const href = await page.getByRole('link', { name: 'Open app' }).getAttribute('href');
      expect(href).toMatch(new RegExp(`^http://${name}\\.[a-z0-9-]+\\.localhost:\\d+/$`));
      const app = await page.context().newPage();
      const res = await app.goto(href!);
      expect(res?.status()).toBe(200);
      await app.getByRole('heading', { name, level: 1 }).waitFor();
      await screenshot(app, 'journey-docker-app');
      await app.close();
    },
  },
  {
    provider: 'orka',
    label: 'macOS VM (Orka)',
    organization: 'Mac Journey',
    async open(page) {
      const ssh = (await page.getByTestId('endpoint-ssh').textContent()) ?? '';
      const m = /ssh \S+@([\d.]+) -p (\d+)/.exec(ssh);
      expect(m, `SSH command shown: ${ssh}`).not.toBeNull();
      expect(await firstLine(m![1], Number(m![2]))).toMatch(/^SSH-2\.0-/);
      await expect.poll(() => page.getByTestId('endpoint-vnc').textContent()).toMatch(/^vnc:\/\//);
    },
  },
  {
    provider: 'azure',
    label: 'Linux VM (Azure)',
    organization: 'Azure Journey',
    async open(page) {
      await expect.poll(() => page.getByTestId('endpoint-fqdn').textContent()).toMatch(/\./);
      const href = await page.getByRole('link', { name: 'Open app' }).getAttribute('href');
      const res = await (await page.context().newPage()).goto(href!);
      expect(res?.status()).toBe(200);
      expect(await res!.json()).toMatchObject({ status: 'ok' });
    },
  },
];

describe.each(journeys)('the $provider journey in the console', (j) => {
  it('signs up, creates the instance, watches it run, opens it, stops, starts and destroys it', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const name = `${j.provider}-one`;
    try {
      await signUpInBrowser(page, stack.baseUrl, { organization: j.organization, prefix: j.provider });
      if (j.provider === 'docker') await screenshot(page, 'dashboard-new-organization');

      await page.getByRole('link', { name: 'Create instance' }).first().click();
      await page.getByRole('radio', { name: new RegExp(j.label.replace(/[()]/g, '\\$&')) }).check();
      await page.getByRole('textbox', { name: /^Name/ }).fill(name);
      await page.getByTestId('cost-estimate').getByText(/credits/).first().waitFor();
      await screenshot(page, `create-instance-${j.provider}`);
      await page.getByRole('button', { name: 'Create instance' }).click();

      await page.waitForURL(/\/instances\/[0-9a-f-]{36}$/);
      await page.getByRole('heading', { name, level: 1 }).waitFor();
      await page.getByRole('progressbar').first().waitFor();
      await screenshot(page, `instance-${j.provider}-provisioning`);
      await waitForPhase(page, 'running');
      // The live log followed the provisioning (SSE).
      await expect.poll(() => page.getByTestId('instance-log').locator('li').count()).toBeGreaterThan(2);
      await screenshot(page, `instance-${j.provider}-running`);
      await j.open(page, name);

      await page.getByRole('button', { name: 'Stop', exact: true }).click();
      await confirmDialog(page, /^Stop/);
      await waitForPhase(page, 'stopped');
      await page.getByRole('button', { name: 'Start', exact: true }).click();
      await confirmDialog(page, /^Start/);
      await waitForPhase(page, 'running');
      await j.open(page, name);

      await page.getByRole('button', { name: 'Destroy', exact: true }).click();
      await confirmDialog(page, /^Destroy/);
      await waitForPhase(page, 'destroyed');
      await expect(page.getByRole('button', { name: 'Start', exact: true }).count()).resolves.toBe(0);
      await screenshot(page, `instance-${j.provider}-destroyed`);
    } catch (err) {
      await screenshot(page, `failed-journey-${j.provider}`).catch(() => undefined);
      throw err;
    } finally {
      await context.close();
    }
  }, 360_000);
});
