-- AlterTable
ALTER TABLE "tenants" ADD COLUMN     "monthly_budget_micro" BIGINT;

-- The organization sets its own budget through the API, inside the row-level-security wall: the
-- tenant-scoped role may change this one column of its own row (the tenants policy limits the row).
GRANT UPDATE (monthly_budget_micro) ON tenants TO tenantry_tenant_scope;
