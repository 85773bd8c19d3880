// An organization's life after signup, on the dev server with a real Docker app: an operator
// suspends it (its running app stops, data kept), resumes it (the app starts again), then closes it
// (every instance destroyed, its shared database dropped, the workflow completes).
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantGroupRole, tenantSchema } from '../../activities/tenant-postgres/databases';
import { closeTenantUpdate, resumeTenantUpdate, suspendTenantUpdate, tenantStateQuery } from '../../workflows/tenant';
import { containersOf, dockerLeftovers } from '../helpers/docker-leftovers';
import { signUpActive, waitFor } from '../helpers/http';
import { order, waitForPhase } from '../helpers/instances';
import { startStack, type TestStack } from '../helpers/stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack('tenant_life');
});
afterAll(async () => {
  await stack?.close();
});

async function tenantDbObjects(tenantId: string) {
  const c = new pg.Client({ connectionString: stack.config.tenantDatabase.url });
  await c.connect();
  const r = await c.query('SELECT (SELECT count(*) FROM pg_roles WHERE rolname = $1)::int AS roles, (SELECT count(*) FROM pg_namespace WHERE nspname = $2)::int AS schemas', [tenantGroupRole(tenantId), tenantSchema(tenantId)]);
  await c.end();
  return r.rows[0];
}

describe('an organization', () => {
  it('is suspended and resumed by an operator, then closed with everything released', async () => {
    const t = await signUpActive(stack, { plan: 'standard' });
    expect(await tenantDbObjects(t.tenantId)).toEqual({ roles: 1, schemas: 1 });
    const app = await order(stack, t, { name: 'web' });
    await waitForPhase(app.handle, 'running');
    const tenant = stack.temporal.workflow.getHandle(`tenant-${t.slug}`);
    const operator = { type: 'operator' as const, id: 'oncall' };

    const suspended = await tenant.executeUpdate(suspendTenantUpdate, { args: [{ reason: 'abuse report', actor: operator }] });
    expect(suspended).toMatchObject({ status: 'suspended', suspendedFor: 'operator', graceUntil: null });
    await waitForPhase(app.handle, 'stopped');
    expect((await containersOf(app.instanceId))[0].State).toBe('exited');
    expect((await stack.db.tenant.findUniqueOrThrow({ where: { id: t.tenantId } })).status).toBe('suspended');

    await tenant.executeUpdate(resumeTenantUpdate, { args: [{ actor: operator }] });
    await waitForPhase(app.handle, 'running');
    expect((await containersOf(app.instanceId))[0].State).toBe('running');

    await tenant.executeUpdate(closeTenantUpdate, { args: [{ actor: operator }] });
    const final = await tenant.result();
    expect(final.status).toBe('closed');
    expect((await app.handle.result()).phase).toBe('destroyed');
    expect(await dockerLeftovers(stack, app.target)).toEqual([]);
    expect(await tenantDbObjects(t.tenantId)).toEqual({ roles: 0, schemas: 0 });
    expect((await stack.db.tenant.findUniqueOrThrow({ where: { id: t.tenantId } })).status).toBe('closed');
    await waitFor('close audited', async () => (await stack.db.auditLog.count({ where: { tenantId: t.tenantId, action: 'tenant.closed' } })) === 1);
  }, 180_000);

  it('refuses operations that make no sense in its state, before they enter history', async () => {
    const t = await signUpActive(stack, { plan: 'standard' });
    const tenant = stack.temporal.workflow.getHandle(`tenant-${t.slug}`);
    const err = await tenant.executeUpdate(resumeTenantUpdate, { args: [{}] }).catch((e) => e);
    expect(err.cause?.message).toBe('cannot resume: the organization is active');
    const bad = await tenant.executeUpdate(suspendTenantUpdate, { args: [{ reason: 'x' }] }).then(() => tenant.executeUpdate(suspendTenantUpdate, { args: [{ reason: 'again' }] })).catch((e) => e);
    expect(bad.cause?.message).toBe('cannot suspend: the organization is suspended');
    expect((await tenant.query(tenantStateQuery)).status).toBe('suspended');
  });
});
