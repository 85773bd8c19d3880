// What a Docker instance may leave behind, looked up at the source: engine, proxy routes, tenant Postgres.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Docker from 'dockerode';
import pg from 'pg';
import { appHost, containerName, networkName } from '../../activities/docker/provider';
import type { InstanceTarget } from '../../activities/providers/contract';
import { appRole } from '../../activities/tenant-postgres/databases';
import type { TestStack } from './stack';

const docker = new Docker({ socketPath: '/var/run/docker.sock' });
const exists = (p: Promise<unknown>) => p.then(() => true, () => false);

export async function dockerLeftovers(stack: TestStack, t: InstanceTarget): Promise<string[]> {
  const left: string[] = [];
  const byLabel = await docker.listContainers({ all: true, filters: { label: [`tenantry.instance=${t.instanceId}`] } });
  if (byLabel.length) left.push(`${byLabel.length} container(s)`);
  if (await exists(docker.getContainer(containerName(t.instanceId)).inspect())) left.push('container by name');
  // The organization's network goes with its last container.
  const tenantContainers = await docker.listContainers({ all: true, filters: { label: [`tenantry.tenant=${t.tenantId}`] } });
  if (tenantContainers.length === 0 && (await exists(docker.getNetwork(networkName(t.tenantId)).inspect()))) left.push('network');
  if (existsSync(join(stack.config.apps.proxyDir, 'routes', `${appHost(t, stack.config.apps.baseDomain)}.conf`))) left.push('route');
  const admin = new pg.Client({ connectionString: stack.config.tenantDatabase.url });
  await admin.connect();
  const r = await admin.query('SELECT (SELECT count(*) FROM pg_roles WHERE rolname = $1)::int + (SELECT count(*) FROM pg_namespace WHERE nspname = $1)::int AS n', [appRole(t.instanceId)]);
  await admin.end();
  if (r.rows[0].n > 0) left.push('database role/schema');
  return left;
}

/** Containers of one instance, by label (to count duplicates). */
export async function containersOf(instanceId: string) {
  return docker.listContainers({ all: true, filters: { label: [`tenantry.instance=${instanceId}`] } });
}
