// Tenant records in the platform database. Every activity is idempotent: ids are chosen by the
// caller (the workflow input), so a retry finds its own earlier write and adopts it.
import type { PlatformDeps } from '../deps';
import { ErrorType, permanent } from '../failures';
import type { TenantStatus } from '../../lib/db';

export interface NewTenant {
  tenantId: string;
  slug: string;
  name: string;
  planCode: string;
  partnerId?: string | null;
  workflowId: string;
}

export interface NewOwner {
  userId: string;
  email: string;
  name: string;
  /** argon2id hash sealed with the platform key, so history never holds it in clear. */
  sealedPasswordHash: string;
}

export function createTenantActivities({ db, secrets }: PlatformDeps) {
  return {
    async createTenant(t: NewTenant): Promise<{ trialEndsAt: string }> {
      const plan = await db.plan.findUnique({ where: { code: t.planCode } });
      if (!plan) throw permanent(ErrorType.Validation, `unknown plan "${t.planCode}"`);
      const existing = await db.tenant.findUnique({ where: { id: t.tenantId } });
      if (existing) {
        if (existing.slug !== t.slug) throw permanent(ErrorType.Conflict, `tenant ${t.tenantId} exists with another subdomain`);
        return { trialEndsAt: existing.trialEndsAt.toISOString() };
      }
      const bySlug = await db.tenant.findUnique({ where: { slug: t.slug } });
      if (bySlug) throw permanent(ErrorType.Conflict, `subdomain "${t.slug}" is taken`);
      const trialEndsAt = new Date(Date.now() + plan.trialDays * 86_400_000);
      await db.tenant.create({
        data: {
          id: t.tenantId,
          slug: t.slug,
          name: t.name,
          planCode: t.planCode,
          partnerId: t.partnerId ?? null,
          status: 'pending',
          trialEndsAt,
          workflowId: t.workflowId,
        },
      });
      return { trialEndsAt: trialEndsAt.toISOString() };
    },

    async createOwner(tenantId: string, owner: NewOwner): Promise<void> {
      const email = owner.email.toLowerCase();
      const byEmail = await db.user.findUnique({ where: { email } });
      if (byEmail && byEmail.id !== owner.userId) {
        throw permanent(ErrorType.Conflict, `an account with email ${email} already exists; sign in to add an organization`);
      }
      if (!byEmail) {
        const passwordHash = secrets.open(owner.sealedPasswordHash, `signup:${owner.userId}`);
        await db.user.create({ data: { id: owner.userId, email, name: owner.name, passwordHash } });
      }
      await db.membership.upsert({
        where: { userId_tenantId: { userId: owner.userId, tenantId } },
        create: { userId: owner.userId, tenantId, role: 'owner' },
        update: {},
      });
    },

    async setTenantStatus(tenantId: string, status: TenantStatus, reason?: string | null, graceUntil?: string | null): Promise<void> {
      await db.tenant.update({
        where: { id: tenantId },
        data: { status, statusReason: reason ?? null, ...(graceUntil === undefined ? {} : { graceUntil: graceUntil ? new Date(graceUntil) : null }) },
      });
    },

    async setTenantPlan(tenantId: string, planCode: string): Promise<void> {
      const plan = await db.plan.findUnique({ where: { code: planCode } });
      if (!plan) throw permanent(ErrorType.Validation, `unknown plan "${planCode}"`);
      await db.tenant.update({ where: { id: tenantId }, data: { planCode } });
    },

    async planIsPaid(planCode: string): Promise<boolean> {
      const plan = await db.plan.findUnique({ where: { code: planCode } });
      return plan?.paid ?? false;
    },

    /**
     * Compensation for a signup that failed: frees the subdomain and removes the owner account this
     * signup created. A tenant that already holds ledger entries is closed instead (the ledger is
     * append-only and must keep its history).
     */
    async discardTenant(tenantId: string, ownerUserId: string, reason: string): Promise<void> {
      const tenant = await db.tenant.findUnique({ where: { id: tenantId } });
      if (!tenant) return;
      const ledgerEntries = await db.creditLedgerEntry.count({ where: { tenantId } });
      if (ledgerEntries > 0) {
        await db.tenant.update({ where: { id: tenantId }, data: { status: 'closed', statusReason: reason } });
      } else {
        await db.tenant.delete({ where: { id: tenantId } });
      }
      const otherMemberships = await db.membership.count({ where: { userId: ownerUserId, NOT: { tenantId } } });
      if (otherMemberships === 0 && ledgerEntries === 0) await db.user.deleteMany({ where: { id: ownerUserId } });
    },
  };
}
