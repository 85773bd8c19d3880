-- AlterTable
ALTER TABLE "instances" ADD COLUMN     "credential_id" UUID,
ADD COLUMN     "health_checked_at" TIMESTAMPTZ(3);
