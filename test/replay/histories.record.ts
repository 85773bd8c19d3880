// Records the committed workflow histories replayed by replay.test.ts: each scenario runs on the real
// stack (dev server, Postgres, Docker, simulators), then its histories are written as proto-JSON to
// test/replay/histories/<name>.json. Run `npm run replay:record` after an intended workflow change.
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { WorkflowHandle } from '@temporalio/client';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { commandWorkflowId, instanceCommandWorkflow } from '../../workflows/command';
import { credentialWorkflowId, validateCredentialWorkflow } from '../../workflows/credential';
import { healthSweepWorkflow, platformHealthWorkflow } from '../../workflows/health';
import { instanceMetricsWorkflow, tenantDatabaseMetricsWorkflow } from '../../workflows/metrics';
import { destroyInstanceSignal, restartInstanceUpdate, startInstanceUpdate, stopInstanceUpdate } from '../../workflows/instance';
import { closeTenantUpdate, grantCreditsUpdate, resumeTenantUpdate, suspendTenantUpdate, tenantStateQuery } from '../../workflows/tenant';
import { trialExpiryWorkflow } from '../../workflows/trial-expiry';
import { createGate } from '../helpers/gated-provider';
import { signUpActive, uniqueSlug } from '../helpers/http';
import { order, waitForPhase, waitForState } from '../helpers/instances';
import { startStack, type TestStack } from '../helpers/stack';
import { startTenant, startTimeSkippingStack } from '../helpers/time-skipping';

const dir = join(import.meta.dirname, 'histories');
const user = { type: 'user' as const, id: 'recorder' };
const gate = createGate();
let stack: TestStack;

async function save(name: string, handle: WorkflowHandle, runId?: string) {
  const h = runId ? handle.client.getHandle(handle.workflowId, runId) : handle;
  writeFileSync(join(dir, `${name}.json`), historyToJSON(await h.fetchHistory()));
}

beforeAll(async () => {
  stack = await startStack('record', { wrapProviders: (p) => ({ ...p, docker: gate.wrap(p.docker!) }) });
});
afterAll(async () => {
  await stack?.close();
});

describe('record histories', () => {
  it('tenant: signup, credits, suspend, resume, close', async () => {
    const t = await signUpActive(stack, { plan: 'standard' });
    const h = stack.temporal.workflow.getHandle(`tenant-${t.slug}`);
    await h.executeUpdate(grantCreditsUpdate, { args: [{ amountMicro: '5000000', idempotencyKey: 'rec-1', description: 'recorded grant' }] });
    await h.executeUpdate(suspendTenantUpdate, { args: [{ reason: 'recording' }] });
    await h.executeUpdate(resumeTenantUpdate, { args: [{}] });
    await h.executeUpdate(closeTenantUpdate, { args: [{}] });
    await h.result();
    await save('tenant-lifecycle', h);
  });

  it('tenant: signup failing and compensated', async () => {
    const existing = await signUpActive(stack);
    const slug = uniqueSlug('recfail');
    const userId = randomUUID();
    const h = await stack.temporal.workflow.start('tenantWorkflow', {
      taskQueue: stack.config.temporal.taskQueue,
      workflowId: `tenant-${slug}`,
      args: [{ tenantId: randomUUID(), slug, name: 'F', planCode: 'trial', owner: { userId, email: existing.email, name: 'F', sealedPasswordHash: stack.secrets.seal('x', `signup:${userId}`) } }],
    });
    await h.result().catch(() => undefined);
    await save('tenant-signup-failed', h);
  });

  it('instance: docker provision, stop, start, restart, command, metrics, destroy', async () => {
    const t = await signUpActive(stack, { plan: 'pro' });
    const o = await order(stack, t, { name: 'rec' });
    await waitForPhase(o.handle, 'running');
    await o.handle.executeUpdate(stopInstanceUpdate, { args: [user] });
    await o.handle.executeUpdate(startInstanceUpdate, { args: [user] });
    await o.handle.executeUpdate(restartInstanceUpdate, { args: [user] });
    const cmd = await stack.temporal.workflow.start(instanceCommandWorkflow, {
      taskQueue: stack.config.temporal.taskQueue,
      workflowId: commandWorkflowId(`rec-${o.instanceId}`),
      args: [{ commandId: `rec-${o.instanceId}`, target: o.target, command: 'sysinfo', requestedBy: user }],
    });
    await cmd.result();
    await save('command', cmd);
    const metrics = await stack.temporal.workflow.start(instanceMetricsWorkflow, { taskQueue: stack.config.temporal.taskQueue, workflowId: `metrics-rec-${o.instanceId}`, args: [o.target] });
    await metrics.result();
    await save('metrics', metrics);
    const dbMetrics = await stack.temporal.workflow.start(tenantDatabaseMetricsWorkflow, { taskQueue: stack.config.temporal.taskQueue, workflowId: `dbmetrics-rec-${t.tenantId}`, args: [t.tenantId] });
    await dbMetrics.result();
    await save('tenant-database-metrics', dbMetrics);
    const sweep = await stack.temporal.workflow.start(healthSweepWorkflow, { taskQueue: stack.config.temporal.taskQueue, workflowId: `health-sweep-rec-${o.instanceId}`, args: [['docker', 'orka', 'azure']] });
    await sweep.result();
    await save('health-sweep', sweep);
    await o.handle.signal(destroyInstanceSignal, user);
    await o.handle.result();
    await save('instance-docker-lifecycle', o.handle);
  });

  it('platform health and an Azure credential validation', async () => {
    const health = await stack.temporal.workflow.start(platformHealthWorkflow, { taskQueue: stack.config.temporal.taskQueue, workflowId: `platform-health-rec-${randomUUID()}` });
    await health.result();
    await save('platform-health', health);
    const t = await signUpActive(stack);
    const credentialId = randomUUID();
    const az = stack.config.azure;
    await stack.db.providerCredential.create({
      data: { id: credentialId, tenantId: t.tenantId, provider: 'azure', name: 'recorded', publicFields: { tenantId: az.tenantId, clientId: az.clientId, subscriptionId: az.subscriptionId }, secretCiphertext: stack.secrets.seal(az.clientSecret!, `credential:${credentialId}`) },
    });
    const v = await stack.temporal.workflow.start(validateCredentialWorkflow, { taskQueue: stack.config.temporal.taskQueue, workflowId: credentialWorkflowId(credentialId, 'rec'), args: [{ tenantId: t.tenantId, credentialId, provider: 'azure', requestedBy: user }] });
    await v.result();
    await save('credential-validation', v);
  });

  it('instance: cancelled during create, and failed at boot', async () => {
    const t = await signUpActive(stack, { plan: 'pro' });
    gate.hold('reccancel', 'create', 'after');
    const c = await order(stack, t, { name: 'reccancel' });
    await gate.reached('reccancel', 'create', 'after');
    await c.handle.cancel();
    await c.handle.result().catch(() => undefined);
    await save('instance-cancelled', c.handle);

    gate.failAt('recfail', 'boot', 'the host refused to start the container (recorded failure)');
    const f = await order(stack, t, { name: 'recfail' });
    await f.handle.result().catch(() => undefined);
    await save('instance-failed', f.handle);

    // A destroy run for the failed instance (as DELETE starts one).
    const d = await stack.temporal.workflow.start('instanceWorkflow', {
      taskQueue: stack.config.temporal.taskQueue,
      workflowId: f.workflowId,
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      args: [{ target: f.target, mode: 'destroy', requestedBy: user }],
    });
    await d.result();
    await save('instance-destroy-run', d);
  });

  it('instance: queued behind the concurrency limit, then provisioned', async () => {
    const t = await signUpActive(stack, { plan: 'trial' });
    gate.hold('recfirst', 'install');
    const first = await order(stack, t, { name: 'recfirst' });
    await gate.reached('recfirst', 'install');
    const second = await order(stack, t, { name: 'recsecond' });
    await waitForState(second.handle, 'queued', (s) => s.pendingReason?.startsWith('queued') ?? false);
    gate.release('recfirst', 'install');
    await waitForPhase(second.handle, 'running');
    for (const o of [first, second]) await o.handle.signal(destroyInstanceSignal, user);
    await Promise.all([first.handle.result(), second.handle.result()]);
    await save('instance-queued', second.handle);
  });

  it('tenant: billing ticks with continue-as-new, trial expiry (time-skipping server)', async () => {
    const s = await startTimeSkippingStack('record_billing');
    const worker = await s.startWorker();
    try {
      const t = await startTenant(s, { slug: 'recbill', plan: 'trial', billing: { windowMinutes: 60 } });
      for (let i = 0; i < 9; i++) await s.env.sleep('1 day');
      const expiry = await s.env.client.workflow.start(trialExpiryWorkflow, { taskQueue: s.taskQueue, workflowId: 'trial-expiry-rec' });
      await expiry.result();
      await s.env.sleep('7 days');
      await t.handle.query(tenantStateQuery);
      await save('trial-expiry', expiry);
      await save('tenant-billing-first-run', t.handle, t.handle.firstExecutionRunId);
      await save('tenant-billing-latest-run', t.handle);
      await t.handle.terminate('recorded');
    } finally {
      await worker.stop();
      await s.close();
    }
  }, 300_000);
});
