-- CreateEnum
CREATE TYPE "usage_kind" AS ENUM ('running', 'allocated');

-- AlterTable
ALTER TABLE "instances" ADD COLUMN     "admitted_at" TIMESTAMPTZ(3),
ADD COLUMN     "stopped_by_billing" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "prices" ADD COLUMN     "allocated_per_minute_micro" BIGINT NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "tenants" ADD COLUMN     "grace_until" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "usage_segments" (
    "id" BIGSERIAL NOT NULL,
    "tenant_id" UUID NOT NULL,
    "instance_id" UUID NOT NULL,
    "provider" "provider" NOT NULL,
    "size" TEXT NOT NULL,
    "kind" "usage_kind" NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "ended_at" TIMESTAMPTZ(3),

    CONSTRAINT "usage_segments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tenant_notices" (
    "id" BIGSERIAL NOT NULL,
    "tenant_id" UUID NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "kind" TEXT NOT NULL,
    "level" "event_level" NOT NULL DEFAULT 'info',
    "message" TEXT NOT NULL,
    "data" JSONB,
    "dedupe_key" TEXT NOT NULL,

    CONSTRAINT "tenant_notices_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "app_databases" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" UUID NOT NULL,
    "instance_id" UUID,
    "schema_name" TEXT NOT NULL,
    "role_name" TEXT NOT NULL,
    "password_ciphertext" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "app_databases_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "usage_segments_tenant_id_started_at_idx" ON "usage_segments"("tenant_id", "started_at");

-- CreateIndex
CREATE UNIQUE INDEX "usage_segments_instance_id_kind_started_at_key" ON "usage_segments"("instance_id", "kind", "started_at");

-- CreateIndex
CREATE UNIQUE INDEX "tenant_notices_dedupe_key_key" ON "tenant_notices"("dedupe_key");

-- CreateIndex
CREATE INDEX "tenant_notices_tenant_id_at_idx" ON "tenant_notices"("tenant_id", "at");

-- CreateIndex
CREATE UNIQUE INDEX "app_databases_instance_id_key" ON "app_databases"("instance_id");

-- CreateIndex
CREATE UNIQUE INDEX "app_databases_schema_name_key" ON "app_databases"("schema_name");

-- CreateIndex
CREATE UNIQUE INDEX "app_databases_role_name_key" ON "app_databases"("role_name");

-- CreateIndex
CREATE INDEX "app_databases_tenant_id_idx" ON "app_databases"("tenant_id");

-- AddForeignKey
ALTER TABLE "usage_segments" ADD CONSTRAINT "usage_segments_instance_id_fkey" FOREIGN KEY ("instance_id") REFERENCES "instances"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tenant_notices" ADD CONSTRAINT "tenant_notices_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "app_databases" ADD CONSTRAINT "app_databases_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A stopped instance still holds its disk / VM allocation / schema: it costs 10 % of the running rate.
UPDATE "prices" SET allocated_per_minute_micro = per_minute_micro / 10;
