// An Azure Linux VM's life through the instance workflow, against the ARM simulator through the real
// Azure SDK: order → running with its app answering → stop (deallocate) → start → command → destroy,
// with its resource group gone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandWorkflowId, instanceCommandWorkflow } from '../../workflows/command';
import { destroyInstanceSignal, startInstanceUpdate, stopInstanceUpdate } from '../../workflows/instance';
import { httpGet } from '../../lib/http-probe';
import { signUpActive, type SignedUp } from '../helpers/http';
import { order, waitForPhase } from '../helpers/instances';
import { startStack, type TestStack } from '../helpers/stack';

const user = { type: 'user' as const, id: 'test' };
let stack: TestStack;
let tenant: SignedUp;

beforeAll(async () => {
  stack = await startStack('azure_lifecycle');
  tenant = await signUpActive(stack, { plan: 'pro' });
});
afterAll(async () => {
  await stack?.close();
});

describe('an Azure Linux VM', () => {
  it('deploys with its app, stops, starts, runs a command and is destroyed with its resource group', async () => {
    const o = await order(stack, tenant, { provider: 'azure', name: 'claw', size: 'Standard_B1s', region: 'westeurope' });
    const running = await waitForPhase(o.handle, 'running', 90_000);
    expect(running.endpoint?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/?$/);
    expect(running.endpoint?.fqdn).toBeTruthy();
    expect((await httpGet(running.endpoint!.url!)).status).toBe(200);
    const refs = (await stack.db.instance.findUniqueOrThrow({ where: { id: o.instanceId } })).providerRefs as Record<string, string>;
    expect(refs.resourceGroup).toBeTruthy();
    expect(JSON.stringify(refs)).not.toMatch(/PRIVATE KEY/);

    expect((await o.handle.executeUpdate(stopInstanceUpdate, { args: [user] })).phase).toBe('stopped');
    expect((await httpGet(running.endpoint!.url!)).status).not.toBe(200);
    expect((await o.handle.executeUpdate(startInstanceUpdate, { args: [user] })).phase).toBe('running');

    const sysinfo = await stack.temporal.workflow.execute(instanceCommandWorkflow, {
      taskQueue: stack.config.temporal.taskQueue,
      workflowId: commandWorkflowId(`sysinfo-${o.instanceId}`),
      args: [{ commandId: `sysinfo-${o.instanceId}`, target: o.target, command: 'sysinfo', requestedBy: user }],
    });
    expect(sysinfo.exitCode).toBe(0);
    expect(sysinfo.output.length).toBeGreaterThan(0);

    await o.handle.signal(destroyInstanceSignal, user);
    expect((await o.handle.result()).phase).toBe('destroyed');
    const events = await stack.db.instanceEvent.findMany({ where: { instanceId: o.instanceId }, orderBy: { id: 'asc' } });
    expect(events.at(-1)?.message).toBe('destroyed: nothing is left at the provider');
  });
});
