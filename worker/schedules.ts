// The platform's singleton schedules, created or updated at worker start so a fresh cluster never
// misses one and a changed definition takes effect on the next deploy (idempotent).
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import type { Config } from '../lib/config';

export const TRIAL_EXPIRY_SCHEDULE_ID = 'trial-expiry';
export const HEALTH_SWEEP_SCHEDULE_ID = 'health-sweep';

export function scheduleDefinitions(config: Config): ScheduleOptions[] {
  return [
    {
      scheduleId: TRIAL_EXPIRY_SCHEDULE_ID,
      spec: { intervals: [{ every: '1 hour' }] },
      action: { type: 'startWorkflow', workflowType: 'trialExpiryWorkflow', workflowId: 'trial-expiry', taskQueue: config.temporal.taskQueue, args: [] },
      // One run at a time; after an outage, one catch-up run covers everything missed.
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
      memo: { purpose: 'expires unused trial credits and suspends ended trials without a paid plan' },
    },
    {
      scheduleId: HEALTH_SWEEP_SCHEDULE_ID,
      spec: { intervals: [{ every: '1 minute' }] },
      action: { type: 'startWorkflow', workflowType: 'healthSweepWorkflow', workflowId: 'health-sweep', taskQueue: config.temporal.taskQueue, args: [config.providers.offered] },
      // A missed minute is not worth catching up: the next sweep looks again.
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute' },
      memo: { purpose: 'records apps turning unhealthy or recovering' },
    },
  ];
}

export async function ensureSchedules(client: Client, config: Config): Promise<void> {
  for (const def of scheduleDefinitions(config)) {
    try {
      await client.schedule.create(def);
    } catch (err) {
      if (!(err instanceof ScheduleAlreadyRunning)) throw err;
      await client.schedule.getHandle(def.scheduleId).update((prev) => ({ ...prev, spec: def.spec, action: def.action, policies: def.policies }));
    }
  }
}
