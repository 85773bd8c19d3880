// All activities, grouped by the system they talk to. Workflows import this module type-only.
import type { PlatformDeps } from './deps';
import { createAuditActivities } from './platform/audit';
import { createLedgerActivities } from './platform/ledger';
import { createTenantActivities } from './platform/tenants';

export type ActivityDeps = PlatformDeps;

export function createActivities(deps: ActivityDeps) {
  return {
    ...createTenantActivities(deps),
    ...createLedgerActivities(deps),
    ...createAuditActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
