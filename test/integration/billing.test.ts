// Billing on Temporal's time-skipping server with the real tenant workflow and real platform
// activities: 30 days pass in seconds. The ledger must equal the usage computed independently here,
// window by window, to the micro-credit, with one debit per window however often a window is charged,
// and each workflow run's history must stay bounded (continue-as-new).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities';
import { grantCreditsUpdate, tenantStateQuery } from '../../workflows/tenant';
import { startTenant, startTimeSkippingStack, type TimeSkippingStack } from '../helpers/time-skipping';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

let s: TimeSkippingStack;
let worker: { stop(): Promise<void> };
beforeAll(async () => {
  s = await startTimeSkippingStack('billing');
  worker = await s.startWorker();
});
afterAll(async () => {
  await worker?.stop();
  await s?.close();
});

interface Segment {
  instanceId: string;
  size: string;
  provider: 'docker' | 'azure';
  kind: 'running' | 'allocated';
  start: number;
  end: number | null;
}

async function addInstance(tenantId: string, provider: 'docker' | 'azure', size: string) {
  const id = randomUUID();
  await s.db.instance.create({
    data: { id, tenantId, name: `i-${id.slice(0, 8)}`, provider, template: provider === 'docker' ? 'demo-app' : 'openclaw', size, region: 'local', phase: 'running', workflowId: `instance-${id}` },
  });
  return id;
}

async function addSegments(tenantId: string, segments: Segment[]) {
  await s.db.usageSegment.createMany({
    data: segments.map((g) => ({ tenantId, instanceId: g.instanceId, provider: g.provider, size: g.size, kind: g.kind, startedAt: new Date(g.start), endedAt: g.end === null ? null : new Date(g.end) })),
  });
}

/** The same rule as the billing activity, written independently: per window and instance, floor(Σ overlap_ms × rate / 60 000). */
async function expectedDebits(planCode: string, segments: Segment[], firstWindow: number, billedUntil: number): Promise<Map<string, bigint>> {
  const prices = await s.db.price.findMany({ where: { planCode } });
  const rate = (g: Segment) => {
    const p = prices.find((x) => x.provider === g.provider && x.size === g.size)!;
    return g.kind === 'running' ? p.perMinuteMicro : p.allocatedPerMinuteMicro;
  };
  const out = new Map<string, bigint>();
  for (let w = firstWindow; w < billedUntil; w += HOUR) {
    const perInstance = new Map<string, bigint>();
    for (const g of segments) {
      const from = Math.max(g.start, w);
      const to = Math.min(g.end ?? w + HOUR, w + HOUR);
      if (to > from) perInstance.set(g.instanceId, (perInstance.get(g.instanceId) ?? 0n) + BigInt(to - from) * rate(g));
    }
    let total = 0n;
    for (const v of perInstance.values()) total += v / 60_000n;
    if (total > 0n) out.set(new Date(w).toISOString(), -total);
  }
  return out;
}

/** Lets simulated days pass, one at a time (the server skips the idle time between ticks). */
async function days(n: number) {
  for (let i = 0; i < n; i++) await s.env.sleep('1 day');
}

async function runChain(workflowId: string, firstRunId: string): Promise<number[]> {
  const lengths: number[] = [];
  let runId: string | undefined = firstRunId;
  while (runId) {
    const history: { events?: { workflowExecutionContinuedAsNewEventAttributes?: { newExecutionRunId?: string | null } | null }[] | null } = await s.env.client.workflow
      .getHandle(workflowId, runId)
      .fetchHistory();
    const events = history.events ?? [];
    lengths.push(events.length);
    runId = events.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  return lengths;
}

describe('billing ticks over 30 simulated days', () => {
  it('debit exactly the metered usage per window, once, with bounded run histories', async () => {
    const t = await startTenant(s, { slug: 'biller', plan: 'pro', billing: { windowMinutes: 60, settleSeconds: 60 } });
    const firstRunId = t.handle.firstExecutionRunId;
    // Let signup finish (activities run in real time; the workflow clock barely moves).
    await s.env.sleep('1 minute');
    const activated = await t.handle.query(tenantStateQuery);
    expect(activated.status).toBe('active');
    const firstWindow = new Date(activated.billedUntil!).getTime();
    const T = await s.env.currentTimeMs();

    const a = await addInstance(t.tenantId, 'docker', 'small');
    const b = await addInstance(t.tenantId, 'docker', 'medium');
    const c = await addInstance(t.tenantId, 'azure', 'Standard_B2s');
    const segments: Segment[] = [
      { instanceId: a, provider: 'docker', size: 'small', kind: 'running', start: T + 17 * MIN, end: T + 10 * DAY + 3 * HOUR + 13 * MIN },
      { instanceId: a, provider: 'docker', size: 'small', kind: 'allocated', start: T + 10 * DAY + 3 * HOUR + 13 * MIN, end: T + 15 * DAY + 7 * MIN },
      { instanceId: a, provider: 'docker', size: 'small', kind: 'running', start: T + 15 * DAY + 7 * MIN, end: null },
      { instanceId: b, provider: 'docker', size: 'medium', kind: 'running', start: T + DAY + 12 * HOUR + 29 * MIN, end: T + 20 * DAY + 4 * HOUR + 1 * MIN },
      { instanceId: c, provider: 'azure', size: 'Standard_B2s', kind: 'allocated', start: T + 2 * HOUR, end: T + 3 * HOUR },
      { instanceId: c, provider: 'azure', size: 'Standard_B2s', kind: 'running', start: T + 3 * HOUR, end: T + 3 * DAY + 59 * MIN + 30_000 },
    ];
    await addSegments(t.tenantId, segments);

    await days(30);

    const state = await t.handle.query(tenantStateQuery);
    const billedUntil = new Date(state.billedUntil!).getTime();
    expect(billedUntil - T).toBeGreaterThan(30 * DAY - 2 * HOUR);

    const ledger = await s.db.creditLedgerEntry.findMany({ where: { tenantId: t.tenantId, reason: 'usage' }, orderBy: { windowStart: 'asc' } });
    const actual = new Map(ledger.map((e) => [e.windowStart!.toISOString(), e.amountMicro]));
    expect(ledger.length).toBe(actual.size); // one debit per window
    const expected = await expectedDebits('pro', segments, firstWindow, billedUntil);
    expect(actual).toEqual(expected);
    const total = [...expected.values()].reduce((x, y) => x + y, 0n);
    expect(BigInt(state.balanceMicro!)).toBe(50_000_000n + total);

    // Charging a window again (a retried activity, a replayed tick) changes nothing.
    const activities = createActivities(s.deps);
    const again = await activities.billTenantWindow(t.tenantId, ledger[5].windowStart!.toISOString(), ledger[5].windowEnd!.toISOString());
    expect(again.debitedMicro).toBe((-ledger[5].amountMicro).toString());
    expect(await s.db.creditLedgerEntry.count({ where: { tenantId: t.tenantId, reason: 'usage' } })).toBe(ledger.length);

    // Each run's history stays bounded: the workflow continued as new along the way.
    const lengths = await runChain(t.handle.workflowId, firstRunId);
    expect(lengths.length).toBeGreaterThanOrEqual(3);
    expect(Math.max(...lengths)).toBeLessThanOrEqual(2_100);
    await t.handle.terminate('test done');
  }, 600_000);
});

describe('budget thresholds, suspension at zero and a top-up', () => {
  it('raises 75/90/100 % once each, suspends at zero with a grace period, and a grant resumes it', async () => {
    // Trial: 25 credits. One Standard_B4ms at the trial rate (4 220 µcredits/min) uses them in ~99 hours.
    const t = await startTenant(s, { slug: 'spender', plan: 'trial', billing: { windowMinutes: 60, settleSeconds: 60, graceDays: 14 } });
    await s.env.sleep('1 minute');
    const T = await s.env.currentTimeMs();
    const vm = await addInstance(t.tenantId, 'azure', 'Standard_B4ms');
    await addSegments(t.tenantId, [{ instanceId: vm, provider: 'azure', size: 'Standard_B4ms', kind: 'running', start: T, end: null }]);

    await days(5);
    const state = await t.handle.query(tenantStateQuery);
    expect(state.status).toBe('suspended');
    expect(state.suspendedFor).toBe('credits');
    const tenant = await s.db.tenant.findUniqueOrThrow({ where: { id: t.tenantId } });
    expect(tenant.status).toBe('suspended');
    expect(tenant.graceUntil).not.toBeNull();
    const notices = await s.db.tenantNotice.findMany({ where: { tenantId: t.tenantId }, orderBy: { id: 'asc' } });
    expect(notices.filter((n) => n.kind === 'budget').map((n) => (n.data as { threshold: number }).threshold)).toEqual([75, 90, 100]);
    expect(notices.some((n) => n.kind === 'suspended')).toBe(true);
    expect((await s.db.instance.findUniqueOrThrow({ where: { id: vm } })).stoppedByBilling).toBe(true);

    const after = await t.handle.executeUpdate(grantCreditsUpdate, {
      args: [{ amountMicro: '100000000', idempotencyKey: 'topup-1', description: 'Top-up', reason: 'top_up' }],
    });
    expect(after.status).toBe('active');
    expect(BigInt(after.balanceMicro!)).toBeGreaterThan(0n);
    // The same grant again (a double click, a retried call) adds nothing.
    const twice = await t.handle.executeUpdate(grantCreditsUpdate, {
      args: [{ amountMicro: '100000000', idempotencyKey: 'topup-1', description: 'Top-up', reason: 'top_up' }],
    });
    expect(twice.balanceMicro).toBe(after.balanceMicro);
    expect(await s.db.creditLedgerEntry.count({ where: { tenantId: t.tenantId, reason: 'top_up' } })).toBe(1);
    expect((await s.db.tenant.findUniqueOrThrow({ where: { id: t.tenantId } })).status).toBe('active');
    expect((await s.db.instance.findUniqueOrThrow({ where: { id: vm } })).stoppedByBilling).toBe(false);
    await t.handle.terminate('test done');
  }, 300_000);
});
