// "Usually takes about …": the typical provision time per provider that GET /providers offers, the
// median from getting a slot to the first 'running' event over recent provisions, measured on the
// real platform database. Rows are written directly so the durations are known exactly.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { measureTypicalProvisionSeconds, PROVISION_TIME_MIN_SAMPLES } from '../../api/provision-times';
import type { InstancePhase } from '../../lib/db';
import { call, signUpActive, type SignedUp } from '../helpers/http';
import { startStack, type TestStack } from '../helpers/stack';

let stack: TestStack;
let org: SignedUp;
beforeAll(async () => {
  stack = await startStack('provision_times');
  org = await signUpActive(stack);
});
afterAll(() => stack?.close());

/** An instance admitted `agoS` seconds ago whose first 'running' event came `tookS` seconds later. */
async function provisioned(provider: 'docker' | 'orka' | 'azure', tookS: number | null, phase: InstancePhase = 'running', agoS = 3600) {
  const id = randomUUID();
  const admittedAt = new Date(Date.now() - agoS * 1000);
  await stack.db.instance.create({
    data: { id, tenantId: org.tenantId, name: `i-${id.slice(0, 8)}`, provider, template: 't', size: 's', region: 'r', phase, workflowId: `instance-${id}`, admittedAt },
  });
  const events: { phase: InstancePhase; at: Date }[] = [{ phase: 'provisioning', at: admittedAt }];
  if (tookS !== null) {
    events.push({ phase: 'running', at: new Date(admittedAt.getTime() + tookS * 1000) });
    // A later start also records 'running'; only the first one counts.
    events.push({ phase: 'running', at: new Date(admittedAt.getTime() + (tookS + 900) * 1000) });
  }
  for (const e of events) await stack.db.instanceEvent.create({ data: { instanceId: id, tenantId: org.tenantId, phase: e.phase, at: e.at, message: e.phase } });
}

describe('typical provision times', () => {
  it('are the median from slot to first running over provisions that ran, per provider, once there are enough', async () => {
    expect(await measureTypicalProvisionSeconds(stack.db)).toEqual({});

    for (const s of [10, 20, 30, 100]) await provisioned('docker', s, s === 100 ? 'destroyed' : 'running');
    // Not counted: one still provisioning, one cancelled, and one older than the window.
    await provisioned('docker', null, 'provisioning', 5);
    await provisioned('docker', null, 'cancelled');
    await provisioned('docker', 5000, 'running', 40 * 86_400);
    // Orka has fewer than the minimum: no figure rather than a guess.
    for (let n = 1; n < PROVISION_TIME_MIN_SAMPLES; n++) await provisioned('orka', 200);

    expect(await measureTypicalProvisionSeconds(stack.db)).toEqual({ docker: 25 });

    const res = await call(stack, 'GET', '/api/providers', { token: org.token });
    expect(res.status).toBe(200);
    const byName = Object.fromEntries(res.body.providers.map((p: { name: string; typicalProvisionSeconds: number | null }) => [p.name, p.typicalProvisionSeconds]));
    expect(byName).toEqual({ docker: 25, orka: null, azure: null });
  });
});
