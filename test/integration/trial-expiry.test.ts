// Trial-credit expiry: the hourly schedule's workflow finds trials that ended, and each tenant
// workflow expires what is left of its trial credits, suspends it without a paid plan and destroys
// its instances when the grace period passes. Days pass on the time-skipping server; the schedule
// itself is created idempotently on the real dev server.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureSchedules, scheduleDefinitions, TRIAL_EXPIRY_SCHEDULE_ID } from '../../worker/schedules';
import { tenantStateQuery, changePlanUpdate } from '../../workflows/tenant';
import { trialExpiryWorkflow } from '../../workflows/trial-expiry';
import { startStack, type TestStack } from '../helpers/stack';
import { startTenant, startTimeSkippingStack, type TimeSkippingStack } from '../helpers/time-skipping';

let s: TimeSkippingStack;
let worker: { stop(): Promise<void> };
beforeAll(async () => {
  s = await startTimeSkippingStack('trial');
  worker = await s.startWorker();
});
afterAll(async () => {
  await worker?.stop();
  await s?.close();
});

const runExpiry = () => s.env.client.workflow.execute(trialExpiryWorkflow, { taskQueue: s.taskQueue, workflowId: `trial-expiry-${randomUUID()}` });

describe('trial expiry', () => {
  it('expires unused trial credits, suspends trials without a paid plan, and destroys their instances after the grace period', async () => {
    const trial = await startTenant(s, { slug: 'triallist', plan: 'trial', billing: { windowMinutes: 60, graceDays: 7 } });
    const paid = await startTenant(s, { slug: 'payer', plan: 'standard', billing: { windowMinutes: 60, graceDays: 7 } });
    await s.env.sleep('1 minute');
    // Nothing has ended yet.
    expect((await runExpiry()).signalled).toBe(0);
    const instanceId = randomUUID();
    await s.db.instance.create({ data: { id: instanceId, tenantId: trial.tenantId, name: 'keeper', provider: 'docker', template: 'demo-app', size: 'small', region: 'local', phase: 'stopped', workflowId: `instance-${instanceId}` } });

    await s.env.sleep('15 days');
    const run = await runExpiry();
    expect(run.signalled).toBe(2);
    await s.env.sleep('1 minute');

    const trialState = await trial.handle.query(tenantStateQuery);
    expect(trialState).toMatchObject({ status: 'suspended', suspendedFor: 'trial', trialEnded: true, balanceMicro: '0' });
    const expiry = await s.db.creditLedgerEntry.findUniqueOrThrow({ where: { idempotencyKey: `trial-expiry:${trial.tenantId}` } });
    expect(expiry.amountMicro).toBe(-25_000_000n);
    const paidState = await paid.handle.query(tenantStateQuery);
    expect(paidState).toMatchObject({ status: 'active', trialEnded: true, balanceMicro: '0' });

    // Processed trials are not picked up again.
    expect((await runExpiry()).signalled).toBe(0);

    await s.env.sleep('8 days');
    const notices = await s.db.tenantNotice.findMany({ where: { tenantId: trial.tenantId }, orderBy: { id: 'asc' } });
    expect(notices.map((n) => n.kind)).toEqual(['trial-ended', 'suspended', 'grace-ended']);
    expect(notices[2].message).toBe('The grace period ended: 1 instance(s) were destroyed.');
    expect((await s.db.tenant.findUniqueOrThrow({ where: { id: trial.tenantId } })).graceUntil).toBeNull();
    expect((await s.db.tenantNotice.findMany({ where: { tenantId: paid.tenantId } })).map((n) => n.kind)).toEqual(['trial-ended']);

    // Choosing a paid plan ends a trial suspension once there are credits again (none here: stays suspended).
    const changed = await trial.handle.executeUpdate(changePlanUpdate, { args: [{ planCode: 'standard' }] });
    expect(changed).toMatchObject({ planCode: 'standard', status: 'suspended' });
    await Promise.all([trial.handle.terminate('test done'), paid.handle.terminate('test done')]);
  }, 300_000);
});

describe('the trial-expiry schedule', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack('schedules');
  });
  afterAll(async () => {
    for (const def of scheduleDefinitions(stack.config)) await stack.temporal.schedule.getHandle(def.scheduleId).delete().catch(() => undefined);
    await stack?.close();
  });

  it('is created once and updated in place at every worker start', async () => {
    await ensureSchedules(stack.temporal, stack.config);
    await ensureSchedules(stack.temporal, stack.config);
    const ids: string[] = [];
    for await (const sch of stack.temporal.schedule.list()) ids.push(sch.scheduleId);
    expect(ids.filter((id) => id === TRIAL_EXPIRY_SCHEDULE_ID)).toHaveLength(1);
    const desc = await stack.temporal.schedule.getHandle(TRIAL_EXPIRY_SCHEDULE_ID).describe();
    expect(desc.spec.intervals?.[0].every).toBe(3_600_000);
    expect(desc.action.type).toBe('startWorkflow');
    expect(desc.action.type === 'startWorkflow' && desc.action.workflowType).toBe('trialExpiryWorkflow');
  });
});
