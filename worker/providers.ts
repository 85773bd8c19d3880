// The compute providers this worker drives, built from configuration. A provider whose service is
// not configured runs against the project's simulator in the local stack (see scripts/start.ts).
import { createDockerClient } from '../activities/docker/engine';
import { dockerEngineHealth } from '../activities/docker/health';
import { orkaHealth } from '../activities/orka/health';
import { azureHealth } from '../activities/azure/health';
import type { ComputeProvider, ServiceHealth } from '../activities/providers/contract';
import { createDockerProvider } from '../activities/docker/provider';
import { nginxRoutes } from '../activities/docker/routes';
import { azurePlatformConfig, createAzureProvider } from '../activities/azure';
import { createOrkaProvider } from '../activities/orka';
import type { ActivityDeps } from '../activities';
import type { PlatformDeps } from '../activities/deps';
import { createTenantPostgres, type TenantPostgresConfig } from '../activities/tenant-postgres/databases';
import type { Config } from '../lib/config';
import { TENANT_DB_HOST_ALIAS } from '../lib/tenant-postgres-server';

export function tenantDbConfig(config: Config): TenantPostgresConfig {
  const url = config.tenantDatabase.url;
  if (!url) throw new Error('TENANT_DATABASE_URL is not set (scripts/start.ts sets it for the embedded tenant Postgres)');
  return { adminUrl: url, appHost: config.tenantDatabase.appHost ?? `${TENANT_DB_HOST_ALIAS}:${new URL(url).port || 5432}` };
}

export function buildActivityDeps(config: Config, platform: PlatformDeps): ActivityDeps {
  const tenantDb = tenantDbConfig(config);
  const tenantPostgres = createTenantPostgres({ ...platform, tenantDb });
  const dockerClient = createDockerClient(config.docker.host);
  const docker = createDockerProvider({
    ...platform,
    docker: dockerClient,
    tenantPostgres,
    routes: nginxRoutes({ dir: config.apps.proxyDir, port: config.apps.proxyPort }),
    apps: config.apps,
    tenantDbHostAlias: TENANT_DB_HOST_ALIAS,
    stackId: config.stackId,
  });
  docker.health = () => dockerEngineHealth(dockerClient);
  const orkaSettings = config.orka.endpoint && config.orka.token ? { endpoint: config.orka.endpoint, token: config.orka.token, namespace: config.orka.namespace } : undefined;
  const orka = orkaSettings ? withHealth(createOrkaProvider({ ...platform, orka: orkaSettings }), () => orkaHealth(orkaSettings)) : undefined;
  const azureConfig = config.providers.offered.includes('azure') ? azurePlatformConfig(config.azure) : undefined;
  const azure = azureConfig ? withHealth(createAzureProvider({ ...platform, azure: azureConfig }), () => azureHealth(azureConfig)) : undefined;
  return {
    ...platform,
    tenantDb,
    providers: { docker, orka, azure },
    providerCaps: { maxConcurrentProvisions: config.provisionCaps },
  };
}

/** Adds a health check without losing the provider's own methods (it may be a class instance). */
function withHealth<P extends ComputeProvider>(provider: P, health: () => Promise<ServiceHealth>): P {
  provider.health = health;
  return provider;
}
