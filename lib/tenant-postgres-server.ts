// The tenant Postgres for the local stack and the tests: a second embedded Postgres, separate from
// the platform's, holding the organizations' and apps' schemas. Apps run in containers, which reach
// it through the Docker bridge gateway (containers map the name `tenantry-db` to the host gateway),
// so besides loopback it listens on that host-internal address only, and accepts password logins from
// Docker's private address ranges only.
import { spawnSync } from 'node:child_process';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { ensureDatabase, startEmbeddedPostgres, withDatabase, type EmbeddedPostgresHandle } from './embedded-postgres';

export const TENANT_DB_HOST_ALIAS = 'tenantry-db';
export const APPS_DATABASE = 'apps';

/** IPv4 address of the host on the default Docker bridge (docker0), if Docker runs here. */
export function dockerBridgeGateway(): string | undefined {
  const up = networkInterfaces().docker0?.find((a) => a.family === 'IPv4')?.address;
  if (up) return up;
  // Node lists only interfaces that are up; docker0 is down while no container uses the default bridge.
  const ip = spawnSync('ip', ['-4', '-o', 'addr', 'show', 'dev', 'docker0'], { encoding: 'utf8' });
  return /inet (\d+\.\d+\.\d+\.\d+)\//.exec(ip.stdout ?? '')?.[1];
}

export interface TenantPostgresHandle extends EmbeddedPostgresHandle {
  /** Admin connection to the apps database (for activities/tenant-postgres). */
  appsAdminUrl: string;
  /** host:port as containers reach it. */
  appHost: string;
}

export async function startTenantPostgres(opts: { dataDir: string; port: number }): Promise<TenantPostgresHandle> {
  const gateway = dockerBridgeGateway();
  const pg = await startEmbeddedPostgres({
    dataDir: join(opts.dataDir),
    port: opts.port,
    extraListenAddresses: gateway ? [gateway] : [],
    extraHba: ['host all all 172.16.0.0/12 scram-sha-256', 'host all all 192.168.0.0/16 scram-sha-256', 'host all all 10.0.0.0/8 scram-sha-256'],
  });
  const appsAdminUrl = withDatabase(pg.adminUrl, APPS_DATABASE);
  await ensureDatabase(appsAdminUrl);
  return { ...pg, appsAdminUrl, appHost: `${TENANT_DB_HOST_ALIAS}:${opts.port}` };
}
