// A Docker app instance's whole life on the real engine, the real tenant Postgres and the real proxy:
// order → running (limits, network, schema, route) → commands → stop/start/restart → destroy, and the
// isolation between organizations.
import { WorkflowUpdateFailedError } from '@temporalio/client';
import Docker from 'dockerode';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerName, networkName } from '../../activities/docker/provider';
import { appRole } from '../../activities/tenant-postgres/databases';
import { httpGet } from '../../lib/http-probe';
import { commandWorkflowId, instanceCommandWorkflow } from '../../workflows/command';
import { instanceMetricsWorkflow, tenantDatabaseMetricsWorkflow } from '../../workflows/metrics';
import {
  destroyInstanceSignal,
  restartInstanceUpdate,
  startInstanceUpdate,
  stopInstanceUpdate,
} from '../../workflows/instance';
import { signUpActive, type SignedUp } from '../helpers/http';
import { order, waitForPhase, waitForRecordedPhase } from '../helpers/instances';
import { startStack, type TestStack } from '../helpers/stack';

const docker = new Docker({ socketPath: '/var/run/docker.sock' });
const user = { type: 'user' as const, id: 'test' };
let stack: TestStack;
let tenant: SignedUp;

beforeAll(async () => {
  stack = await startStack('docker');
  tenant = await signUpActive(stack, { plan: 'standard' });
});
afterAll(async () => {
  await stack?.close();
});

const viaProxy = (host: string, path = '/') => httpGet(`http://127.0.0.1:${stack.config.apps.proxyPort}${path}`, { host });

async function appLogin(instanceId: string) {
  const row = await stack.db.appDatabase.findUniqueOrThrow({ where: { instanceId } });
  const password = stack.secrets.open(row.passwordCiphertext!, `appdb:${row.roleName}`);
  const admin = new URL(stack.config.tenantDatabase.url!);
  admin.username = row.roleName;
  admin.password = encodeURIComponent(password);
  return admin.toString();
}

describe('a Docker app instance', () => {
  it('goes from order to running with limits, its own schema and its route; then stop, start, restart, commands, destroy', async () => {
    const o = await order(stack, tenant, { name: 'shop', size: 'medium' });
    const running = await waitForPhase(o.handle, 'running');
    const host = `shop.${tenant.slug}.localhost`;
    expect(running.endpoint?.url).toBe(`http://${host}:${stack.config.apps.proxyPort}/`);

    // Limits and placement, as the engine sees them.
    const info = await docker.getContainer(containerName(o.instanceId)).inspect();
    expect(info.HostConfig.Memory).toBe(512 * 1024 * 1024);
    expect(info.HostConfig.NanoCpus).toBe(0.5e9);
    expect(info.HostConfig.PidsLimit).toBe(256);
    expect(info.HostConfig.RestartPolicy?.Name).toBe('unless-stopped');
    expect(Object.keys(info.NetworkSettings.Networks)).toEqual([networkName(tenant.tenantId)]);
    expect(info.Config.Labels['tenantry.instance']).toBe(o.instanceId);

    // Through the proxy, by Host header: the page names its organization; health proves its schema.
    const page = await viaProxy(host);
    expect(page.status).toBe(200);
    expect(page.body).toContain(`Org ${tenant.slug}`);
    const health = JSON.parse((await viaProxy(host, '/healthz')).body);
    expect(health).toMatchObject({ ok: true, schema: appRole(o.instanceId) });

    // The platform database and event log followed every phase.
    await waitForRecordedPhase(stack, o.instanceId, 'running');
    const row = await stack.db.instance.findUniqueOrThrow({ where: { id: o.instanceId } });
    expect(row).toMatchObject({ phase: 'running', progress: 100, healthy: true });
    expect((row.providerRefs as Record<string, string>).container).toBe(containerName(o.instanceId));
    const phases = (await stack.db.instanceEvent.findMany({ where: { instanceId: o.instanceId, phase: { not: null } }, orderBy: { id: 'asc' } })).map((e) => e.phase);
    expect(phases.filter((p, i) => p !== phases[i - 1])).toEqual(['pending', 'provisioning', 'configuring', 'installing', 'running']);

    // Engine metrics, and the organization's database as its apps use it.
    const m = await stack.temporal.workflow.execute(instanceMetricsWorkflow, { taskQueue: stack.config.temporal.taskQueue, workflowId: `metrics-${o.instanceId}`, args: [o.target] });
    expect(m.status.state).toBe('running');
    expect(m.metrics).toMatchObject({ status: 'running', memoryLimitBytes: 512 * 1024 * 1024 });
    expect(m.metrics.cpuPercent).toBeGreaterThanOrEqual(0);
    expect(m.metrics.memoryBytes).toBeGreaterThan(0);
    expect(m.metrics.networkRxBytes).toBeGreaterThan(0);
    const dbm = await stack.temporal.workflow.execute(tenantDatabaseMetricsWorkflow, { taskQueue: stack.config.temporal.taskQueue, workflowId: `dbmetrics-${o.instanceId}`, args: [tenant.tenantId] });
    const own = dbm.schemas.find((x) => x.schema === appRole(o.instanceId));
    expect(own).toMatchObject({ tables: 1 });
    expect(own!.sizeBytes).toBeGreaterThan(0);

    // A command runs in the container and lands in the event log.
    const ping = await stack.temporal.workflow.execute(instanceCommandWorkflow, {
      taskQueue: stack.config.temporal.taskQueue,
      workflowId: commandWorkflowId(`ping-${o.instanceId}`),
      args: [{ commandId: `ping-${o.instanceId}`, target: o.target, command: 'ping', requestedBy: user }],
    });
    expect(ping.exitCode).toBe(0);
    expect(ping.output).toMatch(/^pong: /);
    expect(await stack.db.instanceEvent.count({ where: { instanceId: o.instanceId, dedupeKey: `command:ping-${o.instanceId}` } })).toBe(1);

    // Invalid transitions are refused before they enter history.
    const refused = await o.handle.executeUpdate(startInstanceUpdate, { args: [user] }).catch((e: WorkflowUpdateFailedError) => e);
    expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((refused as WorkflowUpdateFailedError).cause?.message).toBe('cannot start: the instance is running (start needs stopped)');
    // A refused update leaves no trace in history (the validator ran before it was accepted).
    const history = await o.handle.fetchHistory();
    expect(history.events?.some((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name === 'start')).toBe(false);

    const stopped = await o.handle.executeUpdate(stopInstanceUpdate, { args: [user] });
    expect(stopped.phase).toBe('stopped');
    expect((await docker.getContainer(containerName(o.instanceId)).inspect()).State.Running).toBe(false);
    expect((await viaProxy(host)).status).toBe(404);
    await expect(o.handle.executeUpdate(stopInstanceUpdate, { args: [user] })).rejects.toBeInstanceOf(WorkflowUpdateFailedError);

    const started = await o.handle.executeUpdate(startInstanceUpdate, { args: [user] });
    expect(started.phase).toBe('running');
    expect((await viaProxy(host)).status).toBe(200);
    // The schema outlived the stop: visits recorded before are still there.
    expect(JSON.parse((await viaProxy(host, '/healthz')).body).visits).toBeGreaterThan(health.visits);

    const restarted = await o.handle.executeUpdate(restartInstanceUpdate, { args: [user] });
    expect(restarted.phase).toBe('running');
    expect((await viaProxy(host)).status).toBe(200);

    await o.handle.signal(destroyInstanceSignal, user);
    const final = await o.handle.result();
    expect(final.phase).toBe('destroyed');

    // Nothing left behind: container, network (its only user), route, schema, role.
    await expect(docker.getContainer(containerName(o.instanceId)).inspect()).rejects.toMatchObject({ statusCode: 404 });
    await expect(docker.getNetwork(networkName(tenant.tenantId)).inspect()).rejects.toMatchObject({ statusCode: 404 });
    expect((await viaProxy(host)).status).toBe(404);
    const admin = new pg.Client({ connectionString: stack.config.tenantDatabase.url });
    await admin.connect();
    const left = await admin.query('SELECT (SELECT count(*) FROM pg_roles WHERE rolname = $1)::int AS roles, (SELECT count(*) FROM pg_namespace WHERE nspname = $1)::int AS schemas', [appRole(o.instanceId)]);
    await admin.end();
    expect(left.rows[0]).toEqual({ roles: 0, schemas: 0 });
    const segments = await stack.db.usageSegment.findMany({ where: { instanceId: o.instanceId }, orderBy: { startedAt: 'asc' } });
    expect(segments.map((s) => s.kind)).toEqual(['running', 'allocated', 'running', 'running']);
    expect(segments.every((s) => s.endedAt !== null)).toBe(true);
  });

  it('shares one network among an organization’s apps, even when they are provisioned at the same moment', async () => {
    const org = await signUpActive(stack, { plan: 'pro' });
    const pair = await Promise.all([order(stack, org, { name: 'twin-a' }), order(stack, org, { name: 'twin-b' })]);
    await Promise.all(pair.map((o) => waitForPhase(o.handle, 'running')));
    const nets = (await docker.listNetworks({ filters: { name: [networkName(org.tenantId)] } })).filter((n) => n.Name === networkName(org.tenantId));
    expect(nets).toHaveLength(1);
    for (const o of pair) await o.handle.signal(destroyInstanceSignal, user);
    await Promise.all(pair.map((o) => o.handle.result()));
    expect((await docker.listNetworks({ filters: { name: [networkName(org.tenantId)] } })).filter((n) => n.Name === networkName(org.tenantId))).toHaveLength(0);
  });

  it('cannot reach another organization: not its containers, not its database schema', async () => {
    const other = await signUpActive(stack, { plan: 'standard' });
    const [a, b] = await Promise.all([order(stack, tenant, { name: 'alpha' }), order(stack, other, { name: 'beta' })]);
    await Promise.all([waitForPhase(a.handle, 'running'), waitForPhase(b.handle, 'running')]);

    const bInfo = await docker.getContainer(containerName(b.instanceId)).inspect();
    const bIp = bInfo.NetworkSettings.Networks[networkName(other.tenantId)].IPAddress;
    // From inside A's container, try B's app port (the image has node, no shell).
    const probe = `const s=require('net').connect(8080,'${bIp}');s.setTimeout(3000);s.on('connect',()=>{console.log('REACHED');process.exit(0)});s.on('timeout',()=>{console.log('BLOCKED');process.exit(3)});s.on('error',e=>{console.log('BLOCKED '+e.code);process.exit(3)})`;
    const exec = await docker.getContainer(containerName(a.instanceId)).exec({ Cmd: ['/usr/local/bin/node', '-e', probe], AttachStdout: true, AttachStderr: true });
    const stream = await exec.start({ hijack: true, stdin: false });
    const out = await new Promise<string>((resolve) => {
      let text = '';
      stream.on('data', (d: Buffer) => (text += d.toString('utf8')));
      stream.on('end', () => resolve(text));
    });
    expect(out).toContain('BLOCKED');
    expect(out).not.toContain('REACHED');

    // A's database role cannot read B's schema.
    const client = new pg.Client({ connectionString: await appLogin(a.instanceId) });
    await client.connect();
    await expect(client.query(`SELECT * FROM ${appRole(b.instanceId)}.visits`)).rejects.toThrow(/permission denied for schema/);
    await expect(client.query('CREATE TABLE public.sneaky (id int)')).rejects.toThrow(/permission denied for schema public/);
    await client.end();

    for (const x of [a, b]) await x.handle.signal(destroyInstanceSignal, user);
    await Promise.all([a.handle.result(), b.handle.result()]);
  });
});
