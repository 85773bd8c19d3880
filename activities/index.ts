// All activities, grouped by the system they talk to:
//   platform/         the platform database (tenants, instances, ledger, billing, audit)
//   tenant-postgres/  the tenant Postgres (organizations' and apps' schemas and roles)
//   docker/ orka/ azure/   the compute providers, registered as `<provider>.<operation>`
// Workflows import this module type-only.
import type { ProviderName } from '../lib/catalog';
import type { PlatformDeps } from './deps';
import { createHealthActivities } from './health';
import { createAuditActivities } from './platform/audit';
import { createBillingActivities } from './platform/billing';
import { createInstanceActivities, type ProviderCaps } from './platform/instances';
import { createLedgerActivities } from './platform/ledger';
import { createTenantActivities } from './platform/tenants';
import { PROVIDER_OPERATIONS, type ComputeProvider } from './providers/contract';
import { createTenantPostgres, type TenantPostgresConfig } from './tenant-postgres/databases';

export interface ActivityDeps extends PlatformDeps {
  tenantDb: TenantPostgresConfig;
  /** The providers this worker can drive; built from configuration in worker/providers.ts. */
  providers: Partial<Record<ProviderName, ComputeProvider>>;
  providerCaps?: ProviderCaps;
}

export function createPlatformActivities(deps: ActivityDeps) {
  const tenantPostgres = createTenantPostgres(deps);
  return {
    ...createTenantActivities(deps),
    ...createInstanceActivities(deps, deps.providerCaps),
    ...createLedgerActivities(deps),
    ...createBillingActivities(deps),
    ...createAuditActivities(deps),
    ...createHealthActivities(deps),
    ensureTenantDatabase: tenantPostgres.ensureTenantDatabase,
    dropTenantDatabase: tenantPostgres.dropTenantDatabase,
    tenantDatabaseMetrics: tenantPostgres.tenantDatabaseMetrics,
  };
}

/** Platform activities, as workflows see them (provider activities are addressed by name). */
export type Activities = ReturnType<typeof createPlatformActivities>;

export function createProviderActivities(providers: ActivityDeps['providers']): Record<string, (...args: never[]) => Promise<unknown>> {
  const out: Record<string, (...args: never[]) => Promise<unknown>> = {};
  for (const [name, provider] of Object.entries(providers)) {
    if (!provider) continue;
    for (const op of PROVIDER_OPERATIONS) out[`${name}.${op}`] = (provider[op] as (...a: never[]) => Promise<unknown>).bind(provider);
    if (provider.validateCredential) out[`${name}.validateCredential`] = provider.validateCredential.bind(provider);
  }
  return out;
}

export function createActivities(deps: ActivityDeps) {
  return { ...createPlatformActivities(deps), ...createProviderActivities(deps.providers) };
}
