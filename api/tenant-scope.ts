// The second wall between organizations: row-level security in Postgres. Every tenant-scoped query
// of the API runs through `inTenant`, inside a transaction that switches to the NOLOGIN role
// `tenantry_tenant_scope` and sets `app.tenant_id` (both transaction-local, so the pooled
// connection is clean again after COMMIT or ROLLBACK). The policies of migration
// 20261122003613_api_security then show and accept only that tenant's rows: a query that forgets
// its `tenantId` filter still cannot read or write another organization, and the role's grants
// keep the API to its own concerns (it cannot write instances, the ledger or usage, nor read
// password hashes). The worker's activities use the owning role and are not affected.
import type { Db, Prisma } from '../lib/db';

export const TENANT_SCOPE_ROLE = 'tenantry_tenant_scope';

export type TenantTx = Prisma.TransactionClient;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function inTenant<T>(db: Db, tenantId: string, fn: (tx: TenantTx) => Promise<T>): Promise<T> {
  if (!UUID.test(tenantId)) throw new Error(`inTenant needs a tenant id, got ${JSON.stringify(tenantId)}`);
  return db.$transaction(
    async (tx) => {
      // One round trip: set_config('role', ...) is SET LOCAL ROLE.
      await tx.$queryRaw`SELECT set_config('app.tenant_id', ${tenantId}, true), set_config('role', ${TENANT_SCOPE_ROLE}, true)`;
      return fn(tx);
    },
    { maxWait: 10_000, timeout: 30_000 },
  );
}
