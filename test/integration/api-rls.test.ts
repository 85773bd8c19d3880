// Row-level security, the second wall: inside `inTenant` even a query without any tenant filter
// sees and changes only that organization's rows, cannot read password hashes, and cannot write what
// the API does not own (instances, the ledger). Outside it, the pooled connection is back to normal.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTenant } from '../../api/tenant-scope';
import { createSite } from '../helpers/api';
import { signUpActive, type SignedUp } from '../helpers/http';
import { startStack, type TestStack } from '../helpers/stack';

let stack: TestStack;
let a: SignedUp;
let b: SignedUp;

async function fakeInstance(t: SignedUp, name: string) {
  const id = randomUUID();
  await stack.db.instance.create({
    data: { id, tenantId: t.tenantId, name, provider: 'docker', template: 'demo-app', size: 'small', region: 'local', spec: { vcpu: 0.25, memoryMb: 256 }, phase: 'running', workflowId: `instance-${id}` },
  });
  await stack.db.instanceEvent.create({ data: { instanceId: id, tenantId: t.tenantId, message: `${name} is running`, phase: 'running' } });
  return id;
}

beforeAll(async () => {
  stack = await startStack('api_rls');
  [a, b] = await Promise.all([signUpActive(stack), signUpActive(stack)]);
  await Promise.all([createSite(stack, a, 'a-site'), createSite(stack, b, 'b-site')]);
  await Promise.all([fakeInstance(a, 'a-app'), fakeInstance(b, 'b-app')]);
});
afterAll(async () => {
  await stack?.close();
});

describe('row-level security for the API', () => {
  it('a query without a tenant filter sees only the tenant it runs for', async () => {
    const seen = await inTenant(stack.db, a.tenantId, async (tx) => ({
      tenants: (await tx.tenant.findMany()).map((t) => t.id),
      sites: (await tx.site.findMany()).map((s) => s.name),
      instances: (await tx.instance.findMany()).map((i) => i.name),
      events: (await tx.instanceEvent.findMany()).map((e) => e.message),
      ledger: (await tx.creditLedgerEntry.findMany()).map((l) => l.tenantId),
      members: (await tx.membership.findMany()).map((m) => m.userId),
      users: (await tx.user.findMany({ select: { email: true } })).map((u) => u.email),
      audit: [...new Set((await tx.auditLog.findMany()).map((r) => r.tenantId))],
      raw: await tx.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM sites`,
    }));
    expect(seen.tenants).toEqual([a.tenantId]);
    expect(seen.sites).toEqual(['a-site']);
    expect(seen.instances).toEqual(['a-app']);
    expect(seen.events).toEqual(['a-app is running']);
    expect(new Set(seen.ledger)).toEqual(new Set([a.tenantId]));
    expect(seen.members).toEqual([a.userId]);
    expect(seen.users).toEqual([a.email]);
    expect(seen.audit).toEqual([a.tenantId]);
    expect(Number(seen.raw[0].n)).toBe(1);
    // Outside the scope the same client sees everything again (the setting was transaction-local).
    expect(await stack.db.site.count()).toBeGreaterThanOrEqual(2);
  });

  it('cannot write into another tenant, nor widen a change beyond its own rows', async () => {
    await expect(inTenant(stack.db, a.tenantId, (tx) => tx.site.create({ data: { tenantId: b.tenantId, name: 'smuggled' } }))).rejects.toThrow(/row-level security|violates/i);
    const touched = await inTenant(stack.db, a.tenantId, (tx) => tx.site.updateMany({ data: { name: 'renamed' } }));
    expect(touched.count).toBe(1);
    expect((await stack.db.site.findMany({ where: { tenantId: b.tenantId } })).map((s) => s.name)).toEqual(['b-site']);
    const deleted = await inTenant(stack.db, a.tenantId, (tx) => tx.apiKey.updateMany({ data: { revokedAt: new Date() } }));
    expect(deleted.count).toBe(0);
  });

  it('cannot read password hashes, sessions, or write what workflows own', async () => {
    await expect(inTenant(stack.db, a.tenantId, (tx) => tx.user.findFirst())).rejects.toThrow(/permission denied/);
    await expect(inTenant(stack.db, a.tenantId, (tx) => tx.session.findMany())).rejects.toThrow(/permission denied/);
    await expect(inTenant(stack.db, a.tenantId, (tx) => tx.instance.updateMany({ data: { phase: 'destroyed' } }))).rejects.toThrow(/permission denied/);
    await expect(
      inTenant(stack.db, a.tenantId, (tx) => tx.creditLedgerEntry.create({ data: { tenantId: a.tenantId, amountMicro: 1_000_000_000n, reason: 'top_up', idempotencyKey: 'free-money', description: 'x' } })),
    ).rejects.toThrow(/permission denied/);
    expect(await stack.db.creditLedgerEntry.count({ where: { idempotencyKey: 'free-money' } })).toBe(0);
  });

  it('sees nothing when no tenant is set, and refuses a tenant id that is not one', async () => {
    const rows = await stack.db.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT set_config('role', 'tenantry_tenant_scope', true)`;
      return tx.instance.findMany();
    });
    expect(rows).toEqual([]);
    await expect(inTenant(stack.db, "' OR 1=1 --", (tx) => tx.site.findMany())).rejects.toThrow(/needs a tenant id/);
  });
});
