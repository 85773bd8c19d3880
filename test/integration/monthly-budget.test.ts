// The organization's own monthly budget: organization-wide admins set, change and remove it through
// the API (validated, audited, inside the row-level-security wall); the billing activity raises a
// notice at 50, 80 and 100 % of this month's charged usage, each once per month, threshold and budget;
// the billing summary shows the same figures. Real platform Postgres; ledger rows written directly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBillingActivities } from '../../activities/platform/billing';
import { monthOf } from '../../lib/budget';
import { addMember, createSite } from '../helpers/api';
import { call, signUpActive, type SignedUp } from '../helpers/http';
import { startStack, type TestStack } from '../helpers/stack';

let stack: TestStack;
let org: SignedUp;
beforeAll(async () => {
  stack = await startStack('monthly_budget');
  org = await signUpActive(stack, { plan: 'standard' });
});
afterAll(() => stack?.close());

const month = monthOf(new Date());
const minutesIntoMonth = (m: number) => new Date(month.start.getTime() + m * 60_000);
let charges = 0;
/** A charged usage window of `credits`, starting `startedAt`. */
async function charged(credits: number, startedAt: Date) {
  charges++;
  await stack.db.creditLedgerEntry.create({
    data: { tenantId: org.tenantId, amountMicro: BigInt(-credits * 1e6), reason: 'usage', idempotencyKey: `budget-test:${org.tenantId}:${charges}`, windowStart: startedAt, windowEnd: new Date(startedAt.getTime() + 900_000), description: 'usage' },
  });
}
const setBudget = (token: string, monthlyCredits: unknown) => call(stack, 'PUT', `/api/tenants/${org.tenantId}/billing/budget`, { token, body: { monthlyCredits } });
const summary = async () => (await call(stack, 'GET', `/api/tenants/${org.tenantId}/billing`, { token: org.token })).body.monthlyBudget;

describe('the monthly budget', () => {
  it('is set by organization-wide admins only, with the amount validated and every change audited', async () => {
    const [member, siteAdmin] = await Promise.all([addMember(stack, org, 'member'), createSite(stack, org).then((site) => addMember(stack, org, 'admin', site))]);
    expect((await setBudget(member.token, 10)).status).toBe(403);
    const limited = await setBudget(siteAdmin.token, 10);
    expect(limited.status).toBe(403);
    expect(limited.body.detail).toMatch(/organization-wide role/);
    for (const bad of [0, -5, 2e9, 'ten']) {
      const r = await setBudget(org.token, bad);
      expect(r.status).toBe(400);
      expect(r.body.errors.map((e: { field: string }) => e.field)).toEqual(['monthlyCredits']);
    }
    expect(await summary()).toMatchObject({ limit: null, month: month.key, usedPercent: null, thresholds: [50, 80, 100], crossed: [] });

    const set = await setBudget(org.token, 10);
    expect(set.status).toBe(200);
    expect(set.body).toEqual({ monthlyBudget: { micro: 10_000_000, credits: 10, formatted: '10.00 credits' } });
    expect(await summary()).toMatchObject({ limit: { micro: 10_000_000 }, used: { micro: 0 }, usedPercent: 0, crossed: [] });

    const audit = await stack.db.auditLog.findMany({ where: { tenantId: org.tenantId, action: 'billing.budget.set' }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => [a.actorId, a.result, a.details])).toEqual([[org.userId, 'success', { fromMicro: null, toMicro: '10000000' }]]);
  });

  it('raises a notice at each threshold once, re-armed when the budget changes; last month does not count', async () => {
    const billing = createBillingActivities({ db: stack.db } as never);
    const bill = async () => (await billing.billTenantWindow(org.tenantId, minutesIntoMonth(30).toISOString(), minutesIntoMonth(45).toISOString())).newMonthlyBudgetThresholds;
    await charged(50, new Date(month.start.getTime() - 3_600_000)); // last month's window
    expect(await bill()).toEqual([]);

    await charged(6, minutesIntoMonth(1));
    expect(await bill()).toEqual([50]);
    await charged(3, minutesIntoMonth(16));
    expect(await bill()).toEqual([80]);
    expect(await bill()).toEqual([]); // a retried window raises nothing twice
    expect(await summary()).toMatchObject({ used: { micro: 9_000_000 }, usedPercent: 90, crossed: [50, 80] });

    expect((await setBudget(org.token, 8)).status).toBe(200);
    expect(await bill()).toEqual([50, 80, 100]);
    const notices = await stack.db.tenantNotice.findMany({ where: { tenantId: org.tenantId, kind: 'monthly_budget' }, orderBy: { id: 'asc' } });
    expect(notices.map((n) => [n.level, n.message])).toEqual([
      ['warn', '50 % of your monthly budget of 10.00 credits is used.'],
      ['warn', '80 % of your monthly budget of 10.00 credits is used.'],
      ['warn', '50 % of your monthly budget of 8.00 credits is used.'],
      ['warn', '80 % of your monthly budget of 8.00 credits is used.'],
      ['error', 'This month’s usage reached your monthly budget of 8.00 credits. Instances keep running: stop some, or raise the budget.'],
    ]);
    // The summary's notices are what the console shows on the billing page and the dashboard.
    const res = await call(stack, 'GET', `/api/tenants/${org.tenantId}/billing`, { token: org.token });
    expect(res.body.notices[0]).toMatchObject({ kind: 'monthly_budget', level: 'error' });
    expect(res.body.monthlyBudget).toMatchObject({ usedPercent: 112.5, crossed: [50, 80, 100] });

    expect((await setBudget(org.token, null)).body).toEqual({ monthlyBudget: null });
    expect(await bill()).toEqual([]);
    expect(await summary()).toMatchObject({ limit: null, usedPercent: null, used: { micro: 9_000_000 } });
  });
});
