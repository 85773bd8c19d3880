-- CreateTable
CREATE TABLE "invitations" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "role" "member_role" NOT NULL,
    "site_id" UUID,
    "token_hash" TEXT NOT NULL,
    "invited_by_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "accepted_at" TIMESTAMPTZ(3),
    "accepted_by_id" UUID,
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "invitations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "idempotency_records" (
    "scope" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "status_code" INTEGER,
    "response" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completed_at" TIMESTAMPTZ(3),

    CONSTRAINT "idempotency_records_pkey" PRIMARY KEY ("scope","key")
);

-- CreateTable
CREATE TABLE "rate_limit_counters" (
    "bucket" TEXT NOT NULL,
    "window_start" TIMESTAMPTZ(3) NOT NULL,
    "hits" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "rate_limit_counters_pkey" PRIMARY KEY ("bucket","window_start")
);

-- CreateIndex
CREATE UNIQUE INDEX "invitations_token_hash_key" ON "invitations"("token_hash");

-- CreateIndex
CREATE INDEX "invitations_tenant_id_idx" ON "invitations"("tenant_id");

-- CreateIndex
CREATE INDEX "idempotency_records_created_at_idx" ON "idempotency_records"("created_at");

-- CreateIndex
CREATE INDEX "rate_limit_counters_window_start_idx" ON "rate_limit_counters"("window_start");

-- AddForeignKey
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_site_id_fkey" FOREIGN KEY ("site_id") REFERENCES "sites"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- ---------------------------------------------------------------------------------------------
-- Row-level security: the API's second wall between organizations.
--
-- The API runs every tenant-scoped query inside a transaction that does
--   SELECT set_config('app.tenant_id', '<tenant uuid>', true); SET LOCAL ROLE tenantry_tenant_scope;
-- (api/tenant-scope.ts). Under that role the policies below show and accept only rows of that
-- tenant, so a query that forgets its `tenant_id` filter still cannot see another organization.
-- The role is NOLOGIN and granted to the login role that runs the migrations (the platform's own
-- role, which owns the tables and therefore is not subject to these policies: the worker's
-- activities keep their access). The role's privileges also spell out what the API may write
-- inside a tenant: its own concerns (memberships, invitations, sites, API keys, credentials, audit).
-- ---------------------------------------------------------------------------------------------
DO $$
BEGIN
  CREATE ROLE tenantry_tenant_scope NOLOGIN;
EXCEPTION
  WHEN duplicate_object OR unique_violation THEN
    NULL; -- roles are cluster-wide: another database on this server created it already
  WHEN insufficient_privilege THEN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tenantry_tenant_scope') THEN
      RAISE EXCEPTION 'the migration role % may not create roles: have an administrator run CREATE ROLE tenantry_tenant_scope NOLOGIN; GRANT tenantry_tenant_scope TO %;', current_user, current_user;
    END IF;
END
$$;

DO $$
BEGIN
  EXECUTE format('GRANT tenantry_tenant_scope TO %I', current_user);
EXCEPTION WHEN OTHERS THEN
  RAISE NOTICE 'could not grant tenantry_tenant_scope to %: %', current_user, SQLERRM;
END
$$;

-- The tenant the current transaction acts for; NULL (no rows) when none is set.
CREATE FUNCTION app_current_tenant() RETURNS uuid LANGUAGE sql STABLE AS $$
  SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid
$$;

GRANT USAGE ON SCHEMA public TO tenantry_tenant_scope;
GRANT EXECUTE ON FUNCTION app_current_tenant() TO tenantry_tenant_scope;
GRANT SELECT ON plans, prices TO tenantry_tenant_scope;
GRANT SELECT ON tenants, instances, instance_events, credit_ledger, usage_segments, tenant_notices TO tenantry_tenant_scope;
GRANT SELECT, INSERT, UPDATE, DELETE ON memberships, sites, invitations, provider_credentials TO tenantry_tenant_scope;
GRANT SELECT, INSERT, UPDATE ON api_keys TO tenantry_tenant_scope;
GRANT SELECT, INSERT ON audit_log TO tenantry_tenant_scope;
GRANT SELECT (id, tenant_id, instance_id, schema_name, role_name, created_at) ON app_databases TO tenantry_tenant_scope;
-- Users: never the password hash (a query selecting it fails), and only the tenant's members (policy).
GRANT SELECT (id, email, name, is_operator, created_at, last_login_at) ON users TO tenantry_tenant_scope;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO tenantry_tenant_scope;

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['memberships', 'sites', 'instances', 'instance_events', 'provider_credentials', 'credit_ledger',
                           'audit_log', 'api_keys', 'usage_segments', 'tenant_notices', 'app_databases', 'invitations'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I TO tenantry_tenant_scope USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant())', t);
  END LOOP;
END
$$;

ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenants TO tenantry_tenant_scope USING (id = app_current_tenant());

ALTER TABLE users ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_members ON users TO tenantry_tenant_scope
  USING (EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = users.id AND m.tenant_id = app_current_tenant()));

-- ---------------------------------------------------------------------------------------------
-- Live instance events: every new event is announced on channel `instance_events` (payload
-- "<instance id>:<event id>"), so the API's Server-Sent Events streams wake up at once instead of
-- polling. NOTIFY is delivered on commit, so a listener that then reads by id sees the row.
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION instance_events_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('instance_events', NEW.instance_id::text || ':' || NEW.id::text);
  RETURN NULL;
END;
$$;

CREATE TRIGGER instance_events_notify AFTER INSERT ON instance_events
  FOR EACH ROW EXECUTE FUNCTION instance_events_notify();
